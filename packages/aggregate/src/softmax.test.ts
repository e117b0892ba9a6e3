import { createScoreMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { softmax, softmaxAt } from './softmax.js';

const sm = (xs: number[]) => {
  const out = new Float64Array(xs.length);
  softmaxAt(xs, 0, out, 0, xs.length);
  return [...out];
};

describe('softmax', () => {
  it('hand-worked values', () => {
    const p = sm([0, Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(sm([0, 0, 0, 0])).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('is shift invariant and stable for ±1e30 (naive exp would overflow to NaN)', () => {
    const a = sm([1, 2, 3]);
    const b = sm([1e3 + 1, 1e3 + 2, 1e3 + 3]);
    for (let c = 0; c < 3; c++) expect(b[c]).toBeCloseTo(a[c]!, 12);
    expect(Number.isNaN(Math.exp(1000) / Math.exp(1000))).toBe(true);
    expect(sm([1e30, -1e30, 0])).toEqual([1, 0, 0]);
    expect(sm([1e30, 1e30, -1e30])).toEqual([0.5, 0.5, 0]);
  });

  it('documented non-finite rules: +∞ shares the mass, all −∞ is uniform, NaN counts as −∞', () => {
    expect(sm([Number.POSITIVE_INFINITY, 5, Number.POSITIVE_INFINITY, 1])).toEqual([0.5, 0, 0.5, 0]);
    expect(sm([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])).toEqual([0.5, 0.5]);
    const p = sm([Number.NEGATIVE_INFINITY, 0, Math.log(3)]);
    expect(p[0]).toBe(0);
    expect(p[2]).toBeCloseTo(0.75, 12);
    const q = sm([Number.NaN, 0, 0]);
    expect(q).toEqual([0, 0.5, 0.5]);
    expect(sm([Number.NaN, Number.NaN])).toEqual([0.5, 0.5]);
  });

  it('maps: per pixel, sums to 1, temperature, in place', () => {
    const m = createScoreMap(3, 2, 4);
    for (let i = 0; i < m.data.length; i++) m.data[i] = Math.sin(i * 1.7) * 8;
    const p = softmax(m);
    for (let px = 0; px < 6; px++) {
      const xs = [...m.data.subarray(px * 4, px * 4 + 4)];
      const want = xs.map((x) => Math.exp(x)).map((e, _, all) => e / all.reduce((s, v) => s + v, 0));
      for (let c = 0; c < 4; c++) expect(p.data[px * 4 + c]).toBeCloseTo(want[c]!, 6);
    }
    const hot = softmax(m, { temperature: 2 });
    const half = createScoreMap(3, 2, 4);
    for (let i = 0; i < m.data.length; i++) half.data[i] = m.data[i]! / 2;
    const ref = softmax(half);
    for (let i = 0; i < m.data.length; i++) expect(hot.data[i]).toBeCloseTo(ref.data[i]!, 6);
    softmax(m, { out: m });
    for (let i = 0; i < m.data.length; i++) expect(m.data[i]).toBeCloseTo(p.data[i]!, 7);
    expect(() => softmax(m, { temperature: 0 })).toThrow(/temperature/);
    expect(() => softmax(m, { out: createScoreMap(2, 2, 4) })).toThrow(/out/);
  });
});
