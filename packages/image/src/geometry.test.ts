import { describe, expect, it } from 'vitest';
import { boxArea, clampBox, enlargeBox, flipBoxHorizontal, intersection, iou, makeSquare, roundBoxOut } from './box.js';

describe('box geometry', () => {
  it('computes IoU of hand-worked cases', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(iou(a, a)).toBe(1);
    // Half overlap: intersection 50, union 150.
    expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(1 / 3, 12);
    // Contained: 4/100.
    expect(iou(a, { x: 3, y: 3, width: 2, height: 2 })).toBeCloseTo(0.04, 12);
    // Touching edges do not overlap.
    expect(iou(a, { x: 10, y: 0, width: 5, height: 5 })).toBe(0);
    expect(intersection(a, { x: 10, y: 0, width: 5, height: 5 })).toBeNull();
    expect(iou(a, { x: 0, y: 0, width: 0, height: 5 })).toBe(0);
  });

  it('agrees with a brute-force pixel count for integral boxes', () => {
    let seed = 1;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 50; t++) {
      const a = { x: rnd(20), y: rnd(20), width: 1 + rnd(15), height: 1 + rnd(15) };
      const b = { x: rnd(20), y: rnd(20), width: 1 + rnd(15), height: 1 + rnd(15) };
      let inter = 0;
      let union = 0;
      for (let y = 0; y < 40; y++) {
        for (let x = 0; x < 40; x++) {
          const ina = x >= a.x && x < a.x + a.width && y >= a.y && y < a.y + a.height;
          const inb = x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height;
          if (ina && inb) inter++;
          if (ina || inb) union++;
        }
      }
      expect(iou(a, b)).toBeCloseTo(inter / union, 12);
    }
  });

  it('clamps, enlarges, squares and flips', () => {
    expect(clampBox({ x: -5, y: 2, width: 20, height: 100, score: 0.7 }, 10, 50)).toEqual({
      x: 0,
      y: 2,
      width: 10,
      height: 48,
      score: 0.7,
    });
    expect(clampBox({ x: 20, y: 0, width: 5, height: 5 }, 10, 10)).toBeNull();
    const e = enlargeBox({ x: 10, y: 20, width: 10, height: 20 }, 1.2);
    expect(e.x).toBeCloseTo(9, 12);
    expect(e.y).toBeCloseTo(18, 12);
    expect(e.width).toBeCloseTo(12, 12);
    expect(e.height).toBeCloseTo(24, 12);
    expect(() => enlargeBox(e, 0)).toThrow(/factor/);
    expect(makeSquare({ x: 0, y: 10, width: 40, height: 20 })).toEqual({ x: 0, y: 0, width: 40, height: 40 });
    expect(boxArea({ x: 0, y: 0, width: 3, height: 4 })).toBe(12);
    expect(roundBoxOut({ x: 1.2, y: 2.9, width: 3.1, height: 0.2 })).toEqual({ x: 1, y: 2, width: 4, height: 2 });
    expect(flipBoxHorizontal({ x: 1, y: 2, width: 3, height: 4 }, 10)).toEqual({ x: 6, y: 2, width: 3, height: 4 });
  });
});
