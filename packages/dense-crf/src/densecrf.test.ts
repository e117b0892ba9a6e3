import { describe, expect, it } from 'vitest';
import { argmaxLabels, DenseCRF, DenseCRF2D } from './densecrf.js';
import { DenseCrfError } from './errors.js';

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const W = 36;
const H = 28;
const L = 5;

/** A two-region image with a noisy unary that prefers the right label 60 % of the time. */
function problem(seed = 1): { image: Uint8Array; unary: Float32Array; truth: Uint8Array } {
  const rnd = mulberry(seed);
  const image = new Uint8Array(W * H * 3);
  const truth = new Uint8Array(W * H);
  const unary = new Float32Array(W * H * L);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const lbl = (x - 18) ** 2 + (y - 14) ** 2 < 81 ? 2 : 0;
      truth[p] = lbl;
      image.set(lbl === 2 ? [200, 40, 40] : [30, 90, 160], p * 3);
      for (let l = 0; l < L; l++) unary[p * L + l] = 1.2 + rnd() * 3.5 - (l === lbl ? 1.3 : 0);
    }
  }
  return { image, unary, truth };
}

function build(compatG: number | Float32Array = 3, compatB: number | Float32Array = 10, exactExp = false): DenseCRF2D {
  const { image, unary } = problem();
  const crf = new DenseCRF2D(W, H, L, { exactExp });
  crf.setUnaryEnergy(unary);
  crf.addPairwiseGaussian({ sxy: 3, compat: compatG });
  crf.addPairwiseBilateral({ sxy: 20, srgb: 13, image, compat: compatB });
  return crf;
}

describe('mean-field invariants', () => {
  it('0 iterations returns softmax(−U) (computed independently in double)', () => {
    const { unary } = problem();
    const q = build().inference(0);
    for (let p = 0; p < W * H; p++) {
      let z = 0;
      let mn = Infinity;
      for (let l = 0; l < L; l++) mn = Math.min(mn, unary[p * L + l] as number);
      for (let l = 0; l < L; l++) z += Math.exp(mn - (unary[p * L + l] as number));
      for (let l = 0; l < L; l++) expect(q[p * L + l]).toBeCloseTo(Math.exp(mn - (unary[p * L + l] as number)) / z, 6);
    }
  });

  it('marginals are probabilities summing to 1 per pixel after every iteration', () => {
    const crf = build();
    crf.startInference();
    for (let it = 0; it < 4; it++) {
      crf.stepInference();
      const q = crf.currentMarginals();
      for (let p = 0; p < W * H; p++) {
        let s = 0;
        for (let l = 0; l < L; l++) {
          const v = q[p * L + l] as number;
          expect(v).toBeGreaterThanOrEqual(0);
          s += v;
        }
        expect(Math.abs(s - 1)).toBeLessThan(2e-6);
      }
    }
    expect(crf.iterations).toBe(4);
  });

  it('the step API gives exactly the marginals of inference(n); map = argmax (first label on ties)', () => {
    for (const exactExp of [false, true]) {
      const crf = build(3, 10, exactExp);
      const q = crf.inference(3);
      crf.startInference();
      for (let i = 0; i < 3; i++) crf.stepInference();
      expect(crf.currentMarginals()).toEqual(q);
      expect(crf.currentMap()).toEqual(argmaxLabels(q, L));
      expect(crf.map(3)).toEqual(argmaxLabels(q, L));
      // Repeated calls reuse buffers without leaking state.
      expect(crf.inference(3)).toEqual(q);
    }
    expect(Array.from(argmaxLabels(new Float32Array([0.2, 0.4, 0.4, 0.5, 0.5, 0]), 3))).toEqual([1, 0]);
  });

  it('smoothing improves on the unary argmax and recovers the two regions', () => {
    const { unary, truth } = problem();
    const labels = build().map(5);
    const u = argmaxLabels(
      unary.map((x) => -x),
      L,
    );
    let accU = 0;
    let accC = 0;
    for (let p = 0; p < W * H; p++) {
      if (u[p] === truth[p]) accU++;
      if (labels[p] === truth[p]) accC++;
    }
    expect(accU / (W * H)).toBeLessThan(0.8);
    expect(accC / (W * H)).toBeGreaterThan(0.97);
  });

  it('Potts(w), Diagonal(−w…) and Matrix(−w·I) are bit-identical (dense-crf.md §5)', () => {
    const diag = (w: number): Float32Array => new Float32Array(L).fill(-w);
    const mat = (w: number): Float32Array => {
      const m = new Float32Array(L * L);
      for (let l = 0; l < L; l++) m[l * L + l] = -w;
      return m;
    };
    const a = build(3, 10).inference(3);
    expect(build(diag(3), diag(10)).inference(3)).toEqual(a);
    expect(build(mat(3), mat(10)).inference(3)).toEqual(a);
  });

  it('the sign trap: a positive diagonal penalises agreement, the opposite of Potts with the same numbers', () => {
    const { truth } = problem();
    const acc = (labels: Uint8Array): number => labels.reduce((s, l, p) => s + (l === truth[p] ? 1 : 0), 0) / (W * H);
    const potts = acc(build(3, 10).map(5));
    const positiveDiag = acc(build(new Float32Array(L).fill(3), new Float32Array(L).fill(10)).map(5));
    expect(potts).toBeGreaterThan(0.97);
    expect(positiveDiag).toBeLessThan(0.5);
  });

  it('a matrix compatibility is symmetrised: m and mᵀ give the same result', () => {
    const rnd = mulberry(5);
    const m = Float32Array.from({ length: L * L }, () => -rnd() * 4);
    const mt = new Float32Array(L * L);
    for (let a = 0; a < L; a++) for (let b = 0; b < L; b++) mt[a * L + b] = m[b * L + a] as number;
    expect(build(3, m).inference(2)).toEqual(build(3, mt).inference(2));
  });

  it('generic DenseCRF with addPairwiseEnergy equals DenseCRF2D with the same features', () => {
    const { unary } = problem();
    const crf2d = new DenseCRF2D(W, H, L);
    crf2d.setUnaryEnergy(unary);
    const term = crf2d.addPairwiseGaussian({ sxy: 3, compat: 3, normalization: 'after' });
    const feats = new Float32Array(W * H * 2);
    for (let p = 0; p < W * H; p++) {
      feats[2 * p] = (p % W) / 3;
      feats[2 * p + 1] = Math.floor(p / W) / 3;
    }
    const crf = new DenseCRF(W * H, L);
    crf.setUnaryEnergy(unary);
    crf.addPairwiseEnergy({ features: feats, dims: 2, compat: 3, normalization: 'after' });
    expect(crf.inference(3)).toEqual(crf2d.inference(3));
    expect(term.lattice.numVertices).toBe(crf.pairwiseTerms[0]?.lattice.numVertices);
  });

  it('planar (L × N) input layout and probabilities give the same model', () => {
    const { unary } = problem();
    const planar = new Float32Array(W * H * L);
    for (let p = 0; p < W * H; p++) for (let l = 0; l < L; l++) planar[l * W * H + p] = unary[p * L + l] as number;
    const a = new DenseCRF2D(W, H, L);
    a.setUnaryEnergy(unary);
    const b = new DenseCRF2D(W, H, L);
    b.setUnaryEnergy(planar, { layout: 'lhw' });
    expect(b.inference(0)).toEqual(a.inference(0));
    const probs = a.inference(0);
    const c = new DenseCRF2D(W, H, L);
    c.setUnaryFromProbabilities(probs, { clip: 1e-8 });
    const qc = c.inference(0);
    for (let i = 0; i < probs.length; i++)
      expect(Math.abs((qc[i] as number) - (probs[i] as number))).toBeLessThan(1e-6);
    const zero = new DenseCRF2D(1, 1, 2);
    zero.setUnaryFromProbabilities([0, 1], { clip: 1e-8 });
    expect(zero.inference(0)[0]).toBeCloseTo(1e-8, 12);
  });
});

describe('bad input gives clear errors', () => {
  const { image, unary } = problem();
  const fresh = (): DenseCRF2D => new DenseCRF2D(W, H, L);

  it('non-finite unaries are rejected with their position', () => {
    const nan = unary.slice();
    nan[7 * L + 3] = Number.NaN;
    expect(() => fresh().setUnaryEnergy(nan)).toThrow(
      /unary: non-finite value NaN at element 38 \(pixel 7, channel 3\)/,
    );
    const inf = unary.slice();
    inf[0] = Number.POSITIVE_INFINITY;
    expect(() => fresh().setUnaryEnergy(inf)).toThrow(DenseCrfError);
    const huge = Float64Array.from(unary);
    huge[5] = 1e39; // finite in double, infinite in float32
    expect(() => fresh().setUnaryEnergy(huge)).toThrow(/unary: a value is outside the float32 range/);
    const planar = new Float32Array(unary.length);
    planar[2 * W * H + 4] = Number.NEGATIVE_INFINITY; // 'lhw': label 2 of pixel 4
    expect(() => fresh().setUnaryEnergy(planar, { layout: 'lhw' })).toThrow(/-Infinity at element/);
    expect(() => fresh().setUnaryFromProbabilities(new Float32Array(W * H * L).fill(Number.NaN))).toThrow(
      /probabilities/,
    );
    expect(() => fresh().setUnaryFromProbabilities(new Float32Array(W * H * L).fill(1.5))).toThrow(/\[0, 1\]/);
  });

  it('wrong lengths, label counts and sizes', () => {
    expect(() => fresh().setUnaryEnergy(unary.subarray(1))).toThrow(/unary: expected 5040 values/);
    expect(() => new DenseCRF2D(W, H, 0)).toThrow(/numLabels/);
    expect(() => new DenseCRF2D(W, H, 1)).toThrow(/numLabels/);
    expect(() => new DenseCRF2D(0, H, 3)).toThrow(/width/);
    expect(() => new DenseCRF2D(2.5, H, 3)).toThrow(/width/);
    expect(() => fresh().addPairwiseBilateral({ image: image.subarray(3) })).toThrow(/image: expected 3024 values/);
    expect(() =>
      fresh().addPairwiseBilateral({ image: { width: W + 1, height: H, data: new Uint8Array((W + 1) * H * 3) } }),
    ).toThrow(/image: size 37×28 does not match/);
    expect(() => fresh().addPairwiseEnergy({ features: new Float32Array(10), dims: 2, compat: 1 })).toThrow(/features/);
  });

  it('bad parameters', () => {
    expect(() => fresh().addPairwiseGaussian({ sx: 0 })).toThrow(/sx/);
    expect(() => fresh().addPairwiseGaussian({ sxy: Number.NaN })).toThrow(/sx/);
    expect(() => fresh().addPairwiseGaussian({ normalization: 'global' as never })).toThrow(
      /normalization: expected one of/,
    );
    expect(() => fresh().addPairwiseGaussian({ compat: new Float32Array(L + 1) })).toThrow(
      /compat: expected 5 \(diagonal\) or 25/,
    );
    expect(() => fresh().addPairwiseGaussian({ compat: Number.POSITIVE_INFINITY })).toThrow(/compat/);
    expect(() => fresh().addPairwiseEnergy({ features: new Float32Array(W * H), dims: 1 } as never)).toThrow(
      /compat.*required/,
    );
    expect(() => fresh().inference(1)).toThrow(/no unary/);
    const crf = fresh();
    crf.setUnaryEnergy(unary);
    expect(() => crf.inference(-1)).toThrow(/iterations/);
    expect(() => crf.currentMarginals()).toThrow(/not started/);
  });
});
