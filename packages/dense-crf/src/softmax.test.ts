import { describe, expect, it } from 'vitest';
import { eigenExpf, eigenSum, expAndNormalize, fastExp } from './softmax.js';

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

  it('fastExp has relative error < 1e−12 on [−100, 0] and underflows to 0 below −104', () => {
    let worst = 0;
    for (let k = 0; k <= 50000; k++) {
      const x = -100 * (k / 50000) ** 2;
      worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
    }
    expect(worst).toBeLessThan(1e-12);
    expect(fastExp(-200)).toBe(0);
    expect(fastExp(0)).toBe(1);
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
