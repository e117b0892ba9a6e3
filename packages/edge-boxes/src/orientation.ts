import { ImageError } from '@deconvnet/image';
import { convTriPlaneInto } from './convtri.js';
import { gradient2, gradient2Into } from './gradient.js';

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

/**
 * Edge normal orientation from second derivatives of the triangle-smoothed (un-thinned) edge map, as in
 * pdollar/edges `edgesDetect.m`: O = mod(atan(Oyy·sign(−Oxy) / (Oxx + 1e−5)), π). Result in [0, π), y down.
 * Note the quirk kept from the original: where Oxy is exactly 0, sign(0) = 0 and O = 0.
 */
export function edgeOrientation(edge: Float32Array, width: number, height: number, radius = 4): Float32Array {
  if (width < 2 || height < 2) gradient2(edge, width, height); // throws its size error
  if (!Number.isInteger(radius) || radius < 0) {
    throw new ImageError('edgeOrientation', `radius must be an integer ≥ 0, got ${radius}`);
  }
  if (edge.length !== width * height) {
    throw new ImageError('edgeOrientation', `edge map has ${edge.length} values, expected ${width}×${height}`);
  }
  const n = width * height;
  const out = new Float32Array(n);
  edgeOrientationInto(edge, width, height, radius, out, new Float32Array(3 * n));
  return out;
}

/** {@link edgeOrientation} into `out`, with `scratch` of at least 3·width·height floats (no checks). */
export function edgeOrientationInto(
  edge: Float32Array,
  width: number,
  height: number,
  radius: number,
  out: Float32Array,
  scratch: Float32Array,
): void {
  const n = width * height;
  const s = scratch.subarray(0, n);
  const ox = scratch.subarray(n, 2 * n);
  const oy = scratch.subarray(2 * n, 3 * n);
  // convTri's float64 row sums can live in the bytes of ox, oy, which are written only after it (8 bytes a pixel)
  const at = ox.byteOffset;
  const tmp = at % 8 === 0 ? new Float64Array(ox.buffer, at, n) : undefined;
  convTriPlaneInto(edge, width, height, radius, s, tmp);
  gradient2Into(s, width, height, ox, oy);
  // Oxx = ∂x Ox, Oxy = ∂x Oy, Oyy = ∂y Oy with gradient2's stencils, rounded to float32 as its arrays would be
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const up = y === 0 ? 0 : -width;
    const down = y === height - 1 ? 0 : width;
    const half = y === 0 || y === height - 1 ? 1 : 0.5;
    out[o] = orientAt(ox, oy, o, o, o + 1, 1, up, down, half);
    for (let i = o + 1; i < o + width - 1; i++) out[i] = orientAt(ox, oy, i, i - 1, i + 1, 0.5, up, down, half);
    const last = o + width - 1;
    out[last] = orientAt(ox, oy, last, last - 1, last, 1, up, down, half);
  }
}

function orientAt(
  ox: Float32Array,
  oy: Float32Array,
  i: number,
  l: number,
  r: number,
  hx: number,
  up: number,
  down: number,
  half: number,
): number {
  const oxx = f((ox[r]! - ox[l]!) * hx);
  const oxy = f((oy[r]! - oy[l]!) * hx);
  const oyy = f((oy[i + down]! - oy[i + up]!) * half);
  const sign = oxy > 0 ? -1 : oxy < 0 ? 1 : 0; // sign(−Oxy)
  const t = f(f(oyy * sign) / f(oxx + EPS));
  let a = Math.atan(t);
  if (a < 0) a += Math.PI;
  const of = f(a);
  // float rounding can land on π itself, which is ≡ 0 (mod π)
  return of >= Math.PI ? 0 : of + 0; // + 0 turns atan(−0) into +0, as mod(−0, π) = 0
}

const EPS = f(1e-5);
