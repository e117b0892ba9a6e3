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
  forEachOutputRow(yt, r0, r1, bufA, bufB, lerpRow, (oy, rowA, rowB, t) => {
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

/** Scratch bytes of one batch chunk's per-call buffers (taps, two rows): bounds the kernel memory a batch grows. */
const BATCH_SCRATCH = 16 * 1024 * 1024;

const align16 = (n: number): number => (n + 15) & ~15;

/**
 * One resample call on the SIMD kernel, walkable in pieces: {@link SimdWalk.step} produces output rows up to a given
 * one, keeping the two x-interpolated source rows (A, B in kernel memory) between steps, so a band-by-band walk of many
 * calls (resampleBatch) interpolates every source row once, exactly as one whole call would.
 */
class SimdWalk {
  readonly a: ResampleArgs<Float32Array>;
  readonly r0: number;
  readonly r1: number;
  /** Destination row (of the dst image, at this stride) of output row 0. */
  readonly dstRow0: number;
  next: number;
  private readonly yt: Taps;
  private readonly xt: Taps;
  private readonly fill: ArrayLike<number>;
  private readonly fillTame: boolean;
  private readonly rowLen: number;
  private readonly mode: number;
  private X0 = 0;
  private X1 = 0;
  private WX = 0;
  // Row buffers: bufA holds source row cachedA, bufB cachedB (the addresses swap as the walk moves down). tameA/B:
  // whether that buffer holds only values of magnitude < 2^126 (then the kernel skips its non-finite repair); they
  // swap with the buffers.
  private bufA = 0;
  private bufB = 0;
  private cachedA = -2;
  private cachedB = -2;
  private tameA = false;
  private tameB = false;

  constructor(
    a: ResampleArgs<Float32Array>,
    readonly stride: number,
    readonly offset: number,
    combine: Combine,
    r0: number,
    r1: number,
  ) {
    const { srcWidth: sw, srcHeight: sh, channels: C, dstWidth: dw, dstHeight: dh, mapping: m } = a;
    this.a = a;
    this.r0 = r0;
    this.r1 = r1;
    this.next = r0;
    this.dstRow0 = Math.floor(offset / stride);
    const clampEdges = a.fill === undefined;
    this.fill = a.fill ?? new Float32Array(C);
    let fillTame = true;
    for (let c = 0; c < C; c++) if (!(Math.abs(this.fill[c]!) < TAME)) fillTame = false;
    this.fillTame = fillTame;
    this.mode = combine === 'set' ? 0 : combine === 'max' ? 1 : 2;
    this.xt = bilinearTaps(dw, sw, m.scaleX, m.offsetX, clampEdges);
    this.yt = bilinearTaps(dh, sh, m.scaleY, m.offsetY, clampEdges, r0, r1);
    this.rowLen = dw * C;
  }

  /** Bytes of kernel scratch this walk owns (taps and its two rows). */
  get scratchBytes(): number {
    return 3 * align16(this.a.dstWidth * 4) + 2 * align16(this.rowLen * 4);
  }

  /** Bytes of the shared source row (the source row plus one fill pixel). */
  get rowBytes(): number {
    return align16((this.a.srcWidth + 1) * this.a.channels * 4);
  }

  /** Places the walk's buffers at `base` (kernel memory already large enough) and writes its x taps. */
  place(kernel: SimdKernel, base: number, ROW: number): void {
    const { srcWidth: sw, channels: C, dstWidth: dw } = this.a;
    this.X0 = base;
    this.X1 = this.X0 + align16(dw * 4);
    this.WX = this.X1 + align16(dw * 4);
    this.bufA = this.WX + align16(dw * 4);
    this.bufB = this.bufA + align16(this.rowLen * 4);
    const i32 = kernel.i32();
    const { i0, i1 } = this.xt;
    for (let ox = 0; ox < dw; ox++) {
      i32[this.X0 / 4 + ox] = ROW + (i0[ox]! < 0 ? sw : i0[ox]!) * C * 4;
      i32[this.X1 / 4 + ox] = ROW + (i1[ox]! < 0 ? sw : i1[ox]!) * C * 4;
    }
    kernel.f32().set(this.xt.w1, this.WX / 4);
  }

  /** x-interpolates source row sy (−1: outside, all fill) into the buffer at `out`. */
  private lerp(kernel: SimdKernel, ROW: number, sy: number, out: number): void {
    const { src, srcWidth: sw, channels: C, dstWidth: dw } = this.a;
    const k = kernel.exports;
    const f32 = kernel.f32();
    const fill = this.fill;
    let tame = this.fillTame;
    if (sy < 0) {
      for (let o = out / 4; o < out / 4 + this.rowLen; o += C) for (let c = 0; c < C; c++) f32[o + c] = fill[c]!;
    } else {
      f32.set(src.subarray(sy * sw * C, (sy + 1) * sw * C), ROW / 4);
      // The fill pixel after the row (outside taps point at it); calls of a batch share the row buffer.
      for (let c = 0; c < C; c++) f32[ROW / 4 + sw * C + c] = fill[c]!;
      // A tame row (every |v| < 2^126, so no NaN or ±Infinity) needs no clamping either.
      tame = k.tameRow(ROW, (sw + 1) * C) === 1;
      if (this.a.clampNonFinite === true && !tame) k.clampRow(ROW, sw * C);
      k.lerpRow(this.X0, this.X1, this.WX, out, dw, C, tame ? 0 : 1);
    }
    if (out === this.bufA) this.tameA = tame;
    else this.tameB = tame;
  }

  /**
   * Output rows [next, until) (clipped to the walk's rows). `dstBase` ≥ 0: dst is kernel memory at that byte address;
   * −1: rows are blended at OUT and copied to the caller's array.
   */
  step(kernel: SimdKernel, ROW: number, OUT: number, dstBase: number, until: number): void {
    const end = Math.min(until, this.r1);
    const { yt, rowLen, mode, offset, stride } = this;
    const k = kernel.exports;
    const dst = this.a.dst;
    // forEachOutputRow, resumable: the cache (cachedA/B in bufA/B) carries over from the previous step.
    for (let oy = this.next; oy < end; oy++) {
      const y0 = yt.i0[oy]!;
      const y1 = yt.i1[oy]!;
      const t = yt.w1[oy]!;
      if (y0 !== this.cachedA) {
        if (y0 === this.cachedB) {
          const tmp = this.bufA;
          this.bufA = this.bufB;
          this.bufB = tmp;
          const tame = this.tameA;
          this.tameA = this.tameB;
          this.tameB = tame;
          this.cachedA = y0;
          this.cachedB = -2;
        } else {
          this.lerp(kernel, ROW, y0, this.bufA);
          this.cachedA = y0;
        }
      }
      if (y1 !== this.cachedB && t !== 0) {
        this.lerp(kernel, ROW, y1, this.bufB);
        this.cachedB = y1;
      }
      const check = this.tameA && (t === 0 || this.tameB) ? 0 : 1;
      const o = offset + oy * stride;
      if (dstBase >= 0) {
        const t2 = oy + 1 < end ? yt.w1[oy + 1]! : 0;
        if (check === 0 && t !== 0 && t2 !== 0 && yt.i0[oy + 1] === y0 && yt.i1[oy + 1] === y1) {
          // The next output row blends the same two source rows (upsampling): both in one pass over them.
          k.blendRow2(this.bufA, this.bufB, t, dstBase + o * 4, t2, dstBase + (o + stride) * 4, rowLen, mode);
          oy++;
        } else k.blendRow(this.bufA, this.bufB, t, dstBase + o * 4, rowLen, mode, check);
      } else {
        const f32 = kernel.f32();
        if (mode !== 0) f32.set(dst.subarray(o, o + rowLen), OUT / 4);
        k.blendRow(this.bufA, this.bufB, t, OUT, rowLen, mode, check);
        dst.set(f32.subarray(OUT / 4, OUT / 4 + rowLen), o);
      }
    }
    if (end > this.next) this.next = end;
  }
}

/**
 * Runs walks on one kernel: rows band by band of `bandRows` destination rows (every walk, in order, within a band),
 * or each walk whole when bandRows is Infinity. Walks are placed in chunks of at most BATCH_SCRATCH scratch bytes.
 */
function runWalks(walks: SimdWalk[], kernel: SimdKernel, dstBase: number, bandRows: number): void {
  if (walks.length === 0) return;
  let rowBytes = 0;
  let outBytes = 0;
  for (const w of walks) {
    rowBytes = Math.max(rowBytes, w.rowBytes);
    outBytes = Math.max(outBytes, align16(w.a.dstWidth * w.a.channels * 4));
  }
  const ROW = align16(kernel.reserved);
  const OUT = ROW + rowBytes;
  const first = OUT + (dstBase < 0 ? outBytes : 0);
  for (let c0 = 0; c0 < walks.length; ) {
    let c1 = c0;
    let bytes = 0;
    while (c1 < walks.length && (c1 === c0 || bytes + walks[c1]!.scratchBytes <= BATCH_SCRATCH))
      bytes += walks[c1++]!.scratchBytes;
    // dstBase (a view's byteOffset) was read before ensure(): growing detaches the caller's views.
    kernel.ensure(first + bytes);
    let base = first;
    for (let i = c0; i < c1; i++) {
      walks[i]!.place(kernel, base, ROW);
      base += walks[i]!.scratchBytes;
    }
    if (!Number.isFinite(bandRows)) {
      for (let i = c0; i < c1; i++) walks[i]!.step(kernel, ROW, OUT, dstBase, walks[i]!.r1);
    } else {
      let top = Number.POSITIVE_INFINITY;
      let bottom = Number.NEGATIVE_INFINITY;
      for (let i = c0; i < c1; i++) {
        const w = walks[i]!;
        top = Math.min(top, w.dstRow0 + w.r0);
        bottom = Math.max(bottom, w.dstRow0 + w.r1);
      }
      for (let b0 = top; b0 < bottom; b0 += bandRows) {
        const b1 = b0 + bandRows;
        for (let i = c0; i < c1; i++) {
          const w = walks[i]!;
          if (w.dstRow0 + w.next < b1 && w.next < w.r1) w.step(kernel, ROW, OUT, dstBase, b1 - w.dstRow0);
        }
      }
    }
    c0 = c1;
  }
}

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
  runWalks([new SimdWalk(a, stride, offset, combine, r0, r1)], kernel, dstBase, Number.POSITIVE_INFINITY);
}

export interface ResampleBatchOptions {
  /**
   * Destination rows per band (cache blocking): every call of the batch is merged into one band of rows before the
   * next band, so the destination streams through the caches once per batch instead of once per call. Default 8.
   * Results do not depend on it.
   */
  bandRows?: number;
}

/**
 * `resample` of every call in `calls`, in order, with the same result bit for bit (each destination value still merges
 * the calls in order), but walked band by band of destination rows: for merging many maps into one canvas (paste-back
 * of proposals). All calls must write the same `dst` with the same row stride (a row of the destination image); a
 * call's rows are those of its output starting at destination row ⌊dstOffset / dstStride⌋. Every call is checked
 * before anything is written. On the SIMD kernel each call keeps its two interpolated rows between bands, so no source
 * row is interpolated twice; elsewhere the calls run band by band through `rows`.
 */
export function resampleBatch(calls: readonly ResampleArgs<Float32Array>[], options: ResampleBatchOptions = {}): void {
  const bandRows = options.bandRows ?? 8;
  if (!(Number.isInteger(bandRows) && bandRows > 0) && bandRows !== Number.POSITIVE_INFINITY)
    throw new RangeError(`resampleBatch: bandRows must be a positive integer, got ${bandRows}`);
  if (calls.length === 0) return;
  const dst = calls[0]!.dst;
  const geom = calls.map((a) => {
    if (a.dst !== dst) throw new RangeError('resampleBatch: every call must write the same dst array');
    const C = a.channels;
    const stride = a.dstStride ?? a.dstWidth * C;
    const offset = a.dstOffset ?? 0;
    checkArgs(a, C, stride, offset);
    return { stride, offset };
  });
  const stride0 = geom[0]!.stride;
  const sameStride = geom.every((g) => g.stride === stride0);
  const simd =
    dst instanceof Float32Array && sameStride && calls.every((a) => a.interpolation === 'bilinear' && a.channels >= 4);
  const owner = simd ? SimdKernel.owner(dst.buffer) : undefined;
  const kernel = simd ? (owner ?? sharedKernel()) : null;
  if (kernel) {
    const dstBase = owner ? dst.byteOffset : -1;
    const walks: SimdWalk[] = [];
    for (let i = 0; i < calls.length; i++) {
      const a = calls[i]!;
      const r0 = a.rows?.start ?? 0;
      const r1 = a.rows?.end ?? a.dstHeight;
      if (a.dstWidth <= 0 || r0 >= r1) continue;
      walks.push(new SimdWalk(a, geom[i]!.stride, geom[i]!.offset, a.combine ?? 'set', r0, r1));
    }
    runWalks(walks, kernel, dstBase, bandRows);
    return;
  }
  // Elsewhere: the same band walk through `rows` (each band recomputes the rows it needs).
  if (!sameStride || !Number.isFinite(bandRows)) {
    for (const a of calls) resample(a);
    return;
  }
  const spans = calls.map((a, i) => {
    const row0 = Math.floor(geom[i]!.offset / stride0);
    return { row0, r0: a.rows?.start ?? 0, r1: a.rows?.end ?? a.dstHeight };
  });
  let top = Number.POSITIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (const s of spans) {
    if (s.r0 >= s.r1 || calls[spans.indexOf(s)]!.dstWidth <= 0) continue;
    top = Math.min(top, s.row0 + s.r0);
    bottom = Math.max(bottom, s.row0 + s.r1);
  }
  for (let b0 = top; b0 < bottom; b0 += bandRows) {
    for (let i = 0; i < calls.length; i++) {
      const s = spans[i]!;
      const start = Math.max(s.r0, b0 - s.row0);
      const end = Math.min(s.r1, b0 + bandRows - s.row0);
      if (start < end) resample({ ...calls[i]!, rows: { start, end } });
    }
  }
}

/**
 * Walks output rows [r0, r1) of the JS separable bilinear pass, keeping the two x-interpolated source rows it needs
 * in `a` and `b` and re-interpolating only when the source row changes — upsampling reads each source row for several
 * output rows. (SimdWalk.step is the same walk, resumable, and skips the second row when its weight is 0.)
 */
function forEachOutputRow(
  yt: Taps,
  r0: number,
  r1: number,
  a: Float32Array,
  b: Float32Array,
  lerpRow: (sy: number, buf: Float32Array) => void,
  blend: (oy: number, a: Float32Array, b: Float32Array, t: number) => void,
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
    if (y1 !== cachedB) {
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
