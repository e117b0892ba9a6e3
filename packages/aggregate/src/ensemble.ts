import { assertScoreMap, createScoreMap, ImageError, type ScoreMap } from '@deconvnet/image';
import { applyFallback, type Fallback } from './fallback.js';
import { softmaxAt } from './softmax.js';
import { softmaxPixels } from './softmax-kernel.js';

/**
 * How the DeconvNet aggregate and FCN-8s are combined (deconvnet.md §5.4; the paper and the code differ):
 * - 'product' (released code, the 72.5 result): logits = max(0, D)^w_D · max(0, F)^w_F on raw scores, then softmax.
 *   With unit weights this is exactly `softmax(deconv_max_score .* max(0, fcn_score))`. Where either factor is 0 for
 *   every class (no proposal coverage on the zero canvas), the logits are all 0 and the result is uniform.
 *   For probability inputs it is the normalised product of experts p_D^w_D · p_F^w_F.
 * - 'mean' (paper): (w_D · p_D + w_F · p_F) / (w_D + w_F) with p = softmax of raw scores (or the given probabilities).
 */
export type EnsembleMethod = 'product' | 'mean';

export interface EnsembleOptions {
  /** Default 'product' (what the original code ran; "implement the code, not the paper text"). */
  method?: EnsembleMethod;
  /** Weights of the DeconvNet and FCN branches, finite and ≥ 0, not both 0. Default 1 and 1. */
  weights?: { deconvnet?: number; fcn?: number };
  /** What the DeconvNet map holds. Default 'scores' (the max-aggregated canvas). */
  deconvnetInput?: 'scores' | 'probabilities';
  /** What the FCN map holds. Default 'scores' (FCN-8s `upscore`, cropped to the image). */
  fcnInput?: 'scores' | 'probabilities';
  /** Per-pixel proposal coverage (from the aggregator); needed for any fallback other than 'keep'. */
  coverage?: ArrayLike<number>;
  /**
   * Uncovered pixels: 'keep' (default: whatever the method yields, the original's behaviour), 'fcn' (the FCN's
   * distribution alone), or any {@link Fallback}.
   */
  fallback?: Fallback | 'fcn';
  out?: ScoreMap;
}

/** Combines the aggregated DeconvNet map with the FCN-8s map into per-pixel class probabilities (never NaN). */
export function ensembleWithFcn(deconvnet: ScoreMap, fcn: ScoreMap, options: EnsembleOptions = {}): ScoreMap {
  const fn = 'ensembleWithFcn';
  assertScoreMap(deconvnet, `${fn} deconvnet`);
  assertScoreMap(fcn, `${fn} fcn`);
  const { width: W, height: H, channels: C } = deconvnet;
  if (fcn.width !== W || fcn.height !== H || fcn.channels !== C) {
    throw new ImageError(
      `${fn} fcn`,
      `is ${fcn.width}×${fcn.height}×${fcn.channels}, expected ${W}×${H}×${C} like the deconvnet map`,
    );
  }
  const {
    method = 'product',
    deconvnetInput = 'scores',
    fcnInput = 'scores',
    coverage,
    fallback = 'keep',
    out,
  } = options;
  const wd = options.weights?.deconvnet ?? 1;
  const wf = options.weights?.fcn ?? 1;
  for (const [k, w] of [
    ['deconvnet', wd],
    ['fcn', wf],
  ] as const) {
    if (!(w >= 0) || !Number.isFinite(w))
      throw new ImageError(`${fn} options.weights.${k}`, `must be a finite number ≥ 0, got ${w}`);
  }
  if (wd + wf === 0) throw new ImageError(`${fn} options.weights`, 'must not both be 0');
  if (method !== 'product' && method !== 'mean')
    throw new ImageError(`${fn} options.method`, `must be 'product' or 'mean', got ${String(method)}`);
  for (const [k, v] of [
    ['deconvnetInput', deconvnetInput],
    ['fcnInput', fcnInput],
  ] as const) {
    if (v !== 'scores' && v !== 'probabilities')
      throw new ImageError(`${fn} options.${k}`, `must be 'scores' or 'probabilities', got ${String(v)}`);
  }
  if (coverage !== undefined && coverage.length !== W * H) {
    throw new ImageError(`${fn} options.coverage`, `has ${coverage.length} entries, expected ${W}×${H} = ${W * H}`);
  }
  if (fallback !== 'keep' && coverage === undefined)
    throw new ImageError(
      `${fn} options.fallback`,
      `'${typeof fallback === 'string' ? fallback : 'map'}' needs options.coverage`,
    );
  if (out && (out.width !== W || out.height !== H || out.channels !== C)) {
    throw new ImageError(`${fn} options.out`, `is ${out.width}×${out.height}×${out.channels}, expected ${W}×${H}×${C}`);
  }
  const dst = out ?? createScoreMap(W, H, C);
  const d = deconvnet.data;
  const f = fcn.data;
  const o = dst.data;
  const pf = new Float64Array(C);
  const q = new Float64Array(C);
  const rawProduct = method === 'product' && deconvnetInput === 'scores' && fcnInput === 'scores';
  const unit = wd === 1 && wf === 1;
  const n = W * H;
  /** The raw-scores product at one pixel (the original's logits), softmaxed in float64. */
  const productAt = (p: number): void => {
    const s = p * C;
    for (let c = 0; c < C; c++) {
      // Rectify: the original's max(0, fcn); the max-canvas D is already ≥ 0, other modes may be negative. NaN → 0.
      // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; this comparison maps NaN to 0.
      const a = d[s + c]! > 0 ? d[s + c]! : 0;
      // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; this comparison maps NaN to 0.
      const b = f[s + c]! > 0 ? f[s + c]! : 0;
      // 0^0 would be 1 in Math.pow: a zero weight removes a branch entirely, as intended.
      q[c] = unit ? a * b : (wd === 0 ? 1 : a ** wd) * (wf === 0 ? 1 : b ** wf);
    }
    softmaxAt(q, 0, o, s, C);
  };
  if (rawProduct) {
    // Unit weights: the WebAssembly kernel forms max(0, D)·max(0, F) itself (exact in float64).
    const done =
      unit && softmaxPixels({ kind: 'product', a: d, b: f, channels: C, p0: 0, n, out: o, outP0: 0, fix: productAt });
    if (!done) for (let p = 0; p < n; p++) productAt(p);
  } else {
    // Per-pixel distributions of both branches, a chunk of pixels at a time (the kernel does the softmaxes).
    const K = Math.min(n, 4096);
    const bufD = new Float64Array(K * C);
    const bufF = new Float64Array(K * C);
    const inv = 1 / (wd + wf);
    for (let p0 = 0; p0 < n; p0 += K) {
      const m = Math.min(K, n - p0);
      probsChunk(d, deconvnetInput, C, p0, m, bufD);
      probsChunk(f, fcnInput, C, p0, m, bufF);
      for (let i = 0; i < m; i++) {
        const s = (p0 + i) * C;
        const b = i * C;
        if (method === 'mean') {
          for (let c = 0; c < C; c++) o[s + c] = (wd * bufD[b + c]! + wf * bufF[b + c]!) * inv;
          continue;
        }
        let sum = 0;
        for (let c = 0; c < C; c++) {
          const v = (wd === 0 ? 1 : bufD[b + c]! ** wd) * (wf === 0 ? 1 : bufF[b + c]! ** wf);
          q[c] = v;
          sum += v;
        }
        // Disjoint supports (or underflow): no common evidence, fall back to the plain mean of the two.
        if (sum > 0 && Number.isFinite(sum)) for (let c = 0; c < C; c++) o[s + c] = q[c]! / sum;
        else for (let c = 0; c < C; c++) o[s + c] = (bufD[b + c]! + bufF[b + c]!) / 2;
      }
    }
  }
  if (fallback === 'fcn') {
    if (fcnInput === 'scores') applyFallback(dst, coverage!, { scores: fcn });
    else {
      // Renormalise the given FCN probabilities defensively at uncovered pixels.
      for (let p = 0, s = 0; p < n; p++, s += C) {
        if (coverage![p] !== 0) continue;
        probsAt(f, s, C, 'probabilities', pf);
        for (let c = 0; c < C; c++) o[s + c] = pf[c]!;
      }
    }
  } else if (fallback !== 'keep') applyFallback(dst, coverage!, fallback);
  return dst;
}

/** Distributions of pixels [p0, p0 + m) into buf (float64, pixel-major): the kernel's softmax for scores. */
function probsChunk(
  src: Float32Array,
  kind: 'scores' | 'probabilities',
  C: number,
  p0: number,
  m: number,
  buf: Float64Array,
): void {
  const at = (p: number): void => probsAt(src, p * C, C, kind, buf.subarray((p - p0) * C, (p - p0 + 1) * C));
  if (
    kind === 'scores' &&
    softmaxPixels({ kind: 'scaled', a: src, channels: C, p0, n: m, out: buf, outP0: 0, fix: at })
  )
    return;
  for (let p = p0; p < p0 + m; p++) at(p);
}

/** Distribution at one pixel: softmax of scores, or given probabilities clipped to ≥ 0 and renormalised (uniform if empty). */
function probsAt(src: Float32Array, s: number, C: number, kind: 'scores' | 'probabilities', out: Float64Array): void {
  if (kind === 'scores') {
    softmaxAt(src, s, out, 0, C);
    return;
  }
  let sum = 0;
  for (let c = 0; c < C; c++) {
    // biome-ignore lint/complexity/useMathMinMax: Math.max(NaN, 0) is NaN; this comparison maps NaN to 0.
    const v = src[s + c]! > 0 ? src[s + c]! : 0;
    out[c] = v;
    sum += v;
  }
  if (sum > 0 && Number.isFinite(sum)) for (let c = 0; c < C; c++) out[c] = out[c]! / sum;
  else out.fill(1 / C);
}
