import { describe, expect, it } from 'vitest';
import { gridShapes, stepSizes, windowCount } from './grid.js';

const P = { alpha: 0.65, maxAspectRatio: 3, minBoxArea: 1000 };

/**
 * Literal transcription of the C++ loops, counting instead of storing; `r` rounds every arithmetic result
 * (Math.fround = the C++ float arithmetic, identity = double precision).
 */
function enumerate(
  W: number,
  H: number,
  alpha: number,
  maxAr: number,
  minArea: number,
  r: (v: number) => number,
): number {
  const a0 = r(alpha);
  const sc = r(Math.sqrt(r(1 / a0)));
  const ar = r(r(1 + a0) / r(2 * a0));
  const ratio = r(r(1 - a0) / r(1 + a0));
  const minSize = r(Math.sqrt(r(minArea)));
  const arRad = Math.trunc(r(r(Math.log(r(maxAr))) / r(Math.log(r(ar * ar)))));
  const scNum = Math.ceil(r(r(Math.log(r(Math.max(W, H) / minSize))) / r(Math.log(sc))));
  let n = 0;
  for (let s = 0; s < scNum; s++) {
    for (let a = 0; a <= 2 * arRad; a++) {
      const q = r(ar ** (a - arRad));
      const size = r(minSize * r(sc ** s));
      const bh = Math.trunc(r(size / q));
      const bw = Math.trunc(r(size * q));
      const ky = Math.max(2, Math.trunc(r(bh * ratio)));
      const kx = Math.max(2, Math.trunc(r(bw * ratio)));
      for (let x = 0; x < W - bw + kx; x += kx) for (let y = 0; y < H - bh + ky; y += ky) n++;
    }
  }
  return n;
}
const id = (v: number) => v;

describe('sliding-window grid', () => {
  it('step sizes for α = .65 (edge-boxes.md §2.5)', () => {
    const s = stepSizes(0.65);
    expect(s.scale).toBeCloseTo(1.2403, 4);
    expect(s.aspect).toBeCloseTo(1.2692, 4);
    expect(s.ratio).toBeCloseTo(0.2121, 4);
  });

  it('500×375 at α .65: 13 scales × 5 aspect ratios, ≈55,100 windows, equal to a literal enumeration', () => {
    const shapes = gridShapes(500, 375, P);
    expect(shapes.length).toBe(13 * 5);
    // aspect ratios w/h ≈ 0.39, 0.62, 1, 1.61, 2.59 at the largest scale
    const last = shapes.slice(-5).map((s) => s.w / s.h);
    for (const [i, r] of [0.39, 0.62, 1, 1.61, 2.59].entries()) expect(last[i]).toBeCloseTo(r, 1);
    const n = windowCount(500, 375, P);
    expect(n).toBe(enumerate(500, 375, 0.65, 3, 1000, Math.fround));
    expect(enumerate(500, 375, 0.65, 3, 1000, id)).toBe(n);
    expect(Math.abs(n - 55100)).toBeLessThan(200);
  });

  it('α .625 gives ≈44,000 windows; α .85 uses 13 aspect ratios × 34 scales, where float32 matters', () => {
    expect(Math.abs(windowCount(500, 375, { ...P, alpha: 0.625 }) - 44000) / 44000).toBeLessThan(0.02);
    expect(gridShapes(500, 375, { ...P, alpha: 0.85 }).length).toBe(13 * 34);
    const n90 = windowCount(500, 375, { ...P, alpha: 0.85 });
    expect(n90).toBe(enumerate(500, 375, 0.85, 3, 1000, Math.fround));
    // in double precision (1−α)/(1+α)·w hits exact integers that float32 rounds just below, so the C++ (float)
    // takes smaller steps: 2.54 M windows instead of the ≈2.45 M that double arithmetic (and the reference doc) gives
    const n90double = enumerate(500, 375, 0.85, 3, 1000, id);
    expect(Math.abs(n90double - 2.45e6) / 2.45e6).toBeLessThan(0.01);
    expect(n90).toBeGreaterThan(n90double);
  });

  it('has no windows when the image is smaller than the minimum box side', () => {
    expect(windowCount(20, 30, P)).toBe(0);
  });
});
