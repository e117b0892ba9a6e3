// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

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
      const coso = f(Math.cos(o));
      const sino = f(Math.sin(o));
      const inside = yIn && x >= r && x <= width - 2 - r;
      for (let d = -r; d <= r; d++) {
        if (!d) continue;
        const sx = f(x + f(d * coso));
        const sy = f(y + f(d * sino));
        let e0: number;
        if (inside) {
          // interp() inlined, without its clamps
          const x0 = sx | 0;
          const y0 = sy | 0;
          const dx0 = f(sx - x0);
          const dy0 = f(sy - y0);
          const dx1 = f(1 - dx0);
          const dy1 = f(1 - dy0);
          const p = y0 * width + x0;
          const a = f(f(edge[p]! * dx1) * dy1);
          const b = f(f(edge[p + 1]! * dx0) * dy1);
          const c = f(f(edge[p + width]! * dx1) * dy0);
          const dd = f(f(edge[p + width + 1]! * dx0) * dy0);
          e0 = f(f(f(a + b) + c) + dd);
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
