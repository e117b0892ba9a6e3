import { assertScoreMap, type Box, createScoreMap, ImageError, isValidBox, type ScoreMap } from '@deconvnet/image';
import { type PixelRegion, windowRegion } from './window.js';

/** How pasted values merge with the canvas: overwrite, pixel-wise max (paper eq. 1) or sum (eq. 2). */
export type Combine = 'set' | 'max' | 'sum';

/** Largest finite float32: non-finite inputs are clamped to ±this so bilinear weights never produce NaN. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Reusable scratch rows for {@link pasteInto}; pass one to avoid per-call allocation on hot paths. */
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

function ensureWorkspace(ws: PasteWorkspace | undefined, n: number, channels: number): PasteWorkspace {
  if (ws && ws.xs0.length >= n && ws.rowA.length >= n * channels) return ws;
  return createPasteWorkspace(n, channels);
}

/** Source tap along one axis for image pixel p: half-pixel centres, edges replicated (as MATLAB imresize / OpenCV). */
function tap(p: number, start: number, extent: number, srcN: number): [number, number, number] {
  let s = ((p + 0.5 - start) * srcN) / extent - 0.5;
  if (s < 0) s = 0;
  else if (s > srcN - 1) s = srcN - 1;
  const i0 = Math.floor(s);
  const i1 = i0 + 1 < srcN ? i0 + 1 : i0;
  return [i0, i1, s - i0];
}

function sanitize(v: number): number {
  return v > 0 ? FLOAT32_MAX : v < 0 ? -FLOAT32_MAX : v === 0 ? 0 : -FLOAT32_MAX;
}

// The kernels below are small top-level functions on purpose: V8 optimises them once and inlines them; closures
// created per call deoptimise ("wrong call target") and ran ~10× slower.

/** Interpolates one source row along x into `out` (region columns only). */
function lerpRow(
  src: Float32Array,
  base: number,
  xs0: Int32Array,
  xs1: Int32Array,
  xt: Float64Array,
  n: number,
  C: number,
  out: Float32Array,
): void {
  for (let i = 0, o = 0; i < n; i++) {
    const p0 = base + xs0[i]!;
    const p1 = base + xs1[i]!;
    const t = xt[i]!;
    for (let c = 0; c < C; c++) {
      const v0 = src[p0 + c]!;
      const v1 = src[p1 + c]!;
      let v = v0 + (v1 - v0) * t;
      // Catches ±Infinity and NaN in one test (x − x is 0 only for finite x).
      if (v - v !== 0) {
        const a = sanitize(v0);
        v = a + (sanitize(v1) - a) * t;
      }
      out[o++] = v;
    }
  }
}

function blendMax(dst: Float32Array, o: number, a: Float32Array, b: Float32Array, t: number, len: number): void {
  if (t === 0) {
    for (let i = 0; i < len; i++) {
      const v = a[i]!;
      const d = dst[o + i]!;
      // biome-ignore lint/complexity/useMathMinMax: a select is faster than Math.max here (see blendMax below).
      dst[o + i] = v > d ? v : d;
    }
    return;
  }
  for (let i = 0; i < len; i++) {
    const va = a[i]!;
    const v = va + (b[i]! - va) * t;
    const d = dst[o + i]!;
    // A select, not `if (v > d) dst = v`: random scores mispredict the branch (~1.4× slower), Math.max is slower still.
    // biome-ignore lint/complexity/useMathMinMax: measured, see above.
    dst[o + i] = v > d ? v : d;
  }
}

function blendSum(dst: Float32Array, o: number, a: Float32Array, b: Float32Array, t: number, len: number): void {
  if (t === 0) {
    for (let i = 0; i < len; i++) dst[o + i] = dst[o + i]! + a[i]!;
    return;
  }
  for (let i = 0; i < len; i++) {
    const va = a[i]!;
    dst[o + i] = dst[o + i]! + va + (b[i]! - va) * t;
  }
}

function blendSet(dst: Float32Array, o: number, a: Float32Array, b: Float32Array, t: number, len: number): void {
  if (t === 0) {
    dst.set(a.subarray(0, len), o);
    return;
  }
  for (let i = 0; i < len; i++) {
    const va = a[i]!;
    dst[o + i] = va + (b[i]! - va) * t;
  }
}

/** Cached {@link rowMask} of source row r (−1 = not computed yet; masks never have bit 31 set). */
function maskOf(
  masks: Int32Array,
  r: number,
  src: Float32Array,
  mw: number,
  C: number,
  col0: number,
  col1: number,
  floor: number,
  full: number,
): number {
  let m = masks[r]!;
  if (m < 0) {
    m = rowMask(src, r * mw * C, col0, col1, C, floor, full);
    masks[r] = m;
  }
  return m;
}

/** Bit c set when some value of channel c in columns col0…col1 of the source row exceeds `floor`. */
function rowMask(
  src: Float32Array,
  base: number,
  col0: number,
  col1: number,
  C: number,
  floor: number,
  full: number,
): number {
  let m = 0;
  for (let x = col0; x <= col1; x++) {
    const p = base + x * C;
    for (let c = 0; c < C; c++) if (src[p + c]! > floor) m |= 1 << c;
    if (m === full) break;
  }
  return m;
}

/** {@link lerpRow} for the channels in `mask` only (all of them when mask is `full`). */
function lerpChannels(
  src: Float32Array,
  base: number,
  xs0: Int32Array,
  xs1: Int32Array,
  xt: Float64Array,
  n: number,
  C: number,
  out: Float32Array,
  mask: number,
  full: number,
): void {
  if (mask === full) {
    lerpRow(src, base, xs0, xs1, xt, n, C, out);
    return;
  }
  for (let c = 0; c < C; c++) {
    if ((mask & (1 << c)) === 0) continue;
    for (let i = 0; i < n; i++) {
      const v0 = src[base + xs0[i]! + c]!;
      const v1 = src[base + xs1[i]! + c]!;
      const t = xt[i]!;
      let v = v0 + (v1 - v0) * t;
      if (v - v !== 0) {
        const a = sanitize(v0);
        v = a + (sanitize(v1) - a) * t;
      }
      out[i * C + c] = v;
    }
  }
}

/** {@link blendMax} for the channels in `mask` only. */
function blendMaxChannels(
  dst: Float32Array,
  o: number,
  a: Float32Array,
  b: Float32Array,
  t: number,
  n: number,
  C: number,
  mask: number,
): void {
  for (let c = 0; c < C; c++) {
    if ((mask & (1 << c)) === 0) continue;
    for (let i = c; i < n * C; i += C) {
      const va = a[i]!;
      const v = va + (b[i]! - va) * t;
      const d = dst[o + i]!;
      // biome-ignore lint/complexity/useMathMinMax: see blendMax.
      dst[o + i] = v > d ? v : d;
    }
  }
}

/**
 * Resizes `map` bilinearly onto `window` (image coordinates, may extend past the image) and merges it into the
 * image-sized `canvas`, clipped at the borders — the original's `imresize(score, [box_h box_w], 'bilinear')` followed
 * by `canvas(box) = max(canvas(box), ·)`, done straight into the canvas region without a resized copy. Identical to
 * `resample` with {@link pasteMapping} (edges replicated). `coverage`, when given, is incremented for every pasted
 * pixel. Non-finite inputs are clamped to ±FLOAT32_MAX (NaN counts as −FLOAT32_MAX). Returns the region touched.
 */
export interface PasteOptions {
  /** Default 'set'. */
  combine?: Combine;
  /** Incremented for every pasted pixel (width·height entries). */
  coverage?: Uint16Array | Uint32Array;
  /** Scratch rows to reuse across calls. */
  workspace?: PasteWorkspace;
  /**
   * With combine 'max': a value the canvas is known to be ≥ everywhere (the aggregator's zero floor). Channels whose
   * source rows are all ≤ floor cannot change the canvas and are skipped — exact, and a large saving on real score
   * maps, where most classes are negative across a crop.
   */
  floor?: number;
}

export function pasteInto(
  canvas: ScoreMap,
  map: ScoreMap,
  window: Box,
  options: PasteOptions = {},
): PixelRegion | null {
  const { combine = 'set', coverage, workspace, floor } = options;
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
  const mw = map.width;
  const mh = map.height;
  const n = x1 - x0;
  const ws = ensureWorkspace(workspace, n, C);
  const { xs0, xs1, xt } = ws;
  for (let i = 0; i < n; i++) {
    const [a, b, t] = tap(x0 + i, window.x, window.width, mw);
    xs0[i] = a * C;
    xs1[i] = b * C;
    xt[i] = t;
  }
  const src = map.data;
  const dst = canvas.data;
  const len = n * C;
  // Channel masks (bit c: some value of channel c in the tapped columns of source row r exceeds the floor).
  const sparse = combine === 'max' && floor !== undefined && floor > Number.NEGATIVE_INFINITY && C <= 30;
  const full = C <= 30 ? (1 << C) - 1 : -1;
  const masks = sparse ? new Int32Array(mh).fill(-1) : null;
  const col0 = xs0[0]! / C;
  const col1 = xs1[n - 1]! / C;
  let bufA = ws.rowA;
  let bufB = ws.rowB;
  let rowA = -1;
  let rowB = -1;
  let doneA = 0;
  let doneB = 0;
  for (let y = y0; y < y1; y++) {
    const [r0, r1, t] = tap(y, window.y, window.height, mh);
    const m0 = masks ? maskOf(masks, r0, src, mw, C, col0, col1, floor!, full) : full;
    const need = t === 0 || !masks ? m0 : m0 | maskOf(masks, r1, src, mw, C, col0, col1, floor!, full);
    if (need !== 0) {
      // Upsampling reads the same source rows for several output rows: keep the two interpolated rows.
      if (r0 !== rowA && r0 === rowB) {
        const tb = bufA;
        bufA = bufB;
        bufB = tb;
        rowB = rowA;
        rowA = r0;
        const td = doneA;
        doneA = doneB;
        doneB = td;
      }
      if (r0 !== rowA) {
        rowA = r0;
        doneA = 0;
      }
      if ((doneA & need) !== need) {
        lerpChannels(src, r0 * mw * C, xs0, xs1, xt, n, C, bufA, need & ~doneA, full);
        doneA |= need;
      }
      if (t !== 0) {
        if (r1 !== rowB) {
          rowB = r1;
          doneB = 0;
        }
        if ((doneB & need) !== need) {
          lerpChannels(src, r1 * mw * C, xs0, xs1, xt, n, C, bufB, need & ~doneB, full);
          doneB |= need;
        }
      }
      const o = (y * W + x0) * C;
      if (combine === 'max') {
        if (need === full) blendMax(dst, o, bufA, bufB, t, len);
        else blendMaxChannels(dst, o, bufA, bufB, t, n, C, need);
      } else if (combine === 'sum') blendSum(dst, o, bufA, bufB, t, len);
      else blendSet(dst, o, bufA, bufB, t, len);
    }
    if (coverage) {
      const c0 = y * W + x0;
      for (let i = c0; i < c0 + n; i++) coverage[i] = coverage[i]! + 1;
    }
  }
  return region;
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
