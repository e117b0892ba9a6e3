/**
 * The one resampling kernel behind resize, crop and crop-and-warp. Output pixel (ox, oy) samples source position
 * (ax·(ox+0.5) + bx − 0.5, ay·(oy+0.5) + by − 0.5) in pixel-centre coordinates ("half-pixel centres", as OpenCV
 * INTER_LINEAR and tf.image.resize with half_pixel_centers). Taps outside the source either replicate the edge
 * (resize) or read `fill` (crop/warp: the source behaves as if padded with `fill`).
 *
 * The output may be a window of a larger buffer (`dstOffset`, `dstStride`) and may be merged into what is there
 * (`combine`: 'max' / 'add'), so paste-back of a crop's map into an image canvas is one call with no resized copy.
 * Float32 bilinear with ≥ 4 channels runs in a WebAssembly SIMD (f32x4) kernel where available (src/wasm/resample.wat),
 * in place when `dst` lives in a canvas from {@link createScoreCanvas}; everything else runs the JS loops below.
 *
 * Non-finite inputs: each axis blends a + (b − a)·t, which is NaN for a = ±Infinity even when the other tap is finite.
 * Such results are recomputed as (1 − t)·a + t·b, so an infinite tap with non-zero weight yields that infinity, a
 * weight-0 tap is ignored (t = 0 copies a exactly), opposite infinities that both carry weight give NaN, and NaN
 * propagates. With `clampNonFinite` the source reads as clamped to ±FLOAT32_MAX first (NaN as −FLOAT32_MAX): every
 * output is finite.
 */

import { SimdKernel, sharedKernel } from './simd-kernel.js';

export type Interpolation = 'nearest' | 'bilinear';

export interface Mapping {
  /** Source pixels per output pixel along x / y. */
  scaleX: number;
  scaleY: number;
  /** Source position of the output's left / top edge. */
  offsetX: number;
  offsetY: number;
}

type Num = Uint8Array | Float32Array;

interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  w1: Float32Array;
}

/** Per-output-coordinate source taps (filled for o in [from, to)); index −1 means "outside, use fill". */
function bilinearTaps(
  n: number,
  srcN: number,
  scale: number,
  offset: number,
  clampEdges: boolean,
  from = 0,
  to = n,
): Taps {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w1 = new Float32Array(n);
  for (let o = from; o < to; o++) {
    let s = offset + (o + 0.5) * scale - 0.5;
    if (clampEdges) s = Math.min(Math.max(s, 0), srcN - 1);
    const f = Math.floor(s);
    const t = s - f;
    const a = f;
    const b = f + 1;
    i0[o] = a >= 0 && a < srcN ? a : -1;
    i1[o] = b >= 0 && b < srcN ? b : clampEdges ? a : -1;
    w1[o] = t;
  }
  return { i0, i1, w1 };
}

function nearestTaps(n: number, srcN: number, scale: number, offset: number, clampEdges: boolean): Int32Array {
  const idx = new Int32Array(n);
  for (let o = 0; o < n; o++) {
    let s = Math.floor(offset + (o + 0.5) * scale);
    if (clampEdges) s = Math.min(Math.max(s, 0), srcN - 1);
    idx[o] = s >= 0 && s < srcN ? s : -1;
  }
  return idx;
}

export type Combine = 'set' | 'max' | 'add';

/** Largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Rows whose values all stay below this in magnitude cannot overflow when interpolated (|b − a| ≤ 2^127). */
const TAME = 2 ** 126;

export interface ResampleArgs<T extends Num> {
  src: T;
  srcWidth: number;
  srcHeight: number;
  channels: number;
  dst: T;
  dstWidth: number;
  dstHeight: number;
  mapping: Mapping;
  interpolation: Interpolation;
  /** Per-channel fill for taps outside the source; when omitted, edges are replicated. */
  fill?: ArrayLike<number>;
  /** Index in `dst` of output pixel (0, 0)'s first channel. Default 0. */
  dstOffset?: number;
  /** Elements from one output row to the next in `dst`. Default dstWidth·channels (a dense image). */
  dstStride?: number;
  /** 'set' (default) overwrites; 'max' keeps v > d ? v : d; 'add' sums (Uint8 saturates at 255). */
  combine?: Combine;
  /** Read non-finite source values as ±FLOAT32_MAX (NaN as −FLOAT32_MAX). Default false. */
  clampNonFinite?: boolean;
  /**
   * Produce only output rows [start, end) of the dstWidth×dstHeight output (others untouched), each bit-identical to
   * the full call's row: the taps are those of the whole mapping. Lets a caller walk a big destination in bands
   * (cache blocking: several maps merged into one band before the next). Default all rows.
   */
  rows?: { start: number; end: number };
}

function clampValue(v: number): number {
  // biome-ignore lint/complexity/useMathMinMax: NaN must map to −FLOAT32_MAX, which Math.min/max would not do.
  return v > FLOAT32_MAX ? FLOAT32_MAX : v >= -FLOAT32_MAX ? v : -FLOAT32_MAX;
}

/** a + (b − a)·t, with the non-finite rule above. */
function lerp(a: number, b: number, t: number): number {
  if (t === 0) return a;
  const v = a + (b - a) * t;
  return v - v === 0 ? v : a * (1 - t) + b * t;
}

function checkArgs(a: ResampleArgs<Num>, C: number, stride: number, offset: number): void {
  const { dstWidth: dw, dstHeight: dh } = a;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(stride) || (dh > 1 && stride < dw * C))
    throw new RangeError(`resample: dstOffset ${offset} / dstStride ${stride} invalid for ${dw}×${C} rows`);
  if (dw > 0 && dh > 0 && offset + (dh - 1) * stride + dw * C > a.dst.length)
    throw new RangeError(
      `resample: ${dw}×${dh}×${C} output at offset ${offset}, stride ${stride} overruns dst (${a.dst.length})`,
    );
  if (a.combine !== undefined && a.combine !== 'set' && a.combine !== 'max' && a.combine !== 'add')
    throw new RangeError(`resample: combine must be 'set', 'max' or 'add', got ${String(a.combine)}`);
  const r = a.rows;
  if (
    r !== undefined &&
    !(Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= dh)
  )
    throw new RangeError(`resample: rows [${r.start}, ${r.end}) must be integers with 0 ≤ start ≤ end ≤ ${dh}`);
}

export function resample<T extends Num>(a: ResampleArgs<T>): T {
  const { src, srcWidth: sw, srcHeight: sh, channels: C, dst, dstWidth: dw, dstHeight: dh, mapping: m } = a;
  const stride = a.dstStride ?? dw * C;
  const offset = a.dstOffset ?? 0;
  checkArgs(a, C, stride, offset);
  if (dw <= 0 || dh <= 0) return dst;
  const combine = a.combine ?? 'set';
  const r0 = a.rows?.start ?? 0;
  const r1 = a.rows?.end ?? dh;
  if (r0 >= r1) return dst;
  const clampIn = a.clampNonFinite === true;
  const clampEdges = a.fill === undefined;
  const fill = a.fill ?? new Float32Array(C);
  if (a.interpolation === 'nearest') {
    const xs = nearestTaps(dw, sw, m.scaleX, m.offsetX, clampEdges);
    const ys = nearestTaps(dh, sh, m.scaleY, m.offsetY, clampEdges);
    const plain = combine === 'set' && !clampIn;
    const row = plain ? null : new Float32Array(dw * C);
    for (let oy = r0; oy < r1; oy++) {
      const sy = ys[oy]!;
      const base = offset + oy * stride;
      let o = 0;
      for (let ox = 0; ox < dw; ox++) {
        const sx = xs[ox]!;
        if (sy < 0 || sx < 0) {
          if (row) for (let c = 0; c < C; c++) row[o++] = fill[c]!;
          else for (let c = 0; c < C; c++) dst[base + o++] = fill[c]!;
        } else {
          let s = (sy * sw + sx) * C;
          if (row) for (let c = 0; c < C; c++) row[o++] = clampIn ? clampValue(src[s++]!) : src[s++]!;
          else for (let c = 0; c < C; c++) dst[base + o++] = src[s++]!;
        }
      }
      if (row) emitRow(row, dst, base, dw * C, combine);
    }
    return dst;
  }
  if (dst instanceof Float32Array && C >= 4) {
    const owner = SimdKernel.owner(dst.buffer);
    const kernel = owner ?? sharedKernel();
    if (kernel) {
      bilinearSimd(
        a as ResampleArgs<Float32Array>,
        kernel,
        owner ? dst.byteOffset : -1,
        stride,
        offset,
        combine,
        r0,
        r1,
      );
      return dst;
    }
  }
  const xt = bilinearTaps(dw, sw, m.scaleX, m.offsetX, clampEdges);
  const yt = bilinearTaps(dh, sh, m.scaleY, m.offsetY, clampEdges, r0, r1);
  // Outside taps (−1) point at a virtual fill pixel appended to the row buffer, so the inner loops are branch-free
  // and only ever read a Float32Array (monomorphic, whatever the source type).
  const x0 = new Int32Array(dw);
  const x1 = new Int32Array(dw);
  for (let ox = 0; ox < dw; ox++) {
    x0[ox] = (xt.i0[ox]! < 0 ? sw : xt.i0[ox]!) * C;
    x1[ox] = (xt.i1[ox]! < 0 ? sw : xt.i1[ox]!) * C;
  }
  const wx = xt.w1;
  const srcRow = new Float32Array((sw + 1) * C);
  for (let c = 0; c < C; c++) srcRow[sw * C + c] = fill[c]!;
  const rowLen = dw * C;
  const bufA = new Float32Array(rowLen);
  const bufB = new Float32Array(rowLen);
  const merged = combine === 'set' ? null : new Float32Array(rowLen);
  const lerpRow = (sy: number, out: Float32Array) => {
    if (sy < 0) {
      for (let o = 0; o < rowLen; o += C) for (let c = 0; c < C; c++) out[o + c] = fill[c]!;
      return;
    }
    srcRow.set(src.subarray(sy * sw * C, (sy + 1) * sw * C));
    if (clampIn) for (let i = 0; i < sw * C; i++) srcRow[i] = clampValue(srcRow[i]!);
    lerpRowInto(srcRow, out, x0, x1, wx, dw, C);
  };
  // Separable: interpolate the two source rows along x (cached across output rows), then blend along y.
  forEachOutputRow(yt, r0, r1, bufA, bufB, false, lerpRow, (oy, rowA, rowB, t) => {
    const o = offset + oy * stride;
    if (merged) {
      blendRowF32(rowA, rowB, t, merged, 0, rowLen);
      emitRow(merged, dst, o, rowLen, combine);
    } else if (dst instanceof Uint8Array) blendRowU8(rowA, rowB, t, dst, o, rowLen);
    else blendRowF32(rowA, rowB, t, dst as Float32Array, o, rowLen);
  });
  return dst;
}

/** Merges a finished Float32 row into dst[o …] with `combine` (Uint8 destinations round and saturate). */
function emitRow(row: Float32Array, dst: Num, o: number, n: number, combine: Combine): void {
  const u8 = dst instanceof Uint8Array;
  for (let i = 0; i < n; i++) {
    let v = row[i]!;
    const d = dst[o + i]!;
    // biome-ignore lint/complexity/useMathMinMax: NaN semantics (keep d when v is NaN), as the SIMD f32x4.pmax.
    if (combine === 'max') v = v > d ? v : d;
    else if (combine === 'add') v = d + v;
    dst[o + i] = u8 ? (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0) : v;
  }
}

/** Scratch layout of one SIMD call (byte addresses, 16-aligned), after the kernel's reserved canvas bytes. */
function bilinearSimd(
  a: ResampleArgs<Float32Array>,
  kernel: SimdKernel,
  dstBase: number,
  stride: number,
  offset: number,
  combine: Combine,
  r0: number,
  r1: number,
): void {
  const { src, srcWidth: sw, srcHeight: sh, channels: C, dst, dstWidth: dw, dstHeight: dh, mapping: m } = a;
  const clampEdges = a.fill === undefined;
  const fill = a.fill ?? new Float32Array(C);
  const clamp = a.clampNonFinite === true;
  const mode = combine === 'set' ? 0 : combine === 'max' ? 1 : 2;
  const xt = bilinearTaps(dw, sw, m.scaleX, m.offsetX, clampEdges);
  const yt = bilinearTaps(dh, sh, m.scaleY, m.offsetY, clampEdges, r0, r1);
  const al = (n: number) => (n + 15) & ~15;
  const rowLen = dw * C;
  const X0 = al(kernel.reserved);
  const X1 = X0 + al(dw * 4);
  const WX = X1 + al(dw * 4);
  const ROW = WX + al(dw * 4);
  const A = ROW + al((sw + 1) * C * 4);
  const B = A + al(rowLen * 4);
  const OUT = B + al(rowLen * 4);
  // dstBase (a view's byteOffset) is read before ensure(): growing detaches the caller's views.
  kernel.ensure(OUT + (dstBase < 0 ? al(rowLen * 4) : 0));
  const f32 = kernel.f32();
  const i32 = kernel.i32();
  for (let ox = 0; ox < dw; ox++) {
    i32[X0 / 4 + ox] = ROW + (xt.i0[ox]! < 0 ? sw : xt.i0[ox]!) * C * 4;
    i32[X1 / 4 + ox] = ROW + (xt.i1[ox]! < 0 ? sw : xt.i1[ox]!) * C * 4;
  }
  f32.set(xt.w1, WX / 4);
  let fillTame = true;
  for (let c = 0; c < C; c++) {
    f32[ROW / 4 + sw * C + c] = fill[c]!;
    if (!(Math.abs(fill[c]!) < TAME)) fillTame = false;
  }
  const k = kernel.exports;
  // Whether the row buffer at A / B holds only values of magnitude < 2^126 (then the kernel skips its non-finite
  // repair: nothing can overflow). Kept per buffer address: forEachOutputRow swaps the two buffers.
  let tameA = false;
  let tameB = false;
  const lerpRow = (sy: number, out: number) => {
    let tame = fillTame;
    if (sy < 0) {
      for (let o = out / 4; o < out / 4 + rowLen; o += C) for (let c = 0; c < C; c++) f32[o + c] = fill[c]!;
    } else {
      f32.set(src.subarray(sy * sw * C, (sy + 1) * sw * C), ROW / 4);
      // A tame row (every |v| < 2^126, so no NaN or ±Infinity) needs no clamping either.
      tame = k.tameRow(ROW, (sw + 1) * C) === 1;
      if (clamp && !tame) k.clampRow(ROW, sw * C);
      k.lerpRow(X0, X1, WX, out, dw, C, tame ? 0 : 1);
    }
    if (out === A) tameA = tame;
    else tameB = tame;
  };
  forEachOutputRow(yt, r0, r1, A, B, true, lerpRow, (oy, rowA, rowB, t) => {
    const o = offset + oy * stride;
    const check = (rowA === A ? tameA : tameB) && (t === 0 || (rowB === A ? tameA : tameB)) ? 0 : 1;
    if (dstBase >= 0) {
      k.blendRow(rowA, rowB, t, dstBase + o * 4, rowLen, mode, check);
    } else {
      if (mode !== 0) f32.set(dst.subarray(o, o + rowLen), OUT / 4);
      k.blendRow(rowA, rowB, t, OUT, rowLen, mode, check);
      dst.set(f32.subarray(OUT / 4, OUT / 4 + rowLen), o);
    }
  });
}

/**
 * Walks output rows [r0, r1) of a separable bilinear pass, keeping the two x-interpolated source rows it needs in `a`
 * and `b` (Float32Arrays or kernel addresses) and re-interpolating only when the source row changes — upsampling
 * reads each source row for several output rows. With `skipZeroWeight`, the second row is not produced when its
 * weight is 0 (the blend must then ignore it).
 */
function forEachOutputRow<T>(
  yt: Taps,
  r0: number,
  r1: number,
  a: T,
  b: T,
  skipZeroWeight: boolean,
  lerpRow: (sy: number, buf: T) => void,
  blend: (oy: number, a: T, b: T, t: number) => void,
): void {
  let cachedA = -2;
  let cachedB = -2;
  for (let oy = r0; oy < r1; oy++) {
    const y0 = yt.i0[oy]!;
    const y1 = yt.i1[oy]!;
    const t = yt.w1[oy]!;
    if (y0 !== cachedA) {
      if (y0 === cachedB) {
        const tmp = a;
        a = b;
        b = tmp;
        cachedA = y0;
        cachedB = -2;
      } else {
        lerpRow(y0, a);
        cachedA = y0;
      }
    }
    if (y1 !== cachedB && !(skipZeroWeight && t === 0)) {
      lerpRow(y1, b);
      cachedB = y1;
    }
    blend(oy, a, b, t);
  }
}

function lerpRowInto(
  row: Float32Array,
  out: Float32Array,
  x0: Int32Array,
  x1: Int32Array,
  wx: Float32Array,
  dw: number,
  C: number,
): void {
  let o = 0;
  for (let ox = 0; ox < dw; ox++) {
    const p0 = x0[ox]!;
    const p1 = x1[ox]!;
    const t = wx[ox]!;
    if (t === 0) {
      for (let c = 0; c < C; c++) out[o++] = row[p0 + c]!;
      continue;
    }
    for (let c = 0; c < C; c++) {
      const v0 = row[p0 + c]!;
      const v = v0 + (row[p1 + c]! - v0) * t;
      out[o++] = v - v === 0 ? v : lerp(v0, row[p1 + c]!, t);
    }
  }
}

function blendRowF32(a: Float32Array, b: Float32Array, t: number, dst: Float32Array, o: number, n: number): void {
  if (t === 0) {
    dst.set(a, o);
    return;
  }
  for (let i = 0; i < n; i++) {
    const va = a[i]!;
    const v = va + (b[i]! - va) * t;
    dst[o + i] = v - v === 0 ? v : lerp(va, b[i]!, t);
  }
}

function blendRowU8(a: Float32Array, b: Float32Array, t: number, dst: Uint8Array, o: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const va = a[i]!;
    const v = t === 0 ? va : va + (b[i]! - va) * t;
    dst[o + i] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
  }
}
