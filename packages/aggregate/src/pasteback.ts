import {
  assertScoreMap,
  type Box,
  createScoreMap,
  FLOAT32_MAX,
  ImageError,
  isValidBox,
  type ResampleArgs,
  resample,
  type ScoreMap,
} from '@deconvnet/image';
import { type PixelRegion, pasteMapping, windowRegion } from './window.js';

/** How pasted values merge with the canvas: overwrite, pixel-wise max (paper eq. 1) or sum (eq. 2). */
export type Combine = 'set' | 'max' | 'sum';

/** Largest finite float32: non-finite inputs are clamped to ±this so bilinear weights never produce NaN. */
export { FLOAT32_MAX };

/**
 * Scratch rows for {@link pasteInto}. Kept for compatibility: the kernel (`resample` of @deconvnet/image) now keeps
 * its own scratch, so a workspace is accepted and ignored.
 */
export interface PasteWorkspace {
  rowA: Float32Array;
  rowB: Float32Array;
  xs0: Int32Array;
  xs1: Int32Array;
  xt: Float64Array;
}

export function createPasteWorkspace(width: number, channels: number): PasteWorkspace {
  return {
    rowA: new Float32Array(width * channels),
    rowB: new Float32Array(width * channels),
    xs0: new Int32Array(width),
    xs1: new Int32Array(width),
    xt: new Float64Array(width),
  };
}

/**
 * Resizes `map` bilinearly onto `window` (image coordinates, may extend past the image) and merges it into the
 * image-sized `canvas`, clipped at the borders — the original's `imresize(score, [box_h box_w], 'bilinear')` followed
 * by `canvas(box) = max(canvas(box), ·)`, done straight into the canvas region without a resized copy. Identical to
 * `resample` with {@link pasteMapping} (edges replicated). `coverage`, when given, is incremented for every pasted
 * pixel. Non-finite inputs are clamped to ±FLOAT32_MAX (NaN counts as −FLOAT32_MAX). Returns the window's clipped
 * region (all of it, even when `rows` restricts what is written), or null when the window misses the canvas.
 */
export interface PasteOptions {
  /** Default 'set'. */
  combine?: Combine;
  /** Incremented for every pasted pixel (width·height entries). */
  coverage?: Uint16Array | Uint32Array;
  /** Accepted for compatibility and ignored (the kernel keeps its own scratch). */
  workspace?: PasteWorkspace;
  /**
   * With combine 'max': a value the canvas is known to be ≥ everywhere. Accepted for compatibility and ignored: the
   * SIMD kernel merges every channel faster than the JS channel-skipping it used to enable. Results never depended on it.
   */
  floor?: number;
  /**
   * Write only canvas rows [start, end) (image rows; coverage likewise), bit-identical to those rows of the full
   * paste, for walking a canvas in bands. (The aggregator's `addBatch` bands with `resampleBatch` of
   * `@deconvnet/image` instead, which keeps each map's interpolated rows between bands.)
   */
  rows?: { start: number; end: number };
}

export function pasteInto(
  canvas: ScoreMap,
  map: ScoreMap,
  window: Box,
  options: PasteOptions = {},
): PixelRegion | null {
  const { combine = 'set', coverage, rows } = options;
  assertScoreMap(canvas, 'pasteInto canvas');
  assertScoreMap(map, 'pasteInto map');
  const C = map.channels;
  if (canvas.channels !== C) throw new ImageError('pasteInto', `map has ${C} channels, canvas has ${canvas.channels}`);
  if (!isValidBox(window))
    throw new ImageError(
      'pasteInto',
      `window must have finite coordinates and positive size, got ${JSON.stringify(window)}`,
    );
  if (combine !== 'set' && combine !== 'max' && combine !== 'sum')
    throw new ImageError('pasteInto', `combine must be 'set', 'max' or 'sum', got ${String(combine)}`);
  const W = canvas.width;
  const region = windowRegion(window, W, canvas.height);
  if (!region) return null;
  const { x0, y0, x1, y1 } = region;
  const n = x1 - x0;
  let r0 = y0;
  let r1 = y1;
  if (rows !== undefined) {
    if (!Number.isInteger(rows.start) || !Number.isInteger(rows.end) || rows.start > rows.end)
      throw new ImageError('pasteInto options.rows', `must be integers with start ≤ end, got ${JSON.stringify(rows)}`);
    r0 = Math.max(y0, rows.start);
    r1 = Math.min(y1, rows.end);
    if (r0 >= r1) return region;
  }
  // One call of the shared kernel: bilinear resize of the whole map onto the clipped region, merged in place. A
  // canvas from createScoreCanvas (the aggregator's) is merged by the SIMD kernel without copies.
  resample(pasteArgs(canvas, map, window, region, combine, rows !== undefined ? { start: r0, end: r1 } : undefined));
  if (coverage) {
    for (let y = r0; y < r1; y++) {
      const c0 = y * W + x0;
      for (let i = c0; i < c0 + n; i++) coverage[i] = coverage[i]! + 1;
    }
  }
  return region;
}

/**
 * The `resample` call that pastes `map` onto `window` (clipped to `region`, its {@link windowRegion}) of `canvas`,
 * image rows [rows.start, rows.end) only when given. Shared by {@link pasteInto} and the aggregator's batches
 * (`resampleBatch`), so both paste bit for bit alike.
 */
export function pasteArgs(
  canvas: ScoreMap,
  map: ScoreMap,
  window: Box,
  region: PixelRegion,
  combine: Combine,
  rows?: { start: number; end: number },
): ResampleArgs<Float32Array> {
  const W = canvas.width;
  const { x0, y0, x1, y1 } = region;
  return {
    src: map.data,
    srcWidth: map.width,
    srcHeight: map.height,
    channels: map.channels,
    dst: canvas.data,
    dstWidth: x1 - x0,
    dstHeight: y1 - y0,
    dstStride: W * map.channels,
    dstOffset: (y0 * W + x0) * map.channels,
    mapping: pasteMapping(window, map.width, map.height, region),
    interpolation: 'bilinear',
    combine: combine === 'sum' ? 'add' : combine,
    clampNonFinite: true,
    ...(rows !== undefined ? { rows: { start: rows.start - y0, end: rows.end - y0 } } : {}),
  };
}

/**
 * G_i of the paper: the crop's map resized onto its window inside an otherwise `fill`-valued (default 0)
 * image-sized map. Convenience for inspection and tests; aggregation pastes in place with {@link pasteInto}.
 */
export function pasteBack(map: ScoreMap, window: Box, imageWidth: number, imageHeight: number, fill = 0): ScoreMap {
  assertScoreMap(map, 'pasteBack map');
  const out = createScoreMap(imageWidth, imageHeight, map.channels, fill);
  pasteInto(out, map, window);
  return out;
}
