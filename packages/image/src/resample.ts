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
  const rowA = new Float32Array(dw * C);
  const rowB = new Float32Array(dw * C);
  // Separable: interpolate the two source rows along x, then blend them along y.
  const lerpRow = (sy: number, out: Float32Array) => {
    if (sy < 0) {
      for (let ox = 0, o = 0; ox < dw; ox++) for (let c = 0; c < C; c++) out[o++] = fill[c]!;
      return;
    }
    const base = sy * sw * C;
    const { i0, i1, w1 } = xt;
    for (let ox = 0, o = 0; ox < dw; ox++) {
      const a0 = i0[ox]!;
      const a1 = i1[ox]!;
      const t = w1[ox]!;
      const p0 = base + a0 * C;
      const p1 = base + a1 * C;
      for (let c = 0; c < C; c++) {
        const v0 = a0 >= 0 ? src[p0 + c]! : fill[c]!;
        const v1 = a1 >= 0 ? src[p1 + c]! : fill[c]!;
        out[o++] = v0 + (v1 - v0) * t;
      }
    }
  };
  let cachedA = -2;
  let cachedB = -2;
  let bufA = rowA;
  let bufB = rowB;
  const rowLen = dw * C;
  for (let oy = 0; oy < dh; oy++) {
    const y0 = yt.i0[oy]!;
    const y1 = yt.i1[oy]!;
    const t = yt.w1[oy]!;
    // Reuse interpolated rows across output rows (upsampling reads the same source rows repeatedly).
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
    const o = oy * rowLen;
    if (round) {
      for (let i = 0; i < rowLen; i++) {
        const va = bufA[i]!;
        const v = va + (bufB[i]! - va) * t;
        dst[o + i] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
      }
    } else {
      for (let i = 0; i < rowLen; i++) {
        const va = bufA[i]!;
        dst[o + i] = va + (bufB[i]! - va) * t;
      }
    }
  }
  return dst;
}
