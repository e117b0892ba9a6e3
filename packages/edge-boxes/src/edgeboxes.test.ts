import { iou } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { detectEdges } from './detect.js';
import { edgeBoxes, edgeBoxesPdollar, fromPdollarBox, toPdollarBox } from './edgeboxes.js';
import { proposeBoxes } from './propose.js';
import { drawScene, type Shape, shapeBox } from './test-helpers.js';

const SHAPES: Shape[] = [
  { kind: 'ellipse', cx: 52, cy: 60, rx: 34, ry: 24, angle: 0.3, color: [200, 60, 40] },
  { kind: 'rect', cx: 140, cy: 50, rx: 26, ry: 18, angle: 0.12, color: [40, 90, 210] },
  { kind: 'ellipse', cx: 150, cy: 122, rx: 22, ry: 22, angle: 0, color: [230, 220, 70] },
];
const W = 200;
const H = 160;
const scene = drawScene(W, H, SHAPES, [90, 140, 90], 7);

/** Rank (0-based) of the first box with IoU ≥ thr, or −1. */
function rankOf(
  boxes: { x: number; y: number; width: number; height: number }[],
  gt: ReturnType<typeof shapeBox>,
  thr: number,
) {
  return boxes.findIndex((b) => iou(b, gt) >= thr);
}

describe('edgeBoxes on synthetic scenes', () => {
  const edges = detectEdges(scene);
  const boxes = edgeBoxes(edges, { maxBoxes: 500 });

  it('recovers every object among the top boxes at IoU ≥ 0.7', () => {
    for (const s of SHAPES) {
      const gt = shapeBox(s, W, H);
      const r = rankOf(boxes, gt, 0.7);
      expect(r, `object at (${s.cx}, ${s.cy})`).toBeGreaterThanOrEqual(0);
      expect(r, `object at (${s.cx}, ${s.cy})`).toBeLessThan(15);
    }
  });

  it('returns sorted, in-image boxes with positive scores, within maxBoxes', () => {
    expect(boxes.length).toBeGreaterThan(20);
    expect(boxes.length).toBeLessThanOrEqual(500);
    for (let i = 0; i < boxes.length; i++) {
      const b = boxes[i]!;
      if (i) expect(b.score).toBeLessThanOrEqual(boxes[i - 1]!.score);
      expect(b.score).toBeGreaterThanOrEqual(0.01);
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(W);
      expect(b.y + b.height).toBeLessThanOrEqual(H);
      expect(Number.isInteger(b.x) && Number.isInteger(b.width)).toBe(true);
    }
    // NMS at β = .75: no two kept boxes overlap more (IoU in the code's w·h convention ≈ this one)
    for (let i = 0; i < Math.min(60, boxes.length); i++) {
      for (let j = 0; j < i; j++) expect(iou(boxes[i]!, boxes[j]!)).toBeLessThan(0.8);
    }
  });

  it('is deterministic and keeps no state between calls', () => {
    const other = edgeBoxes(detectEdges(drawScene(120, 90, SHAPES.slice(0, 1), [0, 0, 0], 3)), { maxBoxes: 50 });
    expect(other.length).toBeGreaterThan(0);
    expect(edgeBoxes(edges, { maxBoxes: 500 })).toEqual(boxes);
    expect(proposeBoxes(scene, { maxBoxes: 500 })).toEqual(boxes);
  });

  it('converts between the pdollar/OpenCV convention (1-based, w = x1 − x0) and Box (0-based, pixels covered)', () => {
    const raw = edgeBoxesPdollar(edges, { maxBoxes: 500 });
    expect(raw.length).toBe(boxes.length);
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      const b = boxes[i]!;
      expect(b).toEqual({ x: r.x - 1, y: r.y - 1, width: r.w + 1, height: r.h + 1, score: r.score });
      expect(fromPdollarBox(r)).toEqual(b);
      expect(toPdollarBox(b)).toEqual(r);
    }
  });

  it('presets and parameters change the output the documented way', () => {
    const eb50 = edgeBoxes(edges, { preset: 'EdgeBoxes50', maxBoxes: 10000 });
    const eb70 = edgeBoxes(edges, { maxBoxes: 10000 });
    expect(eb50.length).toBeLessThan(eb70.length); // stricter NMS keeps fewer boxes
    const noNms = edgeBoxes(edges, { beta: 1, maxBoxes: 5 });
    expect(noNms.length).toBeGreaterThan(eb70.length); // β > .99: no NMS and no cap
    const strict = edgeBoxes(edges, { minScore: 0.2 });
    expect(strict.length).toBeLessThan(eb70.length);
    for (const b of strict) expect(b.score).toBeGreaterThanOrEqual(0.2);
    expect(edgeBoxes(edges, { maxBoxes: 0 })).toEqual([]);
    expect(edgeBoxes(edges, { preset: 'fast', maxBoxes: 10 }).length).toBe(10);
  });

  it('accepts an external edge map: a flat map yields no boxes', () => {
    const n = W * H;
    expect(
      edgeBoxes({ width: W, height: H, magnitude: new Float32Array(n), orientation: new Float32Array(n) }),
    ).toEqual([]);
  });
});

describe('bad input', () => {
  const n = 50 * 40;
  const ok = { width: 50, height: 40, magnitude: new Float32Array(n), orientation: new Float32Array(n) };

  it('rejects malformed edge maps with a message naming the argument', () => {
    expect(() => edgeBoxes({ ...ok, width: 0 })).toThrow(/edgeBoxes edges: size must be positive/);
    expect(() =>
      edgeBoxes({ width: 1, height: 1, magnitude: new Float32Array(1), orientation: new Float32Array(1) }),
    ).toThrow(/at least 3×3/);
    expect(() => edgeBoxes({ ...ok, magnitude: new Float32Array(n - 1) })).toThrow(
      /magnitude: has 1999 values, expected 50×40/,
    );
    expect(() => edgeBoxes({ ...ok, orientation: new Float64Array(n) as unknown as Float32Array })).toThrow(
      /Float32Array/,
    );
    const nan = new Float32Array(n);
    nan[3 * 50 + 7] = Number.NaN;
    expect(() => edgeBoxes({ ...ok, magnitude: nan })).toThrow(/magnitude: value NaN at \(x=7, y=3\)/);
    const neg = new Float32Array(n);
    neg[0] = -0.5;
    expect(() => edgeBoxes({ ...ok, magnitude: neg })).toThrow(/not a finite number ≥ 0/);
    const deg = new Float32Array(n).fill(90);
    expect(() => edgeBoxes({ ...ok, orientation: deg })).toThrow(/radians/);
    expect(() => edgeBoxes(null as never)).toThrow(/EdgeMap/);
  });

  it('rejects nonsensical parameters', () => {
    expect(() => edgeBoxes(ok, { alpha: 1 })).toThrow(/alpha: must be a number in \(0, 1\)/);
    expect(() => edgeBoxes(ok, { alpha: Number.NaN })).toThrow(/alpha/);
    expect(() => edgeBoxes(ok, { maxBoxes: -1 })).toThrow(/maxBoxes: must be an integer ≥ 0/);
    expect(() => edgeBoxes(ok, { maxBoxes: 2.5 })).toThrow(/maxBoxes/);
    expect(() => edgeBoxes(ok, { beta: 0 })).toThrow(/beta/);
    expect(() => edgeBoxes(ok, { minBoxArea: 0 })).toThrow(/minBoxArea/);
    expect(() => edgeBoxes(ok, { maxAspectRatio: 0.5 })).toThrow(/maxAspectRatio/);
    expect(() => edgeBoxes(ok, { preset: 'EB99' as never })).toThrow(/unknown preset "EB99"/);
    expect(() => edgeBoxes(ok, { alhpa: 0.5 } as never)).toThrow(/unknown option "alhpa"/);
  });

  it('rejects empty or 1-pixel images and bad detector options', () => {
    expect(() => detectEdges({ width: 0, height: 0, data: new Uint8Array(0) })).toThrow(/detectEdges image/);
    expect(() => detectEdges({ width: 1, height: 1, data: new Uint8Array(3) })).toThrow(/at least 2×2/);
    expect(() => detectEdges({ width: 4, height: 4, data: new Uint8Array(47) })).toThrow(/48/);
    const img = drawScene(20, 20, [], [0, 0, 0]);
    expect(() => detectEdges(img, { smoothRadius: -1 })).toThrow(/smoothRadius/);
    expect(() => detectEdges(img, { scales: [] })).toThrow(/scales/);
    expect(() => detectEdges(img, { colorSpace: 'hsv' as never })).toThrow(/colorSpace/);
    expect(() => proposeBoxes(img, { edges: { nms: 1 } as never })).toThrow(/unknown option "nms"/);
  });
});
