/**
 * The one resampling kernel behind resize, crop and crop-and-warp. Output pixel (ox, oy) samples source position
 * (ax·(ox+0.5) + bx − 0.5, ay·(oy+0.5) + by − 0.5) in pixel-centre coordinates ("half-pixel centres", as OpenCV
 * INTER_LINEAR and tf.image.resize with half_pixel_centers). Taps outside the source either replicate the edge
 * (resize) or read `fill` (crop/warp: the source behaves as if padded with `fill`).
 */

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

/** Per-output-coordinate source taps; index −1 means "outside, use fill". */
function bilinearTaps(n: number, srcN: number, scale: number, offset: number, clampEdges: boolean): Taps {
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const w1 = new Float32Array(n);
  for (let o = 0; o < n; o++) {
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
}

export function resample<T extends Num>(a: ResampleArgs<T>): T {
  const { src, srcWidth: sw, srcHeight: sh, channels: C, dst, dstWidth: dw, dstHeight: dh, mapping: m } = a;
  const clampEdges = a.fill === undefined;
  const fill = a.fill ?? new Float32Array(C);
  const round = dst instanceof Uint8Array;
  if (a.interpolation === 'nearest') {
    const xs = nearestTaps(dw, sw, m.scaleX, m.offsetX, clampEdges);
    const ys = nearestTaps(dh, sh, m.scaleY, m.offsetY, clampEdges);
    for (let oy = 0; oy < dh; oy++) {
      const sy = ys[oy]!;
      let o = oy * dw * C;
      for (let ox = 0; ox < dw; ox++) {
        const sx = xs[ox]!;
        if (sy < 0 || sx < 0) {
          for (let c = 0; c < C; c++) dst[o++] = fill[c]!;
        } else {
          let s = (sy * sw + sx) * C;
          for (let c = 0; c < C; c++) dst[o++] = src[s++]!;
        }
      }
    }
    return dst;
  }
  const xt = bilinearTaps(dw, sw, m.scaleX, m.offsetX, clampEdges);
  const yt = bilinearTaps(dh, sh, m.scaleY, m.offsetY, clampEdges);
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
  let bufA = new Float32Array(rowLen);
  let bufB = new Float32Array(rowLen);
  const lerpRow = (sy: number, out: Float32Array) => {
    if (sy < 0) {
      for (let o = 0; o < rowLen; o += C) for (let c = 0; c < C; c++) out[o + c] = fill[c]!;
      return;
    }
    srcRow.set(src.subarray(sy * sw * C, (sy + 1) * sw * C));
    lerpRowInto(srcRow, out, x0, x1, wx, dw, C);
  };
  // Separable: interpolate the two source rows along x (cached across output rows), then blend along y.
  let cachedA = -2;
  let cachedB = -2;
  for (let oy = 0; oy < dh; oy++) {
    const y0 = yt.i0[oy]!;
    const y1 = yt.i1[oy]!;
    const t = yt.w1[oy]!;
    if (y0 !== cachedA) {
      if (y0 === cachedB) {
        const tmp = bufA;
        bufA = bufB;
        bufB = tmp;
        cachedA = y0;
        cachedB = -2;
      } else {
        lerpRow(y0, bufA);
        cachedA = y0;
      }
    }
    if (y1 !== cachedB) {
      lerpRow(y1, bufB);
      cachedB = y1;
    }
    if (dst instanceof Uint8Array) blendRowU8(bufA, bufB, t, dst, oy * rowLen, rowLen);
    else blendRowF32(bufA, bufB, t, dst as Float32Array, oy * rowLen, rowLen);
  }
  return dst;
}

function lerpRowInto(row: Float32Array, out: Float32Array, x0: Int32Array, x1: Int32Array, wx: Float32Array, dw: number, C: number): void {
  let o = 0;
  for (let ox = 0; ox < dw; ox++) {
    const p0 = x0[ox]!;
    const p1 = x1[ox]!;
    const t = wx[ox]!;
    for (let c = 0; c < C; c++) {
      const v0 = row[p0 + c]!;
      out[o++] = v0 + (row[p1 + c]! - v0) * t;
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
    dst[o + i] = va + (b[i]! - va) * t;
  }
}

function blendRowU8(a: Float32Array, b: Float32Array, t: number, dst: Uint8Array, o: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const va = a[i]!;
    const v = va + (b[i]! - va) * t;
    dst[o + i] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
  }
}
