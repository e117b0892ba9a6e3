import { assertRgbImage, ImageError, type RgbImage, resizeRgb, resizeScoreMap } from '@deconvnet/image';
import { type ColorSpace, colorPlanes } from './colorspace.js';
import { convTriBytesInto, convTriInto } from './convtri.js';
import type { EdgeMap } from './edgemap.js';
import { edgeNms } from './edgenms.js';
import { gradientMagInto } from './gradient.js';
import { edgeOrientationInto } from './orientation.js';

export interface DetectEdgesOptions {
  /** Triangle smoothing radius before the gradient (edgeBoxes.m's alternative: 4). */
  smoothRadius?: number;
  /** Triangle smoothing radius before the orientation's second derivatives (edgesDetect.m: 4). */
  orientationRadius?: number;
  /** Edge NMS radius along the normal (edgeBoxes.m: 2); 0 skips thinning (not recommended: ~55× slower boxes). */
  nmsRadius?: number;
  /** Colour space whose strongest channel gives the gradient: 'rgb' (default, as the authors' code) or 'luv'. */
  colorSpace?: ColorSpace;
  /**
   * Image scales whose gradient maps are averaged (each resized back, then normalised), like the structured
   * forest's `multiscale` option. Default [1].
   */
  scales?: readonly number[];
}

export const DEFAULT_DETECT_OPTIONS: Required<DetectEdgesOptions> = {
  smoothRadius: 4,
  orientationRadius: 4,
  nmsRadius: 2,
  colorSpace: 'rgb',
  scales: [1],
};

const KEYS = new Set(Object.keys(DEFAULT_DETECT_OPTIONS));

function resolve(opts: DetectEdgesOptions): Required<DetectEdgesOptions> {
  for (const k of Object.keys(opts)) {
    if (!KEYS.has(k)) throw new ImageError('detectEdges options', `unknown option "${k}"`);
  }
  // one fixed shape (a spread's object shape varied between calls and deoptimised detectEdges every time)
  const d = DEFAULT_DETECT_OPTIONS;
  const o: Required<DetectEdgesOptions> = {
    smoothRadius: opts.smoothRadius ?? d.smoothRadius,
    orientationRadius: opts.orientationRadius ?? d.orientationRadius,
    nmsRadius: opts.nmsRadius ?? d.nmsRadius,
    colorSpace: opts.colorSpace ?? d.colorSpace,
    scales: opts.scales ?? d.scales,
  };
  for (const k of ['smoothRadius', 'orientationRadius', 'nmsRadius'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 0 || o[k] > 64) {
      throw new ImageError(`detectEdges options.${k}`, `must be an integer in [0, 64], got ${o[k]}`);
    }
  }
  if (o.colorSpace !== 'rgb' && o.colorSpace !== 'luv') {
    throw new ImageError('detectEdges options.colorSpace', `must be 'rgb' or 'luv', got ${String(o.colorSpace)}`);
  }
  if (!Array.isArray(o.scales) || o.scales.length === 0 || o.scales.some((s) => !(s > 0 && s <= 8))) {
    throw new ImageError(
      'detectEdges options.scales',
      `must be a non-empty list of numbers in (0, 8], got ${String(o.scales)}`,
    );
  }
  return o;
}

/**
 * Un-thinned gradient map of one image into `out`: max-channel gradient magnitude of the triangle-smoothed image.
 * Returns its maximum.
 */
function gradientMap(
  image: RgbImage,
  o: Required<DetectEdgesOptions>,
  out: Float32Array,
  smooth: Float32Array,
): number {
  const { width, height } = image;
  // RGB is smoothed straight from the bytes (the values of colorPlanes' float planes)
  if (o.colorSpace === 'rgb') convTriBytesInto(image.data, width, height, o.smoothRadius, smooth);
  else convTriInto(interleave(colorPlanes(image, o.colorSpace)), width, height, 3, o.smoothRadius, smooth);
  return gradientMagInto(smooth, width, height, 3, out);
}

function interleave(planes: readonly Float32Array[]): Float32Array {
  const ch = planes.length;
  const n = planes[0]!.length;
  const out = new Float32Array(ch * n);
  for (let c = 0; c < ch; c++) {
    const p = planes[c]!;
    for (let i = 0; i < n; i++) out[i * ch + c] = p[i]!;
  }
  return out;
}

/**
 * Gradient edge detector that pdollar/edges `edgeBoxes.m` keeps as its alternative to the structured forest:
 * E = gradientMag(convTri(I, 4)) / max(E), orientation from the un-thinned E (edgesDetect.m), then edge NMS
 * along the normal with r = 2. Returns a thinned map in [0, 1] and edge-normal angles in [0, π).
 */
export function detectEdges(image: RgbImage, opts: DetectEdgesOptions = {}): EdgeMap {
  assertRgbImage(image, 'detectEdges image');
  const { width, height } = image;
  if (width < 2 || height < 2)
    throw new ImageError('detectEdges image', `is ${width}×${height}; at least 2×2 pixels are needed`);
  const o = resolve(opts);
  const n = width * height;
  const raw = new Float32Array(n);
  // one scratch for the whole call: the smoothed channels, then the orientation's smoothed map and derivatives
  const scratch = new Float32Array(3 * n);
  let max: number;
  if (o.scales.length === 1 && o.scales[0] === 1) {
    max = gradientMap(image, o, raw, scratch);
  } else {
    for (const s of o.scales) {
      const w = Math.max(2, Math.round(width * s));
      const h = Math.max(2, Math.round(height * s));
      const img = w === width && h === height ? image : resizeRgb(image, w, h);
      let m: Float32Array = new Float32Array(w * h);
      gradientMap(img, o, m, w * h <= n ? scratch.subarray(0, 3 * w * h) : new Float32Array(3 * w * h));
      if (w !== width || h !== height) {
        // averaged as is, like the structured forest's multiscale mode averages its per-scale maps
        m = resizeScoreMap({ width: w, height: h, channels: 1, data: m }, width, height).data;
      }
      for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! + m[i]! / o.scales.length;
    }
    max = 0;
    for (let i = 0; i < raw.length; i++) if (raw[i]! > max) max = raw[i]!;
  }
  if (max > 0) {
    for (let i = 0; i < raw.length; i++) raw[i] = raw[i]! / max;
  }
  const orientation = new Float32Array(n);
  edgeOrientationInto(raw, width, height, o.orientationRadius, orientation, scratch);
  const magnitude = o.nmsRadius > 0 ? edgeNms(raw, orientation, width, height, { radius: o.nmsRadius }) : raw;
  return { width, height, magnitude, orientation };
}
