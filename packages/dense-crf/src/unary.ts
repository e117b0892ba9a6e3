import { checkFinite, checkInteger, checkLength, DenseCrfError } from './errors.js';

const f32 = Math.fround;

/** Memory layout of unaries / probabilities: `'hwl'` = pixel-major, labels fastest (the C++ API); `'lhw'` = planar (pydensecrf). */
export type UnaryLayout = 'hwl' | 'lhw';

/** Copies `src` into a pixel-major float32 array, transposing from planar when asked. */
export function toPixelMajor(
  src: ArrayLike<number>,
  numPoints: number,
  numLabels: number,
  layout: UnaryLayout,
): Float32Array {
  const out = new Float32Array(numPoints * numLabels);
  if (layout === 'hwl') out.set(src);
  else if (layout === 'lhw') {
    for (let l = 0; l < numLabels; l++) {
      const base = l * numPoints;
      for (let p = 0; p < numPoints; p++) out[p * numLabels + l] = src[base + p] as number;
    }
  } else throw new DenseCrfError('layout', `expected 'hwl' or 'lhw', got ${JSON.stringify(layout)}`);
  return out;
}

/** Validates an energy array (length N·L, all finite) and returns a float32 pixel-major copy. */
export function prepareUnaryEnergy(
  energy: ArrayLike<number>,
  numPoints: number,
  numLabels: number,
  layout: UnaryLayout = 'hwl',
): Float32Array {
  checkLength('unary', energy, numPoints * numLabels, `${numPoints} pixels × ${numLabels} labels`);
  // Copy first, then check the float32 copy in one monomorphic pass (the generic check over any ArrayLike is
  // several times slower); the generic check then only runs to word the error.
  const out = toPixelMajor(energy, numPoints, numLabels, layout);
  if (!allFinite(out)) {
    checkFinite('unary', energy, layout === 'hwl' ? numLabels : 1);
    throw new DenseCrfError('unary', 'a value is outside the float32 range (|U| > 3.4e38)');
  }
  return out;
}

/**
 * Whether every value is finite (`v − v` is 0 exactly for finite v, NaN for ±∞ and NaN). Four accumulators, so the
 * adds do not wait on each other.
 */
function allFinite(a: Float32Array): boolean {
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const n = a.length;
  const n4 = n - (n & 3);
  let i = 0;
  for (; i < n4; i += 4) {
    const v0 = a[i] as number;
    const v1 = a[i + 1] as number;
    const v2 = a[i + 2] as number;
    const v3 = a[i + 3] as number;
    a0 += v0 - v0;
    a1 += v1 - v1;
    a2 += v2 - v2;
    a3 += v3 - v3;
  }
  for (; i < n; i++) {
    const v = a[i] as number;
    a0 += v - v;
  }
  return a0 + a1 + a2 + a3 === 0;
}

export interface ProbabilityOptions {
  /** Probabilities are clamped to at least `clip` before `−log` (default 1e−8, i.e. energy ≤ 18.4). */
  clip?: number;
  layout?: UnaryLayout;
}

/** `U = −log(max(p, clip))` in float32; probabilities must be finite and in [0, 1]. */
export function unaryFromProbabilities(
  probs: ArrayLike<number>,
  numPoints: number,
  numLabels: number,
  options: ProbabilityOptions = {},
): Float32Array {
  const clip = options.clip ?? 1e-8;
  if (!(typeof clip === 'number' && clip > 0 && clip <= 1))
    throw new DenseCrfError('clip', `expected a number in (0, 1], got ${String(clip)}`);
  checkLength('probabilities', probs, numPoints * numLabels, `${numPoints} pixels × ${numLabels} labels`);
  const out = new Float32Array(probs.length);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] as number;
    if (!(p >= 0 && p <= 1))
      throw new DenseCrfError('probabilities', `element ${i} is ${p}, expected a probability in [0, 1]`);
    out[i] = -Math.log(Math.max(p, clip));
  }
  return toPixelMajor(out, numPoints, numLabels, options.layout ?? 'hwl');
}

export interface LabelUnaryOptions {
  /** Confidence in the given label (the reference example's GT_PROB; default 0.5). */
  gtProb?: number;
  /** Value meaning "unknown" besides any negative value (default 255, the VOID label of a LabelMap). */
  unknown?: number;
}

/**
 * Unary energies from a hard labelling, exactly as the reference example (`computeUnary` in
 * examples/dense_inference.cpp; pydensecrf `unary_from_labels`): known pixel → `−log(gtProb)` for its label and
 * `−log((1−gtProb)/(L−1))` for the others; unknown pixel → `−log(1/L)` for all labels (float32).
 */
export function unaryFromLabels(
  labels: ArrayLike<number>,
  numLabels: number,
  options: LabelUnaryOptions = {},
): Float32Array {
  checkInteger('numLabels', numLabels, 2, 65535);
  const gt = options.gtProb ?? 0.5;
  if (!(gt > 0 && gt < 1)) throw new DenseCrfError('gtProb', `expected a number in (0, 1), got ${String(gt)}`);
  const unknown = options.unknown ?? 255;
  const g = f32(gt);
  const uEnergy = f32(-Math.log(1 / numLabels));
  const nEnergy = f32(-Math.log((1 - g) / (numLabels - 1)));
  const pEnergy = f32(-Math.log(g));
  const n = labels.length;
  const out = new Float32Array(n * numLabels);
  for (let k = 0; k < n; k++) {
    const lbl = labels[k] as number;
    const base = k * numLabels;
    if (lbl < 0 || lbl === unknown) {
      out.fill(uEnergy, base, base + numLabels);
      continue;
    }
    if (!Number.isInteger(lbl) || lbl >= numLabels) {
      throw new DenseCrfError(
        'labels',
        `pixel ${k} has label ${lbl}, expected 0..${numLabels - 1} or unknown (${unknown} or < 0)`,
      );
    }
    out.fill(nEnergy, base, base + numLabels);
    out[base + lbl] = pEnergy;
  }
  return out;
}

export interface ColorAnnotation {
  /** Label per pixel, −1 = unknown (black, or a colour beyond `maxLabels`). */
  labels: Int16Array;
  /** RGB of each label, in order of first appearance. */
  colors: Array<[number, number, number]>;
}

/**
 * The reference example's `getLabeling` (examples/common.cpp): each distinct non-black colour becomes a label in
 * order of first appearance in raster order; black is unknown; colours after the first `maxLabels` are unknown.
 */
export function labelsFromColorAnnotation(rgb: Uint8Array, numPoints: number, maxLabels: number): ColorAnnotation {
  checkLength('annotation', rgb, numPoints * 3, `${numPoints} RGB pixels`);
  checkInteger('maxLabels', maxLabels, 1, 255);
  const packed: number[] = [];
  const labels = new Int16Array(numPoints);
  for (let k = 0; k < numPoints; k++) {
    const c = (rgb[3 * k] as number) + 256 * (rgb[3 * k + 1] as number) + 65536 * (rgb[3 * k + 2] as number);
    if (c === 0) {
      labels[k] = -1;
      continue;
    }
    let i = packed.indexOf(c);
    if (i < 0) {
      if (packed.length < maxLabels) {
        packed.push(c);
        i = packed.length - 1;
      }
    }
    labels[k] = i;
  }
  return { labels, colors: packed.map((c) => [c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff]) };
}
