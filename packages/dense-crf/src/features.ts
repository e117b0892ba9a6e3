import { checkLength, checkPositive, DenseCrfError } from './errors.js';

const f32 = Math.fround;

/** Smoothness features `(x/sx, y/sy)` per pixel, float32 `int / float` as in `DenseCRF2D::addPairwiseGaussian`. */
export function gaussianFeatures(width: number, height: number, sx: number, sy: number): Float32Array {
  checkPositive('sx', sx);
  checkPositive('sy', sy);
  const fx = f32(sx);
  const fy = f32(sy);
  const out = new Float32Array(width * height * 2);
  for (let y = 0, i = 0; y < height; y++) {
    const vy = y / fy;
    for (let x = 0; x < width; x++, i += 2) {
      out[i] = x / fx;
      out[i + 1] = vy;
    }
  }
  return out;
}

/** Appearance features `(x/sx, y/sy, R/sr, G/sg, B/sb)` per pixel from interleaved RGB bytes (0..255, unscaled). */
export function bilateralFeatures(
  width: number,
  height: number,
  sx: number,
  sy: number,
  sr: number,
  sg: number,
  sb: number,
  rgb: Uint8Array | Uint8ClampedArray,
): Float32Array {
  for (const [name, v] of [
    ['sx', sx],
    ['sy', sy],
    ['sr', sr],
    ['sg', sg],
    ['sb', sb],
  ] as const) {
    checkPositive(name, v);
  }
  if (!(rgb instanceof Uint8Array || rgb instanceof Uint8ClampedArray)) {
    throw new DenseCrfError('image', 'expected interleaved RGB bytes (Uint8Array) or an RgbImage');
  }
  checkLength('image', rgb, width * height * 3, `${width}×${height}×3 RGB bytes`);
  const fx = f32(sx);
  const fy = f32(sy);
  const fr = f32(sr);
  const fg = f32(sg);
  const fb = f32(sb);
  const out = new Float32Array(width * height * 5);
  for (let y = 0, p = 0; y < height; y++) {
    const vy = y / fy;
    for (let x = 0; x < width; x++, p++) {
      const o = p * 5;
      out[o] = x / fx;
      out[o + 1] = vy;
      out[o + 2] = (rgb[3 * p] as number) / fr;
      out[o + 3] = (rgb[3 * p + 1] as number) / fg;
      out[o + 4] = (rgb[3 * p + 2] as number) / fb;
    }
  }
  return out;
}
