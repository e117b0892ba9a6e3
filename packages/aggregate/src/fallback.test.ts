import { createScoreMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { applyFallback } from './fallback.js';

describe('applyFallback', () => {
  const make = () => {
    const p = createScoreMap(3, 1, 3);
    p.data.set([0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.6, 0.2, 0.2]);
    return p;
  };
  const coverage = [1, 0, 2];

  it('only uncovered pixels change, to the chosen distribution', () => {
    expect([...applyFallback(make(), coverage, 'background').data.subarray(3, 6)]).toEqual([1, 0, 0]);
    const u = applyFallback(make(), coverage, 'uniform').data;
    for (let c = 3; c < 6; c++) expect(u[c]).toBeCloseTo(1 / 3, 7);
    expect([...applyFallback(make(), coverage, { vector: [1, 3, 0] }).data.subarray(3, 6)]).toEqual([0.25, 0.75, 0]);
    expect([...applyFallback(make(), coverage, 'keep').data]).toEqual([...make().data]);
    const other = createScoreMap(3, 1, 3, 0.5);
    expect([...applyFallback(make(), coverage, { probabilities: other }).data.subarray(3, 6)]).toEqual([0.5, 0.5, 0.5]);
    const scores = createScoreMap(3, 1, 3);
    scores.data.set([0, Math.log(3), Number.NEGATIVE_INFINITY], 3);
    const s = applyFallback(make(), coverage, { scores }).data;
    expect(s[3]).toBeCloseTo(0.25, 7);
    expect(s[4]).toBeCloseTo(0.75, 7);
    expect(s[5]).toBe(0);
    for (const k of [0, 1, 2, 6, 7, 8]) expect(s[k]).toBe(make().data[k]);
  });

  it('rejects mismatched inputs by name', () => {
    expect(() => applyFallback(make(), [0, 0], 'uniform')).toThrow(/coverage/);
    expect(() => applyFallback(make(), coverage, { vector: [1, 2] })).toThrow(/fallback.vector/);
    expect(() => applyFallback(make(), coverage, { vector: [0, 0, 0] })).toThrow(/positive sum/);
    expect(() => applyFallback(make(), coverage, { probabilities: createScoreMap(2, 1, 3) })).toThrow(
      /fallback.probabilities/,
    );
  });
});
