import type { EdgeGroups } from './cluster.js';

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

/**
 * Lookup structures of pdollar/edges `prepDataStructs`, column-major with stride h+1 for the integral images.
 * - segIImg: integral of group magnitudes placed at each group's anchor (a group counts iff its anchor is inside).
 * - magIImg: integral of per-pixel E where E > edgeMinMag.
 *   Both only accumulate x ≥ 1, y ≥ 1 and use float32 sums.
 * - hRuns/hIdx: per row y, the run-length list of ids (starting with 0) at `hRuns[y*(w+1) + k]`, and for each pixel
 *   the index k of its run; vRuns/vIdx the same per column. They list the groups crossing a box side in O(#runs).
 */
export interface BoxIndex {
  segIImg: Float32Array;
  magIImg: Float32Array;
  hRuns: Int32Array;
  hIdx: Uint16Array | Int32Array;
  vRuns: Int32Array;
  vIdx: Uint16Array | Int32Array;
}

export function buildBoxIndex(E: Float32Array, g: EdgeGroups, w: number, h: number, edgeMinMag: number): BoxIndex {
  const minMag = f(edgeMinMag);
  const E1 = new Float32Array(w * h);
  for (let i = 0; i < g.count; i++) if (g.mag[i]! > 0) E1[g.anchorX[i]! * h + g.anchorY[i]!] = g.mag[i]!;
  const H1 = h + 1;
  const segIImg = new Float32Array((w + 1) * H1);
  const magIImg = new Float32Array((w + 1) * H1);
  for (let x = 1; x < w; x++) {
    const c0 = x * H1;
    const c1 = (x + 1) * H1;
    for (let y = 1; y < h; y++) {
      segIImg[c1 + y + 1] = f(f(f(E1[x * h + y]! + segIImg[c0 + y + 1]!) + segIImg[c1 + y]!) - segIImg[c0 + y]!);
      const ev = E[x * h + y]!;
      const e = ev > minMag ? ev : 0;
      magIImg[c1 + y + 1] = f(f(f(e + magIImg[c0 + y + 1]!) + magIImg[c1 + y]!) - magIImg[c0 + y]!);
    }
  }
  const ids = g.ids;
  const hRuns = new Int32Array(h * (w + 1));
  // run indices fit 16 bits for any side < 65535: half the memory traffic in scoreBox
  const small = w < 65535 && h < 65535;
  const hIdx = small ? new Uint16Array(w * h) : new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    const base = y * (w + 1);
    let len = 1; // hRuns[base] = 0
    let s = 0;
    for (let x = 0; x < w; x++) {
      const s1 = ids[x * h + y]!;
      if (s1 !== s) {
        s = s1;
        hRuns[base + len++] = s;
      }
      hIdx[x * h + y] = len - 1;
    }
  }
  const vRuns = new Int32Array(w * (h + 1));
  const vIdx = small ? new Uint16Array(w * h) : new Int32Array(w * h);
  for (let x = 0; x < w; x++) {
    const base = x * (h + 1);
    let len = 1;
    let s = 0;
    for (let y = 0; y < h; y++) {
      const s1 = ids[x * h + y]!;
      if (s1 !== s) {
        s = s1;
        vRuns[base + len++] = s;
      }
      vIdx[x * h + y] = len - 1;
    }
  }
  return { segIImg, magIImg, hRuns, hIdx, vRuns, vIdx };
}
