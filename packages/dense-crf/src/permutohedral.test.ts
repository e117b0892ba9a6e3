import { describe, expect, it } from 'vitest';
import { gaussianFeatures } from './features.js';
import { normalizationFactors } from './normalization.js';
import { PermutohedralLattice } from './permutohedral.js';

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exact Gaussian filter Σ_j exp(−½|f_i − f_j|²) x_j (self included), in double. */
function bruteForce(features: Float32Array, d: number, x: Float64Array, V: number): Float64Array {
  const n = features.length / d;
  const out = new Float64Array(n * V);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = (features[i * d + k] as number) - (features[j * d + k] as number);
        s += t * t;
      }
      const w = Math.exp(-0.5 * s);
      for (let v = 0; v < V; v++) out[i * V + v] = (out[i * V + v] as number) + w * (x[j * V + v] as number);
    }
  }
  return out;
}

/** Response of the lattice to a delta at pixel (cx, cy) of a W×H grid with σ px. */
function deltaResponse(W: number, H: number, sigma: number, cx: number, cy: number): Float32Array {
  const lat = new PermutohedralLattice(gaussianFeatures(W, H, sigma, sigma), 2);
  const x = new Float32Array(W * H);
  x[cy * W + cx] = 1;
  const out = new Float32Array(W * H);
  lat.filter(x, out, 1);
  return out;
}

describe('PermutohedralLattice: hand-checkable cases', () => {
  it('a single point at the origin: response worked out by hand for d = 1 and d = 2', () => {
    // d = 1: vertices 0 and 1; the other vertex is a blur neighbour on both axes: it gets 0.5 on axis 0 and returns
    // 0.5·0.5 on axis 1, so the response is 2·α·1.25 with α = 1/(1 + 2^−1) = 2/3.
    const lat1 = new PermutohedralLattice(new Float32Array(1), 1, { referencePadding: false });
    const out1 = new Float32Array(1);
    lat1.filter(new Float32Array([2]), out1, 1);
    expect(lat1.numVertices).toBe(2);
    expect(out1[0]).toBeCloseTo(2 * (2 / 3) * 1.25, 6);
    // d = 2: all weight on v0 = (0,0); v1 = (1,1), v2 = (2,−1). Axis 0: v2 += 0.5·v0 → 0.5. Axis 1: v1 += 0.5·v2
    // → 0.25. Axis 2: v0 += 0.5·v1 → 1.125. Response 2·α·1.125 with α = 1/(1 + 1/4) = 0.8.
    const lat2 = new PermutohedralLattice(new Float32Array(2), 2, { referencePadding: false });
    const out2 = new Float32Array(1);
    lat2.filter(new Float32Array([2]), out2, 1);
    expect(lat2.numVertices).toBe(3);
    expect(Array.from(lat2.weights)).toEqual([1, 0, 0]);
    expect(out2[0]).toBeCloseTo(2 * 0.8 * 1.125, 6);
  });

  it('barycentric weights are ≥ 0 and sum to 1; distant points do not interact; coincident points add', () => {
    const f = new Float32Array([0.3, 1.7, 0.3, 1.7, 100.2, -50.1]);
    const lat = new PermutohedralLattice(f, 2);
    for (let p = 0; p < 3; p++) {
      let s = 0;
      for (let k = 0; k < 3; k++) {
        const w = lat.weights[p * 3 + k] as number;
        expect(w).toBeGreaterThanOrEqual(-1e-7);
        s += w;
      }
      expect(s).toBeCloseTo(1, 6);
    }
    const out = new Float32Array(3);
    lat.filter(new Float32Array([1, 0, 5]), out, 1);
    // Point 1 sits on point 0: it receives exactly what point 0 receives from itself.
    expect(out[1]).toBe(out[0]);
    // Point 2 is ~100σ away: its response is its own self-weight times 5, the others get nothing from it.
    const self = new Float32Array(3);
    lat.filter(new Float32Array([0, 0, 1]), self, 1);
    expect(self[0]).toBe(0);
    expect(out[2]).toBeCloseTo(5 * (self[2] as number), 5);
  });

  it('rejects features that overflow the int16 lattice keys instead of wrapping silently', () => {
    expect(() => new PermutohedralLattice(new Float32Array([0, 0, 5e4, 0]), 2)).toThrow(/int16/);
    expect(() => new PermutohedralLattice(new Float32Array([0, Number.NaN]), 2)).toThrow(/features/);
  });
});

describe('PermutohedralLattice against brute-force Gaussian filtering', () => {
  it('2-D grid, σ = 3 px: normalised responses within 3 % (max) / 1 % (mean) of the exact filter', () => {
    const W = 30;
    const H = 24;
    const f = gaussianFeatures(W, H, 3, 3);
    const rnd = mulberry(7);
    const V = 3;
    // Smooth-ish signals plus noise.
    const x = new Float64Array(W * H * V);
    for (let p = 0; p < W * H; p++) {
      const px = p % W;
      const py = Math.floor(p / W);
      x[p * V] = 1 + Math.sin(px / 4);
      x[p * V + 1] = py < H / 2 ? 1 : 0;
      x[p * V + 2] = rnd();
    }
    const exact = bruteForce(f, 2, x, V);
    const exactOnes = bruteForce(f, 2, new Float64Array(W * H).fill(1), 1);
    const lat = new PermutohedralLattice(f, 2);
    const out = new Float32Array(W * H * V);
    lat.filter(Float32Array.from(x), out, V);
    const ones = new Float32Array(W * H);
    lat.filter(new Float32Array(W * H).fill(1), ones, 1);
    let maxErr = 0;
    let sumErr = 0;
    let scale = 0;
    for (let p = 0; p < W * H; p++) {
      for (let v = 0; v < V; v++) {
        const a = (out[p * V + v] as number) / (ones[p] as number);
        const b = (exact[p * V + v] as number) / (exactOnes[p] as number);
        maxErr = Math.max(maxErr, Math.abs(a - b));
        sumErr += Math.abs(a - b);
        scale = Math.max(scale, Math.abs(b));
      }
    }
    expect(maxErr / scale).toBeLessThan(0.03);
    expect(sumErr / (W * H * V) / scale).toBeLessThan(0.01);
    // Raw mass: the lattice keeps ≈ 0.88 of the exact Gaussian's mass in 2-D (dense-crf.md §6).
    const ratio = (ones[12 * W + 15] as number) / (exactOnes[12 * W + 15] as number);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(0.95);
  });

  it('5-D random features: normalised responses close to the exact filter', () => {
    const n = 400;
    const d = 5;
    const rnd = mulberry(11);
    const f = new Float32Array(n * d);
    for (let i = 0; i < f.length; i++) f[i] = rnd() * 4;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (f[i * d] as number) > 2 ? 1 : 0;
    const exact = bruteForce(f, d, x, 1);
    const exactOnes = bruteForce(f, d, new Float64Array(n).fill(1), 1);
    const lat = new PermutohedralLattice(f, d);
    const out = new Float32Array(n);
    const ones = new Float32Array(n);
    lat.filter(Float32Array.from(x), out, 1);
    lat.filter(new Float32Array(n).fill(1), ones, 1);
    let sumErr = 0;
    let maxErr = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.abs((out[i] as number) / (ones[i] as number) - (exact[i] as number) / (exactOnes[i] as number));
      sumErr += e;
      maxErr = Math.max(maxErr, e);
    }
    expect(sumErr / n).toBeLessThan(0.05);
    expect(maxErr).toBeLessThan(0.25);
  });
});

describe('PermutohedralLattice: measured facts of the reference lattice (dense-crf.md §6, §4)', () => {
  const W = 101;
  const r = deltaResponse(W, W, 3, 50, 50);

  it('delta response on 101×101, σ = 3: centre 0.827, mass 49.90, σ_eff 2.976, self share 1.66 %', () => {
    let mass = 0;
    let m2 = 0;
    for (let y = 0; y < W; y++) {
      for (let x = 0; x < W; x++) {
        const v = r[y * W + x] as number;
        mass += v;
        m2 += v * ((x - 50) ** 2 + (y - 50) ** 2);
      }
    }
    expect(r[50 * W + 50]).toBeCloseTo(0.827, 2);
    expect(mass).toBeCloseTo(49.9, 1);
    expect(Math.sqrt(m2 / mass / 2)).toBeCloseTo(2.976, 1);
    expect((r[50 * W + 50] as number) / mass).toBeCloseTo(0.0166, 3);
  });

  it('relative response at 1 / 3 / 6 px ≈ 0.907 / 0.630 / 0.188 (averaged over the 4 axis directions)', () => {
    const c = r[50 * W + 50] as number;
    const at = (k: number): number =>
      ((r[50 * W + 50 + k] as number) +
        (r[50 * W + 50 - k] as number) +
        (r[(50 + k) * W + 50] as number) +
        (r[(50 - k) * W + 50] as number)) /
      4 /
      c;
    expect(at(1)).toBeCloseTo(0.907, 1);
    expect(at(3)).toBeCloseTo(0.63, 1);
    expect(at(6)).toBeCloseTo(0.188, 1);
  });

  it('normalisation modes on all-ones, 101×101, σ = 3: centre / corner as measured with the reference', () => {
    const lat = new PermutohedralLattice(gaussianFeatures(W, W, 3, 3), 2);
    const raw = new Float32Array(W * W);
    lat.filter(new Float32Array(W * W).fill(1), raw, 1);
    const centre = 50 * W + 50;
    expect(raw[centre]).toBeCloseTo(49.9, 1);
    expect(raw[0]).toBeCloseTo(13.93, 1);
    const apply = (mode: 'after' | 'before' | 'symmetric'): Float32Array => {
      const f = normalizationFactors(mode, raw) as Float32Array;
      const inp = new Float32Array(W * W).fill(1);
      if (mode !== 'after') for (let i = 0; i < inp.length; i++) inp[i] = f[i] as number;
      const out = new Float32Array(W * W);
      lat.filter(inp, out, 1);
      if (mode !== 'before') for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * (f[i] as number);
      return out;
    };
    const after = apply('after');
    const sym = apply('symmetric');
    const before = apply('before');
    expect(after[centre]).toBeCloseTo(1, 4);
    expect(after[0]).toBeCloseTo(1, 4);
    expect(sym[centre]).toBeCloseTo(1.0001, 3);
    expect(sym[0]).toBeCloseTo(0.734, 2);
    expect(before[centre]).toBeCloseTo(1.0002, 3);
    expect(before[0]).toBeCloseTo(0.553, 2);
  });

  it('the transposed filter (reverse blur order) is the adjoint up to rounding', () => {
    const rnd = mulberry(3);
    const n = 200;
    const f = new Float32Array(n * 2);
    for (let i = 0; i < f.length; i++) f[i] = rnd() * 6;
    const lat = new PermutohedralLattice(f, 2);
    const a = Float32Array.from({ length: n }, () => rnd());
    const b = Float32Array.from({ length: n }, () => rnd());
    const ka = new Float32Array(n);
    const ktb = new Float32Array(n);
    lat.filter(a, ka, 1);
    lat.filter(b, ktb, 1, true);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      s1 += (b[i] as number) * (ka[i] as number);
      s2 += (a[i] as number) * (ktb[i] as number);
    }
    expect(Math.abs(s1 - s2) / Math.abs(s1)).toBeLessThan(1e-5);
  });
});
