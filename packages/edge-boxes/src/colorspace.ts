import type { RgbImage } from '@deconvnet/image';

export type ColorSpace = 'rgb' | 'luv';

/** Splits an RGB image into three float planes; 'rgb' keeps 0…255 (as `single(I)`), 'luv' gives CIE L*u*v* / 270. */
export function colorPlanes(image: RgbImage, space: ColorSpace): Float32Array[] {
  const n = image.width * image.height;
  const d = image.data;
  const p0 = new Float32Array(n);
  const p1 = new Float32Array(n);
  const p2 = new Float32Array(n);
  if (space === 'rgb') {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      p0[i] = d[j]!;
      p1[i] = d[j + 1]!;
      p2[i] = d[j + 2]!;
    }
    return [p0, p1, p2];
  }
  // sRGB → linear → XYZ (D65) → L*u*v*; scaled by 1/270 like pdollar/toolbox rgbConvert's 'luv'
  const lin = new Float64Array(256);
  for (let v = 0; v < 256; v++) {
    const c = v / 255;
    lin[v] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }
  const un = 0.197833;
  const vn = 0.468331;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const r = lin[d[j]!]!;
    const g = lin[d[j + 1]!]!;
    const b = lin[d[j + 2]!]!;
    const x = 0.412453 * r + 0.35758 * g + 0.180423 * b;
    const y = 0.212671 * r + 0.71516 * g + 0.072169 * b;
    const z = 0.019334 * r + 0.119193 * g + 0.950227 * b;
    const L = y > 0.008856 ? 116 * Math.cbrt(y) - 16 : 903.3 * y;
    const den = x + 15 * y + 3 * z + 1e-35;
    p0[i] = L / 270;
    p1[i] = (13 * L * ((4 * x) / den - un)) / 270;
    p2[i] = (13 * L * ((9 * y) / den - vn)) / 270;
  }
  return [p0, p1, p2];
}
