import { describe, expect, it } from 'vitest';
import { eigenExpf, eigenSum, expAndNormalize, FLUSH } from './softmax.js';

const f32 = Math.fround;

/** Distance in float32 ulps. */
function ulps(a: number, b: number): number {
  const buf = new Float32Array([a, b]);
  const i = new Int32Array(buf.buffer);
  return Math.abs((i[0] as number) - (i[1] as number));
}

describe('exp implementations', () => {
  it('eigenExpf (Eigen pexp emulation) is within 2 float ulps of exp on [−87, 0]', () => {
    let worst = 0;
    for (let k = 0; k <= 20000; k++) {
      const x = f32(-87 * (k / 20000) ** 1.5);
      worst = Math.max(worst, ulps(eigenExpf(x), f32(Math.exp(x))));
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(eigenExpf(0)).toBe(1);
  });

  it('eigenExpf: clamps at ±88.723 as Eigen does, exact powers of two at x = k·ln2', () => {
    // Eigen clamps the argument instead of underflowing: exp(−200) = exp(−88.723) ≈ 2.9e−39 (a subnormal), not 0.
    expect(eigenExpf(-200)).toBe(eigenExpf(f32(-88.723)));
    expect(eigenExpf(-Infinity)).toBe(eigenExpf(f32(-88.723)));
    expect(eigenExpf(-200)).toBeGreaterThan(2.9e-39);
    expect(eigenExpf(-200)).toBeLessThan(3e-39);
    expect(eigenExpf(Infinity)).toBe(Infinity);
    // Near the subnormal range (m = −127, −128) the result still tracks exp within 2 ulps of the subnormal grid.
    for (const x of [-86, -87, -87.5, -88, -88.5]) {
      const e = eigenExpf(f32(x));
      expect(Math.abs(e - Math.exp(f32(x)))).toBeLessThanOrEqual(2 * 2 ** -149 + 2 ** -23 * Math.exp(f32(x)));
    }
    for (const k of [-20, -5, -1]) expect(eigenExpf(f32(k * Math.LN2))).toBeCloseTo(2 ** k, 12);
  });
});

describe('eigenSum follows Eigen’s vectorised reduction order', () => {
  it('L = 21: two 4-lane accumulators over [0,16), lane-wise add, + [16,20), (a0+a2)+(a1+a3), + tail', () => {
    // Values chosen so that float32 summation order matters.
    const v = new Float32Array(21);
    for (let i = 0; i < 21; i++) v[i] = f32(i % 4 === 0 ? 1e8 : i % 4 === 2 ? -1e8 : 1.5 + i);
    const a = [0, 1, 2, 3].map((j) =>
      f32(f32(f32(v[j] as number) + (v[j + 8] as number)) + f32((v[j + 4] as number) + (v[j + 12] as number))),
    );
    const lanes = a.map((x, j) => f32(x + (v[16 + j] as number)));
    const expected = f32(
      f32(f32((lanes[0] as number) + (lanes[2] as number)) + f32((lanes[1] as number) + (lanes[3] as number))) +
        (v[20] as number),
    );
    expect(eigenSum(v, 21)).toBe(expected);
    let seq = 0;
    for (let i = 0; i < 21; i++) seq = f32(seq + (v[i] as number));
    expect(expected).not.toBe(seq); // the test values do distinguish the orders
  });

  it('small sizes: sequential for L < 4, one packet + tail for L < 8', () => {
    const v = new Float32Array([1e8, 1, -1e8, 1, 3, 5]);
    expect(eigenSum(v, 3)).toBe(f32(f32(1e8 + 1) - 1e8));
    expect(eigenSum(v, 6)).toBe(f32(f32(f32(f32(1e8 - 1e8) + f32(1 + 1)) + 3) + 5));
  });
});

describe('expAndNormalize', () => {
  it('fast mode = Eigen’s packet exp on every label; exact mode differs only in the L mod 4 tail (libm exp)', () => {
    const L = 7; // one packet + 3 tail labels
    const logits = Float32Array.from({ length: L * 40 }, (_, i) => Math.cos(i * 0.37) * 25);
    const fast = new Float32Array(logits.length);
    const exact = new Float32Array(logits.length);
    expAndNormalize(logits, fast, L, new Float32Array(L), false);
    expAndNormalize(logits, exact, L, new Float32Array(L), true);
    let tailDiffers = 0;
    for (let p = 0; p < 40; p++) {
      let mx = -Infinity;
      for (let l = 0; l < L; l++) mx = Math.max(mx, logits[p * L + l] as number);
      const e = Array.from({ length: L }, (_, l) => eigenExpf(f32((logits[p * L + l] as number) - mx)));
      const s = eigenSum(Float32Array.from(e), L);
      for (let l = 0; l < L; l++) expect(fast[p * L + l]).toBe(f32((e[l] as number) / s));
      for (let l = 4; l < L; l++) if (fast[p * L + l] !== exact[p * L + l]) tailDiffers++;
      for (let l = 0; l < L; l++)
        expect(Math.abs((fast[p * L + l] as number) - (exact[p * L + l] as number))).toBeLessThan(1e-6);
    }
    expect(tailDiffers).toBeGreaterThan(0); // the two modes are really different on the tail
  });

  it('fast mode flushes exps below 2^−100 to 0; exact mode keeps Eigen’s clamped subnormal', () => {
    const L = 8; // no tail: exact mode uses Eigen's packet exp on all labels
    const logits = new Float32Array([0, -60, -69, -70, -200, -1, -2, -3]);
    const fast = new Float32Array(L);
    const exact = new Float32Array(L);
    expAndNormalize(logits, fast, L, new Float32Array(L), false);
    expAndNormalize(logits, exact, L, new Float32Array(L), true);
    expect(FLUSH).toBe(2 ** -100);
    // e^−60 ≈ 8.8e−27 > 2^−100 ≈ 7.9e−31: kept
    expect(Math.abs((fast[1] as number) / (fast[0] as number) / Math.exp(-60) - 1)).toBeLessThan(1e-6);
    expect(fast[2]).toBeGreaterThan(0); // e^−69 ≈ 1.0e−30: kept
    expect(fast[3]).toBe(0); // e^−70 ≈ 4.0e−31: flushed
    expect(fast[4]).toBe(0);
    expect(exact[3]).toBeGreaterThan(0);
    expect(exact[4]).toBeGreaterThan(0); // exp clamped at −88.723: a subnormal, as in the reference
    expect(exact[4]).toBeLessThan(2 ** -126);
  });

  it('rows are softmaxes that sum to 1, invariant to adding a constant, in both exp modes', () => {
    const L = 7;
    const logits = Float32Array.from({ length: L * 50 }, (_, i) => Math.sin(i * 1.7) * 30);
    for (const exact of [false, true]) {
      const out = new Float32Array(logits.length);
      expAndNormalize(logits, out, L, new Float32Array(L), exact);
      const shifted = logits.map((x) => x + 100);
      const out2 = new Float32Array(logits.length);
      expAndNormalize(shifted, out2, L, new Float32Array(L), exact);
      for (let p = 0; p < 50; p++) {
        let s = 0;
        let z = 0;
        let mx = -Infinity;
        for (let l = 0; l < L; l++) mx = Math.max(mx, logits[p * L + l] as number);
        for (let l = 0; l < L; l++) z += Math.exp((logits[p * L + l] as number) - mx);
        for (let l = 0; l < L; l++) {
          s += out[p * L + l] as number;
          expect(out[p * L + l]).toBeCloseTo(Math.exp((logits[p * L + l] as number) - mx) / z, 6);
          // x + 100 is rounded to float32 (ulp 7.6e−6), so the shifted softmax differs slightly.
          expect(Math.abs((out2[p * L + l] as number) - (out[p * L + l] as number))).toBeLessThan(2e-5);
        }
        expect(s).toBeCloseTo(1, 6);
      }
    }
  });
});
