import { type Box, iou } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { planWindows } from './plan.js';
import { selectProposalIndices, selectProposals } from './selection.js';
import { rng } from './test-rng.js';

const r = rng(3);
const boxes: Box[] = Array.from({ length: 400 }, () => {
  const w = 20 + r() * 400;
  const h = 20 + r() * 300;
  return { x: r() * 480 - w / 2, y: r() * 360 - h / 2, width: w, height: h, score: r() };
});

describe('selectProposals', () => {
  it("order 'input' is the original loop: in order, skip min side < 112, stop after 50", () => {
    const want: number[] = [];
    for (let i = 0; i < boxes.length && want.length < 50; i++)
      if (Math.min(boxes[i]!.width, boxes[i]!.height) >= 112) want.push(i);
    expect(selectProposalIndices(boxes, { order: 'input' })).toEqual(want);
    expect(want.length).toBe(50);
  });

  it("order 'score' takes the highest-scoring boxes that pass the size test", () => {
    const got = selectProposals(boxes, { maxCount: 20 });
    const want = boxes
      .filter((b) => Math.min(b.width, b.height) >= 112)
      .sort((a, b) => b.score! - a.score!)
      .slice(0, 20);
    expect(got).toEqual(want);
  });

  it('relative min side scales with the image (0.224 of a 500 px side = 112 px)', () => {
    const abs = selectProposalIndices(boxes, { minSide: 112, maxCount: 1000 });
    const rel = selectProposalIndices(boxes, {
      minSide: { relative: 0.224 },
      imageWidth: 500,
      imageHeight: 375,
      maxCount: 1000,
    });
    // Same threshold; the image size also drops boxes that miss the image, of which there are none here.
    expect(rel).toEqual(abs);
    const small = selectProposalIndices(boxes, {
      minSide: { relative: 0.224 },
      imageWidth: 250,
      imageHeight: 200,
      maxCount: 1000,
    });
    const want = boxes
      .map((b, i) => ({ b, i }))
      .filter(
        ({ b }) =>
          Math.min(b.width, b.height) >= 56 && b.x < 250 && b.y < 200 && b.x + b.width > 0 && b.y + b.height > 0,
      )
      .sort((p, q) => q.b.score! - p.b.score!)
      .map(({ i }) => i);
    expect(small).toEqual(want);
    expect(small.some((i) => Math.min(boxes[i]!.width, boxes[i]!.height) < 112)).toBe(true);
    expect(() => selectProposalIndices(boxes, { minSide: { relative: 0.2 } })).toThrow(/imageWidth/);
  });

  it('greedy NMS: hand-worked and against brute force', () => {
    const a = { x: 0, y: 0, width: 200, height: 200, score: 0.9 };
    const b = { x: 20, y: 0, width: 200, height: 200, score: 0.8 }; // IoU with a = 180/220 ≈ 0.82
    const c = { x: 150, y: 0, width: 200, height: 200, score: 0.7 }; // IoU with a ≈ 0.14, with b ≈ 0.39
    expect(selectProposals([c, b, a], { nmsThreshold: 0.5 })).toEqual([a, c]);
    expect(selectProposals([c, b, a], { nmsThreshold: 0.9 })).toEqual([a, b, c]);
    expect(selectProposals([c, b, a], { nmsThreshold: 0.3 })).toEqual([a, c]);
    const got = selectProposalIndices(boxes, { nmsThreshold: 0.6 });
    for (let i = 0; i < got.length; i++)
      for (let j = 0; j < i; j++) expect(iou(boxes[got[i]!]!, boxes[got[j]!]!)).toBeLessThanOrEqual(0.6);
    expect(got.length).toBe(50);
  });

  it('skips boxes that miss the image; zero boxes give zero; bad boxes are named', () => {
    const out = { x: 600, y: 0, width: 200, height: 200, score: 1 };
    expect(selectProposals([out], { imageWidth: 500, imageHeight: 375 })).toEqual([]);
    expect(selectProposals([out])).toEqual([out]);
    expect(selectProposals([])).toEqual([]);
    expect(() => selectProposals([boxes[0]!, { x: 0, y: 0, width: Number.NaN, height: 1 }])).toThrow(/boxes\[1\]/);
    expect(() => selectProposals(boxes, { maxCount: -1 })).toThrow(/maxCount/);
  });
});

describe('planWindows', () => {
  it('enlarges first, then selects on the windows (the original filters its enlarged boxes)', () => {
    // 100 px proposal → 120 px window: passes the 112 px test on the window, not on the proposal.
    const p = { x: 100, y: 100, width: 100, height: 100, score: 1 };
    const q = { x: 300, y: 100, width: 80, height: 80, score: 0.5 };
    const plan = planWindows([p, q], 500, 375);
    expect(plan).toEqual([{ proposal: p, index: 0, window: { x: 90, y: 90, width: 120, height: 120, score: 1 } }]);
    expect(planWindows([p, q], 500, 375, { measure: 'proposal' })).toEqual([]);
    expect(
      planWindows([p, q], 500, 375, { minSide: 0, window: { scale: 1, square: false } }).map((w) => w.window),
    ).toEqual([p, q]);
  });
});
