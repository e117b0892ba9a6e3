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
  const out = new Float32Array(width * height);
  convTriPlaneInto(src, width, height, r, out);
  return out;
}

/** {@link convTri} into `out` (no checks); `scratch` (≥ width·height, any contents) spares the float64 plane. */
export function convTriPlaneInto(
  src: Float32Array,
  width: number,
  height: number,
  r: number,
  out: Float32Array,
  scratch?: Float64Array,
): void {
  if (r === 0) {
    out.set(src);
    return;
  }
  // The triangle is two box filters of width r+1 in a row: with running sums each pass costs O(1) per pixel.
  const norm = 1 / (r + 1) ** 4; // (r+1)² per 1-D pass
  // every value of tmp is written before it is read: a caller's scratch needs no zeroing
  const tmp = scratch && scratch.length >= width * height ? scratch : new Float64Array(width * height);
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
    boxBoxRow(line, box, tmp, o, width, r, 1);
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
  const rowAt = (i: number): void =>
    ringRow(
      ring,
      tmp,
      (i % ringN) * width,
      ((i - 1) % ringN) * width,
      yIdx[i + r]! * width,
      yIdx[i - 1]! * width,
      width,
    );
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
    verticalOut(acc, ring, add, sub, out, y * width, norm, width);
  }
}

/**
 * One row of the horizontal pass: box sums of the padded `line` into `box`, box sums of those into
 * tmp[o + x·stride].
 */
function boxBoxRow(
  line: Float64Array,
  box: Float64Array,
  tmp: Float64Array,
  o: number,
  width: number,
  r: number,
  stride: number,
) {
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
    tmp[o + x * stride] = s;
  }
}

function ringRow(
  ring: Float64Array,
  tmp: Float64Array,
  cur: number,
  prev: number,
  add: number,
  sub: number,
  width: number,
): void {
  for (let x = 0; x < width; x++) ring[cur + x] = ring[prev + x]! + tmp[add + x]! - tmp[sub + x]!;
}

function verticalOut(
  acc: Float64Array,
  ring: Float64Array,
  add: number,
  sub: number,
  out: Float32Array,
  o: number,
  norm: number,
  width: number,
): void {
  for (let x = 0; x < width; x++) {
    const v = acc[x]! + ring[add + x]! - ring[sub + x]!;
    acc[x] = v;
    out[o + x] = v * norm;
  }
}

/**
 * {@link convTri} of `channels` interleaved planes at once (e.g. an RGB image's bytes), into `out`. Each channel
 * goes through exactly the additions convTri makes on its own plane, so the results are the same bits.
 */
export function convTriInto(
  src: Float32Array | Uint8Array,
  width: number,
  height: number,
  channels: number,
  r: number,
  out: Float32Array,
): void {
  const ch = channels;
  if (r === 0) {
    out.set(src);
    return;
  }
  // The triangle is two box filters of width r+1 in a row: with running sums each pass costs O(1) per pixel.
  const norm = 1 / (r + 1) ** 4; // (r+1)² per 1-D pass
  const rowLen = width * ch;
  const tmp = new Float64Array(rowLen * height);
  const padW = width + 2 * r;
  const line = new Float64Array(padW);
  const box = new Float64Array(width + r);
  const xIdx = Int32Array.from({ length: padW }, (_, i) => reflect(i - r, width) * ch);
  for (let y = 0; y < height; y++) {
    const o = y * rowLen;
    for (let c = 0; c < ch; c++) {
      const oc = o + c;
      for (let i = 0; i < padW; i++) line[i] = src[oc + xIdx[i]!]!;
      boxBoxRow(line, box, tmp, oc, width, r, ch);
    }
  }
  // along y, the same two running sums over whole rows (element-wise, so the channels need no care); the first
  // sum's rows live in a ring of r+2 (only rows y−1 … y+r are ever read), computed in the same order with the
  // same additions as a full array
  const yIdx = Int32Array.from({ length: height + 2 * r }, (_, i) => reflect(i - r, height));
  const ringN = r + 2;
  const ring = new Float64Array(ringN * rowLen);
  for (let t = 0; t <= r; t++) {
    const o = yIdx[t]! * rowLen;
    for (let x = 0; x < rowLen; x++) ring[x] = ring[x]! + tmp[o + x]!;
  }
  // rows[i] = rows[i−1] + tmp[yIdx[i+r]] − tmp[yIdx[i−1]], into ring slot i mod (r+2)
  const rowAt = (i: number): void => {
    const add = yIdx[i + r]! * rowLen;
    const sub = yIdx[i - 1]! * rowLen;
    const cur = (i % ringN) * rowLen;
    const prev = ((i - 1) % ringN) * rowLen;
    for (let x = 0; x < rowLen; x++) ring[cur + x] = ring[prev + x]! + tmp[add + x]! - tmp[sub + x]!;
  };
  const acc = new Float64Array(rowLen);
  for (let t = 0; t <= r; t++) {
    if (t > 0) rowAt(t);
    const o = t * rowLen;
    for (let x = 0; x < rowLen; x++) acc[x] = acc[x]! + ring[o + x]!;
  }
  for (let x = 0; x < rowLen; x++) out[x] = acc[x]! * norm;
  for (let y = 1; y < height; y++) {
    rowAt(y + r);
    const add = ((y + r) % ringN) * rowLen;
    const sub = ((y - 1) % ringN) * rowLen;
    const o = y * rowLen;
    for (let x = 0; x < rowLen; x++) {
      const v = acc[x]! + ring[add + x]! - ring[sub + x]!;
      acc[x] = v;
      out[o + x] = v * norm;
    }
  }
}

/**
 * {@link convTri} of the three channels of RGB bytes at once, into `out` (interleaved). On integer inputs every
 * partial sum of convTri is an integer below 2⁵³, so float64 computes them exactly in any order: this sums in int32
 * (vertical pass first, straight from the bytes, one row at a time) and gives the same integers, hence the same
 * bits after the final scaling. Falls back to {@link convTriInto} for r > 16 (int32 would overflow).
 */
export function convTriBytesInto(data: Uint8Array, width: number, height: number, r: number, out: Float32Array): void {
  if (r === 0 || r > 16) {
    convTriInto(data, width, height, 3, r, out);
    return;
  }
  const norm = 1 / (r + 1) ** 4;
  const rowLen = 3 * width;
  // padded row j ∈ [−r−1, height+r] is source row yIdx[j + r + 1]
  const yIdx = Int32Array.from({ length: height + 2 * r + 2 }, (_, i) => reflect(i - r - 1, height) * rowLen);
  const tri = new Int32Array(rowLen); // Σ_{d=−r..r} (r+1−|d|)·I[y+d]
  const fwd = new Int32Array(rowLen); // Σ_{j=y..y+r} I[j]
  const bwd = new Int32Array(rowLen); // Σ_{j=y−r−1..y−1} I[j]
  for (let j = -r - 1; j <= r; j++) {
    const o = yIdx[j + r + 1]!;
    const wt = j < 0 ? r + 1 + j : r + 1 - j; // j = −r−1 has weight 0
    for (let x = 0; x < rowLen; x++) {
      const v = data[o + x]!;
      if (j >= 0) fwd[x] = fwd[x]! + v;
      else bwd[x] = bwd[x]! + v;
      tri[x] = tri[x]! + wt * v;
    }
  }
  const padN = width + 2 * r + 2;
  const line = new Int32Array(3 * padN);
  const xIdx = Int32Array.from({ length: padN }, (_, i) => reflect(i - r - 1, width) * 3);
  const off = r + 1; // y ↦ padded row index
  for (let y = 0; y < height; y++) {
    // tri_y = tri_{y−1} + fwd_y − bwd_y: row y+r enters fwd, row y−1 moves from fwd to bwd, row y−r−2 leaves
    if (y > 0)
      verticalStep(data, tri, fwd, bwd, yIdx[y + r + off]!, yIdx[y - 1 + off]!, yIdx[y - r - 2 + off]!, rowLen);
    line.set(tri, 3 * off);
    for (let i = 0; i < padN; i++) {
      if (i === off) i = off + width; // the row itself is copied above; only the reflected ends remain
      const s = xIdx[i]!;
      line[3 * i] = tri[s]!;
      line[3 * i + 1] = tri[s + 1]!;
      line[3 * i + 2] = tri[s + 2]!;
    }
    for (let c = 0; c < 3; c++) horizontalTri(line, c, r, width, norm, out, y * rowLen);
  }
}

function verticalStep(
  data: Uint8Array,
  tri: Int32Array,
  fwd: Int32Array,
  bwd: Int32Array,
  inA: number,
  outA: number,
  outB: number,
  n: number,
): void {
  for (let x = 0; x < n; x++) {
    const leaving = data[outA + x]!;
    const f1 = fwd[x]! + data[inA + x]! - leaving;
    const b1 = bwd[x]! + leaving - data[outB + x]!;
    fwd[x] = f1;
    bwd[x] = b1;
    tri[x] = tri[x]! + f1 - b1;
  }
}

/** Triangle along x of channel c of a reflected, 3-interleaved row (x = 0 at index r + 1), scaled into `out`. */
function horizontalTri(
  line: Int32Array,
  c: number,
  r: number,
  width: number,
  norm: number,
  out: Float32Array,
  o: number,
): void {
  let t = 0;
  let fw = 0;
  let bw = 0;
  const off = r + 1;
  for (let d = -r - 1; d <= r; d++) {
    const v = line[3 * (off + d) + c]!;
    if (d >= 0) fw += v;
    else bw += v;
    t += (d < 0 ? r + 1 + d : r + 1 - d) * v;
  }
  out[o + c] = t * norm;
  let pIn = 3 * (off + 1 + r) + c; // x + r
  let pMid = 3 * off + c; // x − 1
  let pOut = c; // x − r − 2
  for (let x = 1; x < width; x++) {
    const leaving = line[pMid]!;
    fw += line[pIn]! - leaving;
    bw += leaving - line[pOut]!;
    t += fw - bw;
    out[o + 3 * x + c] = t * norm;
    pIn += 3;
    pMid += 3;
    pOut += 3;
  }
}
