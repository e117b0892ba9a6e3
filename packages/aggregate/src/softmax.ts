import { assertScoreMap, createScoreMap, ImageError, type ScoreMap } from '@deconvnet/image';
import { softmaxPixels } from './softmax-kernel.js';

/**
 * Numerically stable softmax of `C` values at `src[s…s+C)` into `dst[d…d+C)`, computed in float64:
 * p_c = exp(x_c − max) / Σ exp(x_k − max). Defined for every input, never NaN:
 * - +Infinity entries share the mass equally (the limit of a logit growing without bound), the rest get 0;
 * - all −Infinity (or all NaN) gives the uniform distribution (no evidence for any class);
 * - NaN entries count as −Infinity (probability 0).
 */
export function softmaxAt(src: ArrayLike<number>, s: number, dst: { [i: number]: number }, d: number, C: number): void {
  let m = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < C; c++) {
    const v = src[s + c]!;
    if (v > m) m = v;
  }
  if (m === Number.NEGATIVE_INFINITY) {
    for (let c = 0; c < C; c++) dst[d + c] = 1 / C;
    return;
  }
  if (m === Number.POSITIVE_INFINITY) {
    let k = 0;
    for (let c = 0; c < C; c++) if (src[s + c] === m) k++;
    for (let c = 0; c < C; c++) dst[d + c] = src[s + c] === m ? 1 / k : 0;
    return;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) {
    const e = Math.exp(src[s + c]! - m);
    // NaN fails the comparison: treated as exp(−∞) = 0.
    // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; this comparison maps NaN to 0.
    const v = e >= 0 ? e : 0;
    dst[d + c] = v;
    sum += v;
  }
  // sum ≥ 1 (the max contributes exp(0)), so the division is safe.
  const inv = 1 / sum;
  for (let c = 0; c < C; c++) dst[d + c] = (dst[d + c] as number) * inv;
}

export interface SoftmaxOptions {
  /** Divide the scores by this before the softmax (> 0). Default 1. */
  temperature?: number;
  /** Write here instead of a new map (same size; may be the input itself for in-place). */
  out?: ScoreMap;
}

/**
 * Per-pixel softmax over the channels of a score map (raw scores → class-conditional probabilities), in float64.
 * Runs the WebAssembly SIMD kernel where available (polynomial exp, relative error < 1e-14; outputs equal the
 * Math.exp path's after float32 rounding but for rare last-bit ties), else a JS loop over {@link softmaxAt}.
 */
export function softmax(map: ScoreMap, options: SoftmaxOptions = {}): ScoreMap {
  assertScoreMap(map, 'softmax map');
  const { temperature = 1, out } = options;
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new ImageError('softmax', `options.temperature must be a positive number, got ${temperature}`);
  const C = map.channels;
  if (out && (out.width !== map.width || out.height !== map.height || out.channels !== C)) {
    throw new ImageError(
      'softmax options.out',
      `is ${out.width}×${out.height}×${out.channels}, expected ${map.width}×${map.height}×${C}`,
    );
  }
  const dst = out ?? createScoreMap(map.width, map.height, C);
  const n = map.width * map.height;
  const tmp = new Float64Array(C);
  const src = map.data;
  const d = dst.data;
  const inv = 1 / temperature;
  const at = (p: number): void => {
    const o = p * C;
    for (let c = 0; c < C; c++) tmp[c] = src[o + c]! * inv;
    softmaxAt(tmp, 0, d, o, C);
  };
  if (softmaxPixels({ kind: 'scaled', a: src, scale: inv, channels: C, p0: 0, n, out: d, outP0: 0, fix: at }))
    return dst;
  for (let p = 0; p < n; p++) at(p);
  return dst;
}
