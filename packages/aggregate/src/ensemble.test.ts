import { createScoreMap, type ScoreMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { ensembleWithFcn } from './ensemble.js';

const pix = (...v: number[][]): ScoreMap => ({
  width: v.length,
  height: 1,
  channels: v[0]!.length,
  data: new Float32Array(v.flat()),
});
const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const at = (m: ScoreMap, p: number) => [...m.data.subarray(p * m.channels, (p + 1) * m.channels)];

describe('ensembleWithFcn', () => {
  const D = pix([2, 0, 1], [0, 0, 0], [3, 1, 0.5]);
  const F = pix([1, -4, 2], [5, 1, -1], [-1, 2, 2]);

  it("'product' is the original code: softmax(D .* max(0, F))", () => {
    const out = ensembleWithFcn(D, F);
    // Pixel 0: [2·1, 0·0, 1·2] = [2, 0, 2]; pixel 1: D is 0 (uncovered) → uniform; pixel 2: [0, 2, 1].
    const want = [softmax([2, 0, 2]), [1 / 3, 1 / 3, 1 / 3], softmax([0, 2, 1])];
    for (let p = 0; p < 3; p++) for (let c = 0; c < 3; c++) expect(at(out, p)[c]).toBeCloseTo(want[p]![c]!, 6);
  });

  it("'mean' is the paper: average of the two softmaxes; weights tilt it", () => {
    const out = ensembleWithFcn(D, F, { method: 'mean' });
    const w = ensembleWithFcn(D, F, { method: 'mean', weights: { deconvnet: 3, fcn: 1 } });
    for (let p = 0; p < 3; p++) {
      const a = softmax(at(D, p));
      const b = softmax(at(F, p));
      for (let c = 0; c < 3; c++) {
        expect(at(out, p)[c]).toBeCloseTo((a[c]! + b[c]!) / 2, 6);
        expect(at(w, p)[c]).toBeCloseTo((3 * a[c]! + b[c]!) / 4, 6);
      }
    }
    // A zero weight reduces either method to the other branch alone.
    const fcnOnly = ensembleWithFcn(D, F, { method: 'mean', weights: { deconvnet: 0 } });
    for (let c = 0; c < 3; c++) expect(at(fcnOnly, 1)[c]).toBeCloseTo(softmax(at(F, 1))[c]!, 6);
  });

  it("weighted 'product' raises the rectified scores to the weights", () => {
    const out = ensembleWithFcn(D, F, { weights: { deconvnet: 2, fcn: 0.5 } });
    const want = softmax([4 * 1, 0, 1 * Math.SQRT2]);
    for (let c = 0; c < 3; c++) expect(at(out, 0)[c]).toBeCloseTo(want[c]!, 6);
    const dOnly = ensembleWithFcn(D, F, { weights: { fcn: 0 } });
    for (let c = 0; c < 3; c++) expect(at(dOnly, 2)[c]).toBeCloseTo(softmax([3, 1, 0.5])[c]!, 6);
  });

  it("'product' of probability inputs is the normalised product of experts", () => {
    const pd = pix([0.5, 0.25, 0.25]);
    const pf = pix([0.2, 0.2, 0.6]);
    const out = ensembleWithFcn(pd, pf, { deconvnetInput: 'probabilities', fcnInput: 'probabilities' });
    const q = [0.1, 0.05, 0.15];
    for (let c = 0; c < 3; c++) expect(at(out, 0)[c]).toBeCloseTo(q[c]! / 0.3, 6);
  });

  it("fallback 'fcn' uses FCN alone where no proposal covered the pixel", () => {
    const out = ensembleWithFcn(D, F, { coverage: [1, 0, 3], fallback: 'fcn' });
    const f1 = softmax(at(F, 1));
    for (let c = 0; c < 3; c++) expect(at(out, 1)[c]).toBeCloseTo(f1[c]!, 6);
    expect(at(out, 0)).toEqual(at(ensembleWithFcn(D, F), 0));
    const bg = ensembleWithFcn(D, F, { coverage: [1, 0, 3], fallback: 'background' });
    expect(at(bg, 1)).toEqual([1, 0, 0]);
    expect(() => ensembleWithFcn(D, F, { fallback: 'fcn' })).toThrow(/coverage/);
  });

  it('never NaN with extreme inputs (product overflow, ±Infinity, NaN)', () => {
    const big = pix(
      [1e30, 3e38, -1e30],
      [Number.POSITIVE_INFINITY, 0, Number.NaN],
      [Number.NEGATIVE_INFINITY, -3e38, 0],
    );
    const big2 = pix([3e38, 3e38, 1], [1, Number.POSITIVE_INFINITY, 1], [Number.NaN, Number.NEGATIVE_INFINITY, 0]);
    for (const method of ['product', 'mean'] as const) {
      for (const weights of [undefined, { deconvnet: 3, fcn: 0.5 }]) {
        const out = ensembleWithFcn(big, big2, { method, weights });
        expect(out.data.some((v) => !Number.isFinite(v))).toBe(false);
        for (let p = 0; p < 3; p++) expect(at(out, p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }
    // 3e38·3e38 overflows float32 but not the float64 logits: class 1 wins outright.
    expect(at(ensembleWithFcn(big, big2), 0)).toEqual([0, 1, 0]);
  });

  it('rejects mismatched maps and bad options by name', () => {
    expect(() => ensembleWithFcn(D, createScoreMap(2, 1, 3))).toThrow(/fcn/);
    expect(() => ensembleWithFcn(D, F, { weights: { deconvnet: 0, fcn: 0 } })).toThrow(/both be 0/);
    expect(() => ensembleWithFcn(D, F, { weights: { fcn: -1 } })).toThrow(/weights.fcn/);
    expect(() => ensembleWithFcn(D, F, { method: 'geometric' as never })).toThrow(/method/);
    expect(() => ensembleWithFcn(D, F, { coverage: [1] })).toThrow(/coverage/);
  });
});
