import { describe, expect, it } from 'vitest';
import { boxesNms, rawOverlap } from './nms.js';
import type { RawBox } from './refine.js';

const B = (x: number, y: number, w: number, h: number, score: number): RawBox => ({ x, y, w, h, score });

describe('rawOverlap (code convention: area w·h, spans [x, x+w))', () => {
  it('hand-worked cases', () => {
    expect(rawOverlap(B(0, 0, 10, 10, 0), B(0, 0, 10, 10, 0))).toBe(1);
    // 10×10 vs shifted by 5: inter 50, union 150
    expect(rawOverlap(B(0, 0, 10, 10, 0), B(5, 0, 10, 10, 0))).toBeCloseTo(1 / 3, 6);
    expect(rawOverlap(B(0, 0, 10, 10, 0), B(10, 0, 10, 10, 0))).toBe(0);
    expect(rawOverlap(B(0, 0, 0, 10, 0), B(0, 0, 10, 10, 0))).toBe(0);
  });
});

describe('boxesNms', () => {
  const boxes = () => [
    B(0, 0, 100, 100, 0.5),
    B(2, 2, 100, 100, 0.9), // IoU with the first ≈ 0.92
    B(50, 0, 100, 100, 0.7), // IoU with the second ≈ 0.31
    B(300, 300, 40, 40, 0.1),
    B(0, 0, 60, 100, 0.8), // IoU with the second ≈ 0.55
  ];

  it('sorts by score and drops boxes overlapping a kept one by more than β', () => {
    const out = boxesNms(boxes(), 0.75, 1, 100);
    expect(out.map((b) => b.score)).toEqual([0.9, 0.8, 0.7, 0.1]);
    const out2 = boxesNms(boxes(), 0.5, 1, 100);
    expect(out2.map((b) => b.score)).toEqual([0.9, 0.7, 0.1]);
  });

  it('stops after maxBoxes; β > 0.99 returns everything sorted (no NMS, no cap), like the original', () => {
    expect(boxesNms(boxes(), 0.75, 1, 2).map((b) => b.score)).toEqual([0.9, 0.8]);
    expect(boxesNms(boxes(), 1, 1, 2).map((b) => b.score)).toEqual([0.9, 0.8, 0.7, 0.5, 0.1]);
  });

  it('adaptive NMS (η < 1) lowers the threshold after each kept box', () => {
    // chain of boxes each overlapping its predecessor with IoU 0.6 < β = 0.65
    const chain = Array.from({ length: 30 }, (_, i) => B(i * 25, 0, 100, 100, 1 - i / 100));
    const fixed = boxesNms(
      chain.map((b) => ({ ...b })),
      0.65,
      1,
      100,
    );
    const adaptive = boxesNms(
      chain.map((b) => ({ ...b })),
      0.65,
      0.9,
      100,
    );
    // IoU(25 px shift) = 75/125 = 0.6: with β fixed every other ... all kept pairs stay ≤ .65
    expect(fixed.length).toBeGreaterThan(adaptive.length);
    // after two kept boxes thr = .65·.9·.9 = .5265 < .6, so the 25-px neighbours of later boxes are dropped
    for (let i = 1; i < adaptive.length; i++) expect(adaptive[i]!.x - adaptive[i - 1]!.x).toBeGreaterThanOrEqual(25);
  });
});
