import { describe, expect, it } from 'vitest';
import { edgeNms } from './edgenms.js';
import { edgeOrientation } from './orientation.js';
import { rng } from './test-helpers.js';

function ring(w: number, h: number, cx: number, cy: number, r: number, sigma: number): Float32Array {
  const e = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - cx, y - cy) - r;
      e[y * w + x] = Math.exp((-d * d) / (2 * sigma * sigma));
    }
  }
  return e;
}

/** Distance between two angles mod π. */
function angDist(a: number, b: number): number {
  const d = Math.abs(a - b) % Math.PI;
  return Math.min(d, Math.PI - d);
}

describe('edgeOrientation', () => {
  it('follows the edgesDetect.m formula on a ridge circle: exact normal at 0/45/90/135°, atan(tan²θ) between', () => {
    const w = 64;
    const h = 64;
    const e = ring(w, h, 31.7, 32.2, 20, 1.5);
    const o = edgeOrientation(e, w, h);
    const errs: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        expect(o[i]).toBeGreaterThanOrEqual(0);
        expect(o[i]).toBeLessThan(Math.PI);
        if (e[i]! > 0.8) {
          const th = Math.atan2(y - 32.2, x - 31.7);
          // a ridge along normal θ has Hessian ∝ n·nᵀ, so the formula yields atan(sign(sin 2θ)·tan²θ) mod π
          const t2 = Math.tan(th) ** 2;
          const want = (Math.atan(Math.sign(Math.sin(2 * th)) * t2) + Math.PI) % Math.PI;
          errs.push(angDist(o[i]!, want));
          const deg = ((th * 180) / Math.PI + 360) % 45;
          if (Math.min(deg, 45 - deg) < 1) expect(angDist(o[i]!, th)).toBeLessThan(0.06);
        }
      }
    }
    expect(errs.length).toBeGreaterThan(100);
    errs.sort((a, b) => a - b);
    expect(errs[Math.floor(errs.length * 0.5)]).toBeLessThan(0.03);
    expect(errs[Math.floor(errs.length * 0.95)]).toBeLessThan(0.1);
  });

  it('reproduces the sign(0) quirk: an exactly horizontal ridge gets O = 0, not π/2', () => {
    const w = 20;
    const h = 20;
    const e = new Float32Array(w * h);
    for (let x = 0; x < w; x++) e[10 * w + x] = 1;
    const o = edgeOrientation(e, w, h);
    expect(o[10 * w + 10]).toBe(0);
  });
});

describe('edgeNms', () => {
  it('keeps only the ridge crest along the normal', () => {
    const w = 9;
    const h = 5;
    const profile = [0, 0.1, 0.3, 0.6, 1, 0.6, 0.3, 0.1, 0];
    const e = Float32Array.from({ length: w * h }, (_, i) => profile[i % w]!);
    const across = edgeNms(e, new Float32Array(w * h), w, h); // normal along x
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) expect(across[y * w + x]).toBe(x === 4 ? 1 : 0);
    }
    // the same profile along y with the normal along y (sin(fround(π/2)) = 1 exactly)
    const t = Float32Array.from({ length: w * h }, (_, i) => profile[Math.floor(i / h)]!);
    const down = edgeNms(t, new Float32Array(w * h).fill(Math.PI / 2), h, w);
    for (let i = 0; i < w * h; i++) expect(down[i]).toBe(Math.floor(i / h) === 4 ? 1 : 0);
    // normal along x over a profile that only varies along y: cos 0 = 1, sin 0 = 0 exactly, nothing is stronger
    const along = edgeNms(t, new Float32Array(w * h), h, w);
    expect(Array.from(along)).toEqual(Array.from(t));
  });

  it('agrees with a double-precision brute force on a random map (clamped bilinear samples at d = ±1, ±2)', () => {
    const w = 17;
    const h = 13;
    const rand = rng(5);
    const e = Float32Array.from({ length: w * h }, () => (rand() < 0.3 ? 0 : rand()));
    const o = Float32Array.from({ length: w * h }, () => rand() * Math.PI);
    const out = edgeNms(e, o, w, h);
    const at = (x: number, y: number) => {
      x = Math.min(Math.max(x, 0), w - 1.001);
      y = Math.min(Math.max(y, 0), h - 1.001);
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const g = (xx: number, yy: number) => e[yy * w + xx]!;
      return (
        g(x0, y0) * (1 - fx) * (1 - fy) +
        g(x0 + 1, y0) * fx * (1 - fy) +
        g(x0, y0 + 1) * (1 - fx) * fy +
        g(x0 + 1, y0 + 1) * fx * fy
      );
    };
    let kept = 0;
    let killed = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const samples = [-2, -1, 1, 2].map((d) => at(x + d * Math.cos(o[i]!), y + d * Math.sin(o[i]!)));
        const margin = Math.min(...samples.map((s) => Math.abs(s - e[i]!)));
        if (margin < 1e-5) continue; // near-tie: float32 may decide either way
        const survives = samples.every((s) => s <= e[i]!);
        expect(out[i]).toBe(survives ? e[i] : 0);
        if (e[i]! > 0) survives ? kept++ : killed++;
      }
    }
    expect(kept).toBeGreaterThan(5);
    expect(killed).toBeGreaterThan(5);
  });

  it('attenuates a border band when asked (s > 0)', () => {
    const e = new Float32Array(10 * 10).fill(0.5);
    const out = edgeNms(e, new Float32Array(100).fill(Math.PI / 2), 10, 10, { radius: 1, border: 4 });
    expect(out[0]).toBe(0); // x = 0 → weight 0
    expect(out[5 * 10 + 2]).toBeCloseTo(0.5 * (2 / 4), 6);
    expect(out[5 * 10 + 5]).toBeCloseTo(0.5, 6);
  });
});

describe('edgeOrientation input checks', () => {
  it('rejects a wrong buffer size, a bad radius and planes under 2×2', () => {
    expect(() => edgeOrientation(new Float32Array(11), 3, 4)).toThrow(/11 values, expected 3×4/);
    expect(() => edgeOrientation(new Float32Array(12), 3, 4, 1.5)).toThrow(/radius/);
    expect(() => edgeOrientation(new Float32Array(3), 3, 1)).toThrow(/2×2/);
  });
});
