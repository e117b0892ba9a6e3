import type { Affinities } from './affinity.js';
import type { EdgeGroups } from './cluster.js';
import type { BoxIndex } from './integral.js';

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

const CUTOFF = f(0.05);

/**
 * Per-image tables of `scoreBox` shared by the JS scorer and the WebAssembly kernel (../score-kernel.ts).
 * - anchors: (x, y) interleaved, for locality;
 * - affI/affV: the affinity links over one buffer, neighbour at 2k, value (float32 bits) at 2k+1; per group j the
 *   slice [affStart[j], affStart[j+1]) (already ×2). Links with a < 0.05 are dropped: they can never pass the
 *   `ws·a < .05` cut (ws ≤ 1); the rest keep their order, which decides the list order;
 * - scaleNorm: (1/i)^κ for i = ⌊w/2⌋+⌊h/2⌋. The C++ uses a 10,000-entry table; it is sized to the image (pitfall 10).
 */
export interface ScoringTables {
  anchors: Int32Array;
  links: ArrayBuffer;
  affStart: Int32Array;
  scaleNorm: Float32Array;
}

export function scoringTables(W: number, H: number, g: EdgeGroups, aff: Affinities, kappa: number): ScoringTables {
  const anchors = new Int32Array(2 * g.count);
  for (let i = 0; i < g.count; i++) {
    anchors[2 * i] = g.anchorX[i]!;
    anchors[2 * i + 1] = g.anchorY[i]!;
  }
  const affStart = new Int32Array(g.count + 1);
  let kept = 0;
  for (let k = 0; k < aff.value.length; k++) if (!(aff.value[k]! < CUTOFF)) kept++;
  const links = new ArrayBuffer(8 * kept);
  const affI = new Int32Array(links);
  const affV = new Float32Array(links);
  let m = 0;
  for (let j = 0; j < g.count; j++) {
    for (let k = aff.start[j]!; k < aff.start[j + 1]!; k++) {
      if (aff.value[k]! < CUTOFF) continue;
      affI[2 * m] = aff.index[k]!;
      affV[2 * m + 1] = aff.value[k]!;
      m++;
    }
    affStart[j + 1] = 2 * m;
  }
  const len = ((W - 1) >> 1) + ((H - 1) >> 1) + 1;
  const scaleNorm = new Float32Array(len);
  const kap = f(kappa);
  for (let i = 0; i < len; i++) scaleNorm[i] = f(f(1 / i) ** kap);
  return { anchors, links, affStart, scaleNorm };
}

/**
 * Box scoring of pdollar/edges `scoreBox` (paper eqs. 2–4, in the code's units). One scorer per image; it keeps
 * the "done" markers with a running id, so nothing is reset per box. After `score()`, `x, y, w, h` hold the
 * clamped box in the code's convention (inclusive pixels x…x+w, y…y+h; 0-based).
 */
export class BoxScorer {
  x = 0;
  y = 0;
  w = 0;
  h = 0;
  private readonly sWts: Float32Array;
  /** Per group j: [2j] the id of the last box that listed it ("done"), [2j+1] its slot in the list. */
  private readonly sDoneMap: Int32Array;
  private readonly sIds: Int32Array;
  /** 1 where the listed group's anchor lies inside the current box (decided once, when it is listed). */
  private readonly sIn: Uint8Array;
  private readonly anchors: Int32Array;
  private readonly affI: Int32Array;
  private readonly affV: Float32Array;
  private readonly affStart: Int32Array;
  private sId = 0;
  private readonly scaleNorm: Float32Array;
  private readonly minScore: number;

  constructor(
    private readonly W: number,
    private readonly H: number,
    private readonly g: EdgeGroups,
    /** The affinities, or the tables already built from them (kappa is then unused). */
    aff: Affinities | ScoringTables,
    private readonly ix: BoxIndex,
    minScore: number,
    kappa: number,
  ) {
    const tables = 'links' in aff ? aff : scoringTables(W, H, g, aff, kappa);
    const n = g.count + 1;
    this.sWts = new Float32Array(n);
    this.sDoneMap = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) this.sDoneMap[2 * i] = -1;
    this.sIds = new Int32Array(n);
    this.sIn = new Uint8Array(n);
    this.anchors = tables.anchors;
    this.affStart = tables.affStart;
    this.affI = new Int32Array(tables.links);
    this.affV = new Float32Array(tables.links);
    this.scaleNorm = tables.scaleNorm;
    this.minScore = f(minScore);
  }

  /**
   * Scores box (x, y, w, h) in the code's convention; clamps it into the image first. Scores below minScore are 0.
   * With `floor` ≥ 0 (refinement, which only keeps a move whose score beats the current one), a score ≤ floor may
   * also come back as 0: the box is dropped as soon as an upper bound of its score proves it cannot win.
   */
  score(bx: number, by: number, bw: number, bh: number, floor = -1): number {
    const { W, H, g, ix, sWts, sDoneMap: dm, sIds, sIn, anchors, affI, affV } = this;
    const sId = this.sId++;
    const H1 = H + 1;
    const y1 = clamp(by + bh, 0, H - 1);
    const y0 = clamp(by, 0, H - 1);
    const x1 = clamp(bx + bw, 0, W - 1);
    const x0 = clamp(bx, 0, W - 1);
    this.x = x0;
    this.y = y0;
    this.h = y1 - y0;
    this.w = x1 - x0;
    const hh = (this.h / 2) | 0;
    const hw = (this.w / 2) | 0;
    const seg = ix.segIImg;
    let v = f(
      f(f(seg[x0 * H1 + y0]! + seg[(x1 + 1) * H1 + y1 + 1]!) - seg[(x1 + 1) * H1 + y0]!) - seg[x0 * H1 + y1 + 1]!,
    );
    // subtract the magnitude inside the central box (paper h_b^in, eq. 4: raw pixels, not groups)
    const y0m = y0 + ((hh / 2) | 0);
    const y1m = y0m + hh;
    const x0m = x0 + ((hw / 2) | 0);
    const x1m = x0m + hw;
    const mg = ix.magIImg;
    v = f(
      v -
        f(
          f(f(mg[x0m * H1 + y0m]! + mg[(x1m + 1) * H1 + y1m + 1]!) - mg[(x1m + 1) * H1 + y0m]!) -
            mg[x0m * H1 + y1m + 1]!,
        ),
    );
    const norm = this.scaleNorm[hw + hh]!;
    // degenerate 1×1 boxes (norm = ∞) score 0 instead of the C++ NaN
    if (hw + hh === 0) return 0;
    // the rest only subtracts, so this is an upper bound
    const ub = f(v * norm);
    if (ub < this.minScore || ub <= floor) return 0;

    // Upper bounds for the early exits: the final v subtracts f(w·m) for every slot inside, in slot order, and
    // rounded float32 subtraction is monotone (f(a − t) grows with a, shrinks with t, and never exceeds a), so
    // subtracting only some of those terms, or smaller ones, in the same order never gives less than the final v.
    // Listed groups with their anchor inside keep weight 1 (the maximum); propagated ones only gain weight later.
    const mag = g.mag;
    let vb = v;
    let n = 0;
    const { hRuns, hIdx, vRuns, vIdx } = ix;
    // the groups cut by the four sides, in the C++ order: top row, bottom row, left column, right column
    for (let side = 0; side < 4; side++) {
      let runs: Int32Array;
      let i: number;
      let e: number;
      if (side < 2) {
        const y = side === 0 ? y0 : y1;
        const row = y * (W + 1);
        const c = hIdx[x0 * H + y]!;
        runs = hRuns;
        i = row + (c >> 1) - (c & 1);
        e = row + (hIdx[x1 * H + y]! >> 1);
      } else {
        const x = side === 2 ? x0 : x1;
        const col = x * (H + 1);
        const c = vIdx[x * H + y0]!;
        runs = vRuns;
        i = col + (c >> 1) - (c & 1);
        e = col + (vIdx[x * H + y1]! >> 1);
      }
      for (; i < e; i++) {
        const j = runs[i]!;
        if (dm[2 * j] !== sId) {
          const jx = anchors[2 * j]!;
          const jy = anchors[2 * j + 1]!;
          if (jx >= x0 && jx <= x1 && jy >= y0 && jy <= y1) {
            sIn[n] = 1;
            vb = f(vb - mag[j]!);
          } else sIn[n] = 0;
          sIds[n] = j;
          sWts[n] = 1;
          dm[2 * j] = sId;
          dm[2 * j + 1] = n++;
        }
      }
    }

    const ub2 = f(vb * norm);
    if (ub2 < this.minScore || ub2 <= floor) return 0;

    // propagate along high-affinity paths (paper eq. 2); weight 1 = fully removed
    const start = this.affStart;
    for (let i = 0; i < n; i++) {
      const ws = sWts[i]!;
      const j = sIds[i]!;
      for (let k = start[j]!, ke = start[j + 1]!; k < ke; k += 2) {
        const q = affI[k]!;
        const wq = f(ws * affV[k + 1]!);
        if (wq < CUTOFF) continue;
        if (dm[2 * q] === sId) {
          const mq = dm[2 * q + 1]!;
          if (wq > sWts[mq]!) {
            sWts[mq] = wq;
            // restart from q's slot, as the C++ (`i = min(i, sMap[q]-1)`)
            if (mq - 1 < i) i = mq - 1;
          }
        } else {
          const qx = anchors[2 * q]!;
          const qy = anchors[2 * q + 1]!;
          if (qx >= x0 && qx <= x1 && qy >= y0 && qy <= y1) {
            sIn[n] = 1;
            sIds[n] = q;
            sWts[n] = wq;
            dm[2 * q] = sId;
            dm[2 * q + 1] = n++;
            // its weight only grows later, so subtracting it now keeps vb an upper bound (in list order, as below)
            vb = f(vb - f(wq * mag[q]!));
            const ub3 = f(vb * norm);
            if (ub3 < this.minScore || ub3 <= floor) return 0;
          }
        }
      }
    }
    // subtract the groups connected to the boundary (anchor inside the box), in list order
    for (let i = 0; i < n; i++) {
      if (sIn[i]) v = f(v - f(sWts[i]! * mag[sIds[i]!]!));
    }
    v = f(v * norm);
    return v < this.minScore ? 0 : v;
  }
}

function clamp(v: number, a: number, b: number): number {
  return v < a ? a : Math.min(v, b);
}
