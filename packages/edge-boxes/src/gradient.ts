import { ImageError } from '@deconvnet/image';

/**
 * Central differences as pdollar/toolbox `gradient2` (gradientMex `grad1`): (I[x+1] − I[x−1]) / 2 inside,
 * one-sided I[1] − I[0] (full weight) at the borders. Row-major plane; needs width, height ≥ 2.
 */
export function gradient2(src: Float32Array, width: number, height: number): { gx: Float32Array; gy: Float32Array } {
  if (width < 2 || height < 2) throw new ImageError('gradient2', `plane must be at least 2×2, got ${width}×${height}`);
  const gx = new Float32Array(width * height);
  const gy = new Float32Array(width * height);
  gradient2Into(src, width, height, gx, gy);
  return { gx, gy };
}

/** {@link gradient2} into `gx`, `gy` (no checks). */
export function gradient2Into(
  src: Float32Array,
  width: number,
  height: number,
  gx: Float32Array,
  gy: Float32Array,
): void {
  for (let y = 0; y < height; y++) {
    const o = y * width;
    gx[o] = src[o + 1]! - src[o]!;
    for (let x = 1; x < width - 1; x++) gx[o + x] = (src[o + x + 1]! - src[o + x - 1]!) * 0.5;
    gx[o + width - 1] = src[o + width - 1]! - src[o + width - 2]!;
  }
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    gy[x] = src[width + x]! - src[x]!;
    gy[last + x] = src[last + x]! - src[last - width + x]!;
  }
  for (let y = 1; y < height - 1; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) gy[o + x] = (src[o + width + x]! - src[o - width + x]!) * 0.5;
  }
}

/**
 * Gradient magnitude keeping, per pixel, the channel with the largest squared magnitude
 * (pdollar/toolbox `gradientMag`, `gradMag`; ties keep the earlier channel). `planes` are row-major planes.
 */
export function gradientMag(planes: readonly Float32Array[], width: number, height: number): Float32Array {
  if (planes.length === 0) throw new ImageError('gradientMag', 'needs at least one channel');
  if (width < 2 || height < 2) {
    throw new ImageError('gradientMag', `plane must be at least 2×2, got ${width}×${height}`);
  }
  const n = width * height;
  const f = Math.fround;
  const best = new Float32Array(n);
  for (let c = 0; c < planes.length; c++) {
    const src = planes[c]!;
    if (src.length !== n) throw new ImageError('gradientMag', `channel ${c} has ${src.length} values, expected ${n}`);
    // gradient2's differences, rounded to float32 as its output arrays would hold them, without the arrays
    for (let y = 0; y < height; y++) {
      const o = y * width;
      const up = y === 0 ? o : o - width;
      const down = y === height - 1 ? o : o + width;
      const half = y === 0 || y === height - 1 ? 1 : 0.5;
      for (let x = 0; x < width; x++) {
        const i = o + x;
        const gx =
          x === 0
            ? f(src[i + 1]! - src[i]!)
            : x === width - 1
              ? f(src[i]! - src[i - 1]!)
              : f((src[i + 1]! - src[i - 1]!) * 0.5);
        const gy = f((src[down + x]! - src[up + x]!) * half);
        const m2 = f(f(gx * gx) + f(gy * gy));
        if (c === 0 || m2 > best[i]!) best[i] = m2;
      }
    }
  }
  for (let i = 0; i < n; i++) best[i] = Math.sqrt(best[i]!);
  return best;
}

/**
 * {@link gradientMag} of `channels` interleaved planes (e.g. a smoothed RGB image) into `out`, in one sweep; the
 * same float32 roundings, so the same bits. Returns the largest magnitude (for the normalisation).
 */
export function gradientMagInto(
  src: Float32Array,
  width: number,
  height: number,
  channels: number,
  out: Float32Array,
): number {
  const f = Math.fround;
  const ch = channels;
  const rowLen = width * ch;
  let max = 0;
  for (let y = 0; y < height; y++) {
    const o = y * rowLen;
    const up = y === 0 ? o : o - rowLen;
    const down = y === height - 1 ? o : o + rowLen;
    const half = y === 0 || y === height - 1 ? 1 : 0.5;
    for (let x = 0; x < width; x++) {
      const i = o + x * ch;
      const l = x === 0 ? i : i - ch;
      const r = x === width - 1 ? i : i + ch;
      const hx = x === 0 || x === width - 1 ? 1 : 0.5;
      const d = down + x * ch;
      const u = up + x * ch;
      let best: number;
      if (ch === 3) {
        // unrolled: channel 0 first, a later channel only if strictly larger
        const gx0 = f((src[r]! - src[l]!) * hx);
        const gy0 = f((src[d]! - src[u]!) * half);
        const gx1 = f((src[r + 1]! - src[l + 1]!) * hx);
        const gy1 = f((src[d + 1]! - src[u + 1]!) * half);
        const gx2 = f((src[r + 2]! - src[l + 2]!) * hx);
        const gy2 = f((src[d + 2]! - src[u + 2]!) * half);
        best = f(f(gx0 * gx0) + f(gy0 * gy0));
        const m1 = f(f(gx1 * gx1) + f(gy1 * gy1));
        if (m1 > best) best = m1;
        const m2 = f(f(gx2 * gx2) + f(gy2 * gy2));
        if (m2 > best) best = m2;
      } else {
        best = 0;
        for (let c = 0; c < ch; c++) {
          const gx = f((src[r + c]! - src[l + c]!) * hx);
          const gy = f((src[d + c]! - src[u + c]!) * half);
          const m2 = f(f(gx * gx) + f(gy * gy));
          if (c === 0 || m2 > best) best = m2;
        }
      }
      const m = f(Math.sqrt(best));
      out[y * width + x] = m;
      if (m > max) max = m;
    }
  }
  return max;
}
