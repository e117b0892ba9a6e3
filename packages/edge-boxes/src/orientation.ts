import { convTri } from './convtri.js';
import { gradient2 } from './gradient.js';

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

/**
 * Edge normal orientation from second derivatives of the triangle-smoothed (un-thinned) edge map, as in
 * pdollar/edges `edgesDetect.m`: O = mod(atan(Oyy·sign(−Oxy) / (Oxx + 1e−5)), π). Result in [0, π), y down.
 * Note the quirk kept from the original: where Oxy is exactly 0, sign(0) = 0 and O = 0.
 */
export function edgeOrientation(edge: Float32Array, width: number, height: number, radius = 4): Float32Array {
  const s = convTri(edge, width, height, radius);
  const { gx: ox, gy: oy } = gradient2(s, width, height);
  const n = width * height;
  const out = new Float32Array(n);
  const eps = f(1e-5);
  // Oxx = ∂x Ox, Oxy = ∂x Oy, Oyy = ∂y Oy with gradient2's stencils, rounded to float32 as its arrays would be
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const up = y === 0 ? o : o - width;
    const down = y === height - 1 ? o : o + width;
    const half = y === 0 || y === height - 1 ? 1 : 0.5;
    for (let x = 0; x < width; x++) {
      const i = o + x;
      const l = x === 0 ? i : i - 1;
      const r = x === width - 1 ? i : i + 1;
      const hx = x === 0 || x === width - 1 ? 1 : 0.5;
      const oxx = f((ox[r]! - ox[l]!) * hx);
      const oxy = f((oy[r]! - oy[l]!) * hx);
      const oyy = f((oy[down + x]! - oy[up + x]!) * half);
      const sign = oxy > 0 ? -1 : oxy < 0 ? 1 : 0; // sign(−Oxy)
      const t = f(f(oyy * sign) / f(oxx + eps));
      let a = Math.atan(t);
      if (a < 0) a += Math.PI;
      const of = f(a);
      // float rounding can land on π itself, which is ≡ 0 (mod π)
      out[i] = of >= Math.PI ? 0 : of + 0; // + 0 turns atan(−0) into +0, as mod(−0, π) = 0
    }
  }
  return out;
}
