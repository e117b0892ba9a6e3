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
  const oxx = gradient2(ox, width, height).gx;
  const { gx: oxy, gy: oyy } = gradient2(oy, width, height);
  const n = width * height;
  const out = new Float32Array(n);
  const eps = f(1e-5);
  for (let i = 0; i < n; i++) {
    const sxy = oxy[i]!;
    const sign = sxy > 0 ? -1 : sxy < 0 ? 1 : 0; // sign(−Oxy)
    const t = f(f(oyy[i]! * sign) / f(oxx[i]! + eps));
    let o = Math.atan(t);
    if (o < 0) o += Math.PI;
    const of = f(o);
    // float rounding can land on π itself, which is ≡ 0 (mod π)
    out[i] = of >= Math.PI ? 0 : of + 0; // + 0 turns atan(−0) into +0, as mod(−0, π) = 0
  }
  return out;
}
