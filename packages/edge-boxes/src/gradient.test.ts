import { describe, expect, it } from 'vitest';
import { gradient2, gradientMag, gradientMagInto } from './gradient.js';
import { rng } from './test-helpers.js';

describe('gradient2', () => {
  it('gives exact slopes on a plane, with one-sided differences at the borders', () => {
    const w = 5;
    const h = 4;
    const src = Float32Array.from({ length: w * h }, (_, i) => 3 * (i % w) - 2 * Math.floor(i / w));
    const { gx, gy } = gradient2(src, w, h);
    for (let i = 0; i < w * h; i++) {
      expect(gx[i]).toBe(3);
      expect(gy[i]).toBe(-2);
    }
  });

  it('matches hand-worked central differences on a quadratic', () => {
    // row 0: x² = 0 1 4 9 → [1-0, (4-0)/2, (9-1)/2, 9-4] = [1, 2, 4, 5]
    const { gx } = gradient2(Float32Array.of(0, 1, 4, 9, 0, 1, 4, 9), 4, 2);
    expect(Array.from(gx.subarray(0, 4))).toEqual([1, 2, 4, 5]);
  });

  it('rejects planes smaller than 2×2', () => {
    expect(() => gradient2(new Float32Array(3), 3, 1)).toThrow(/2×2/);
  });
});

describe('gradientMag', () => {
  it('keeps the channel with the strongest gradient, per pixel', () => {
    const w = 3;
    const h = 3;
    // channel 0: horizontal ramp slope 1; channel 1: vertical ramp slope 2 on the left column only
    const c0 = Float32Array.from({ length: 9 }, (_, i) => i % w);
    const c1 = Float32Array.from({ length: 9 }, (_, i) => (i % w === 0 ? 2 * Math.floor(i / w) : 0));
    const m = gradientMag([c0, c1], w, h);
    // left column: c0 gives gx = 1; c1 gives gx = (0 − 2y)... compute both and take the larger, independently
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const mags = [c0, c1].map((c) => {
          const at = (xx: number, yy: number) => c[yy * w + xx]!;
          const gx =
            x === 0 ? at(1, y) - at(0, y) : x === w - 1 ? at(x, y) - at(x - 1, y) : (at(x + 1, y) - at(x - 1, y)) / 2;
          const gy =
            y === 0 ? at(x, 1) - at(x, 0) : y === h - 1 ? at(x, y) - at(x, y - 1) : (at(x, y + 1) - at(x, y - 1)) / 2;
          return Math.hypot(gx, gy);
        });
        expect(m[y * w + x]).toBeCloseTo(Math.max(...mags), 5);
      }
    }
    expect(() => gradientMag([], 3, 3)).toThrow(/channel/);
  });
});

describe('gradientMagInto (interleaved channels)', () => {
  it('equals gradientMag of the separate planes bit for bit and returns the maximum', () => {
    const w = 13;
    const h = 9;
    const n = w * h;
    const rand = rng(3);
    const inter = Float32Array.from({ length: 3 * n }, () => rand() * 255);
    // ties between channels: channel 1 repeats channel 0 in the left half
    for (let i = 0; i < n; i++) if (i % w < w / 2) inter[3 * i + 1] = inter[3 * i]!;
    const planes = [0, 1, 2].map((c) => Float32Array.from({ length: n }, (_, i) => inter[3 * i + c]!));
    const want = gradientMag(planes, w, h);
    const got = new Float32Array(n);
    const max = gradientMagInto(inter, w, h, 3, got);
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(max).toBe(Math.max(...want));
  });
});
