import { ImageError } from '@deconvnet/image';

/** MATLAB 'symmetric' padding (edge pixel repeated: … b a | a b c … ), folded as often as needed. */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/**
 * Triangle filter of integer radius r (pdollar/toolbox `convTri`): the separable kernel
 * [1 … r, r+1, r … 1] / (r+1)², applied along x then y, with symmetric padding. r = 0 returns a copy.
 * `src` is one row-major plane of `width × height` values.
 */
export function convTri(src: Float32Array, width: number, height: number, r: number): Float32Array {
  if (!Number.isInteger(r) || r < 0) throw new ImageError('convTri', `radius must be an integer ≥ 0, got ${r}`);
  if (src.length !== width * height) {
    throw new ImageError('convTri', `plane has ${src.length} values, expected ${width}×${height}`);
  }
  if (r === 0) return Float32Array.from(src);
  // The triangle is two box filters of width r+1 in a row: with running sums each pass costs O(1) per pixel.
  const norm = 1 / (r + 1) ** 4; // (r+1)² per 1-D pass
  const tmp = new Float64Array(width * height);
  const out = new Float32Array(width * height);
  const padW = width + 2 * r;
  const line = new Float64Array(padW);
  const box = new Float64Array(width + r);
  const xIdx = Int32Array.from({ length: padW }, (_, i) => reflect(i - r, width));
  for (let y = 0; y < height; y++) {
    const o = y * width;
    line.set(src.subarray(o, o + width), r);
    for (let i = 0; i < r; i++) {
      line[i] = src[o + xIdx[i]!]!;
      line[padW - 1 - i] = src[o + xIdx[padW - 1 - i]!]!;
    }
    let s = 0;
    for (let t = 0; t <= r; t++) s += line[t]!;
    box[0] = s;
    for (let i = 1; i < width + r; i++) {
      s += line[i + r]! - line[i - 1]!;
      box[i] = s;
    }
    s = 0;
    for (let t = 0; t <= r; t++) s += box[t]!;
    tmp[o] = s;
    for (let x = 1; x < width; x++) {
      s += box[x + r]! - box[x - 1]!;
      tmp[o + x] = s;
    }
  }
  // along y, the same two running sums over whole rows; the first sum's rows live in a ring of r+2 (only rows
  // y−1 … y+r are ever read), computed in the same order with the same additions as a full array
  const yIdx = Int32Array.from({ length: height + 2 * r }, (_, i) => reflect(i - r, height));
  const ringN = r + 2;
  const ring = new Float64Array(ringN * width);
  for (let t = 0; t <= r; t++) {
    const o = yIdx[t]! * width;
    for (let x = 0; x < width; x++) ring[x] = ring[x]! + tmp[o + x]!;
  }
  // rows[i] = rows[i−1] + tmp[yIdx[i+r]] − tmp[yIdx[i−1]], into ring slot i mod (r+2)
  const rowAt = (i: number): void => {
    const add = yIdx[i + r]! * width;
    const sub = yIdx[i - 1]! * width;
    const cur = (i % ringN) * width;
    const prev = ((i - 1) % ringN) * width;
    for (let x = 0; x < width; x++) ring[cur + x] = ring[prev + x]! + tmp[add + x]! - tmp[sub + x]!;
  };
  const acc = new Float64Array(width);
  for (let t = 0; t <= r; t++) {
    if (t > 0) rowAt(t);
    const o = t * width;
    for (let x = 0; x < width; x++) acc[x] = acc[x]! + ring[o + x]!;
  }
  for (let x = 0; x < width; x++) out[x] = acc[x]! * norm;
  for (let y = 1; y < height; y++) {
    rowAt(y + r);
    const add = ((y + r) % ringN) * width;
    const sub = ((y - 1) % ringN) * width;
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const v = acc[x]! + ring[add + x]! - ring[sub + x]!;
      acc[x] = v;
      out[o + x] = v * norm;
    }
  }
  return out;
}
