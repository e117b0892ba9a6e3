import type { EdgeGroups } from './cluster.js';

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;
/** π as the C++ spells it (`3.14159265f`, `(float)CV_PI`): the float nearest π. */
const PI_F = Math.fround(Math.PI);

/** Group adjacency in CSR form; per group, neighbours in the order the C++ pushes them (it matters for scoring). */
export interface Affinities {
  start: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

/**
 * Affinities between groups that come within a 5×5 window of each other (pdollar/edges, paper eq. 1):
 * a(i,j) = |cos(θi − θij)·cos(θj − θij)|^γ with θij = atan2(ȳi − ȳj, x̄i − x̄j) + π/2 (θ are normal angles).
 * Symmetric; each unordered pair appears once per side.
 */
export function groupAffinities(g: EdgeGroups, w: number, h: number, gamma: number): Affinities {
  const rad = 2;
  const n = g.count;
  const idx: number[][] = Array.from({ length: n }, () => []);
  const val: number[][] = Array.from({ length: n }, () => []);
  const { ids, meanX, meanY, meanO } = g;
  const gam = f(gamma);
  const halfPi = f(PI_F / 2);
  for (let x = rad; x < w - rad; x++) {
    for (let y = rad; y < h - rad; y++) {
      const s0 = ids[x * h + y]!;
      if (s0 <= 0) continue;
      const list0 = idx[s0]!;
      for (let xd = -rad; xd <= rad; xd++) {
        const col = (x + xd) * h + y;
        for (let yd = -rad; yd <= rad; yd++) {
          const s1 = ids[col + yd]!;
          if (s1 <= s0 || list0.includes(s1)) continue;
          const o = f(f(Math.atan2(f(meanY[s0]! - meanY[s1]!), f(meanX[s0]! - meanX[s1]!))) + halfPi);
          const c0 = f(Math.cos(f(meanO[s0]! - o)));
          const c1 = f(Math.cos(f(meanO[s1]! - o)));
          const a = f(f(Math.abs(f(c0 * c1))) ** gam);
          list0.push(s1);
          val[s0]!.push(a);
          idx[s1]!.push(s0);
          val[s1]!.push(a);
        }
      }
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + idx[i]!.length;
  const index = new Int32Array(start[n]!);
  const value = new Float32Array(start[n]!);
  for (let i = 0; i < n; i++) {
    index.set(idx[i]!, start[i]!);
    value.set(val[i]!, start[i]!);
  }
  return { start, index, value };
}
