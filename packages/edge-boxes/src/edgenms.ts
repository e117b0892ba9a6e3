import { sinCosF32 } from './trig32.js';

// Local aliases: bundlers' and test runners' live bindings would turn every call into a property load (a getter
// call per pixel under vitest).
const f = Math.fround;
const sinCos = sinCosF32;

/** Bilinear sample with the clamping of pdollar/edges `edgesNmsMex.cpp` (`interp`). Row-major plane. */
function interp(img: Float32Array, w: number, h: number, x: number, y: number): number {
  x = x < 0 ? 0 : x > w - 1.001 ? f(w - 1.001) : x;
  y = y < 0 ? 0 : y > h - 1.001 ? f(h - 1.001) : y;
  const x0 = x | 0;
  const y0 = y | 0;
  const x1 = x0 + 1;
  const y1 = y0 + 1;
  const dx0 = f(x - x0);
  const dy0 = f(y - y0);
  const dx1 = f(1 - dx0);
  const dy1 = f(1 - dy0);
  const a = f(f(img[y0 * w + x0]! * dx1) * dy1);
  const b = f(f(img[y0 * w + x1]! * dx0) * dy1);
  const c = f(f(img[y1 * w + x0]! * dx1) * dy0);
  const d = f(f(img[y1 * w + x1]! * dx0) * dy0);
  return f(f(f(a + b) + c) + d);
}

export interface EdgeNmsOptions {
  /** Radius along the normal: samples at d = ±1 … ±radius. Edge Boxes uses 2. */
  radius?: number;
  /** Width of the border band whose edges are linearly attenuated (0 = none, as Edge Boxes uses). */
  border?: number;
  /** Multiplier for conservative suppression: a pixel survives if m·E ≥ every sample. */
  multiplier?: number;
}

/**
 * Edge non-maximum suppression along the edge normal (pdollar/edges `edgesNmsMex`, defaults r=2, s=0, m=1 as
 * `edgeBoxes.m` calls it). Row-major planes; returns a new thinned map.
 */
export function edgeNms(
  edge: Float32Array,
  orientation: Float32Array,
  width: number,
  height: number,
  opts: EdgeNmsOptions = {},
): Float32Array {
  const r = opts.radius ?? 2;
  let s = opts.border ?? 0;
  const m = f(opts.multiplier ?? 1);
  const out = new Float32Array(edge.length);
  const cs = new Float64Array(2);
  for (let y = 0; y < height; y++) {
    // rows and columns whose samples (within ±r) can never need interp's clamping
    const yIn = y >= r && y <= height - 2 - r;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      let e = edge[i]!;
      out[i] = e;
      if (!e) continue;
      e = f(e * m);
      const o = orientation[i]!;
      sinCos(o, cs);
      const coso = cs[0]!;
      const sino = cs[1]!;
      const inside = yIn && x >= r && x <= width - 2 - r;
      // the pixel is zeroed if any sample exceeds it, so the order is free: nearest samples first, which
      // suppress most pixels of a thick ridge at once
      for (let k = 1; k <= 2 * r; k++) {
        const d = k & 1 ? -((k + 1) >> 1) : k >> 1;
        const sx = f(x + f(d * coso));
        const sy = f(y + f(d * sino));
        let e0: number;
        if (inside) {
          // interp() inlined, without its clamps. The sample is a sum of non-negative float32 products, each
          // rounded at most twice and summed with three roundings: within 2⁻²⁰ (relative) of the unrounded sum,
          // which decides the comparison unless e lies that close (or the values are subnormal, infinite, NaN):
          // only then the float32 steps are replayed
          const x0 = sx | 0;
          const y0 = sy | 0;
          const dx0 = sx - x0; // exact, and a float32 (sx is a float32 in [x0, x0 + 1))
          const dy0 = sy - y0;
          const dx1 = f(1 - dx0);
          const dy1 = f(1 - dy0);
          const p = y0 * width + x0;
          const v00 = edge[p]!;
          const v01 = edge[p + 1]!;
          const v10 = edge[p + width]!;
          const v11 = edge[p + width + 1]!;
          const approx = (v00 * dx1 + v01 * dx0) * dy1 + (v10 * dx1 + v11 * dx0) * dy0;
          const sure = approx > 1e-30 && approx < 1e30;
          if (sure && e < approx * (1 - 2 ** -20)) e0 = Number.POSITIVE_INFINITY;
          else if (sure && e > approx * (1 + 2 ** -20)) e0 = 0;
          else {
            const a = f(f(v00 * dx1) * dy1);
            const b = f(f(v01 * dx0) * dy1);
            const c = f(f(v10 * dx1) * dy0);
            const dd = f(f(v11 * dx0) * dy0);
            e0 = f(f(f(a + b) + c) + dd);
          }
        } else e0 = interp(edge, width, height, sx, sy);
        if (e < e0) {
          out[i] = 0;
          break;
        }
      }
    }
  }
  // attenuate noisy estimates near the image border (unused by Edge Boxes: s = 0)
  s = Math.min(s, width >> 1, height >> 1);
  for (let x = 0; x < s; x++) {
    const wgt = f(x / s);
    for (let y = 0; y < height; y++) {
      out[y * width + x] = f(out[y * width + x]! * wgt);
      out[y * width + width - 1 - x] = f(out[y * width + width - 1 - x]! * wgt);
    }
  }
  for (let y = 0; y < s; y++) {
    const wgt = f(y / s);
    for (let x = 0; x < width; x++) {
      out[y * width + x] = f(out[y * width + x]! * wgt);
      out[(height - 1 - y) * width + x] = f(out[(height - 1 - y) * width + x]! * wgt);
    }
  }
  return out;
}
