import { assertScoreMap, ImageError, type ScoreMap } from '@deconvnet/image';
import { softmaxAt } from './softmax.js';

/**
 * What pixels no proposal covers get, as a probability distribution:
 * - 'uniform': 1/C everywhere — what the original yields (softmax of the all-zero canvas);
 * - 'background': all mass on channel 0 (VOC background);
 * - 'keep': leave whatever the aggregate/ensemble produced;
 * - `{ probabilities }`: copy another map's distribution, e.g. the FCN's softmax;
 * - `{ scores }`: softmax of another map's raw scores at those pixels, e.g. the FCN's `upscore`;
 * - `{ vector }`: one fixed distribution (normalised here).
 */
export type Fallback =
  | 'uniform'
  | 'background'
  | 'keep'
  | { probabilities: ScoreMap }
  | { scores: ScoreMap }
  | { vector: ArrayLike<number> };

/**
 * Overwrites, in `probs`, every pixel whose `coverage` is 0 with the fallback distribution. Returns `probs`.
 * The result is finite and sums to 1 per pixel for every fallback kind except 'keep'.
 */
export function applyFallback(probs: ScoreMap, coverage: ArrayLike<number>, fallback: Fallback): ScoreMap {
  assertScoreMap(probs, 'applyFallback probs');
  const n = probs.width * probs.height;
  const C = probs.channels;
  if (coverage.length !== n)
    throw new ImageError(
      'applyFallback coverage',
      `has ${coverage.length} entries, expected ${probs.width}×${probs.height} = ${n}`,
    );
  if (fallback === 'keep') return probs;
  const d = probs.data;
  if (fallback === 'uniform' || fallback === 'background' || 'vector' in fallback) {
    const v = new Float64Array(C);
    if (fallback === 'uniform') v.fill(1 / C);
    else if (fallback === 'background') v[0] = 1;
    else {
      const f = fallback.vector;
      if (f.length !== C)
        throw new ImageError('fallback.vector', `has ${f.length} values, expected ${C} (one per channel)`);
      let s = 0;
      for (let c = 0; c < C; c++) {
        const x = f[c]!;
        if (!(x >= 0) || !Number.isFinite(x))
          throw new ImageError('fallback.vector', `values must be finite and non-negative, got ${x} at ${c}`);
        s += x;
      }
      if (!(s > 0)) throw new ImageError('fallback.vector', 'must have a positive sum');
      for (let c = 0; c < C; c++) v[c] = f[c]! / s;
    }
    for (let p = 0; p < n; p++) if (coverage[p] === 0) for (let c = 0; c < C; c++) d[p * C + c] = v[c]!;
    return probs;
  }
  const isScores = 'scores' in fallback;
  const other = isScores ? fallback.scores : fallback.probabilities;
  if (other === undefined || other === null)
    throw new ImageError('applyFallback', `unknown fallback ${JSON.stringify(fallback)}`);
  const name = isScores ? 'fallback.scores' : 'fallback.probabilities';
  assertScoreMap(other, name);
  if (other.width !== probs.width || other.height !== probs.height || other.channels !== C) {
    throw new ImageError(
      name,
      `is ${other.width}×${other.height}×${other.channels}, expected ${probs.width}×${probs.height}×${C}`,
    );
  }
  const s = other.data;
  for (let p = 0; p < n; p++) {
    if (coverage[p] !== 0) continue;
    if (isScores) softmaxAt(s, p * C, d, p * C, C);
    else for (let c = 0; c < C; c++) d[p * C + c] = s[p * C + c]!;
  }
  return probs;
}
