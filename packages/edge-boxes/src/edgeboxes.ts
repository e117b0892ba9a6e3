import type { Box } from '@deconvnet/image';
import { groupAffinities } from './affinity.js';
import { clusterEdges } from './cluster.js';
import { cppSortDescending } from './cppsort.js';
import { assertEdgeMap, type EdgeMap } from './edgemap.js';
import { gridShapes, stepSizes } from './grid.js';
import { buildBoxIndex } from './integral.js';
import { boxesNms } from './nms.js';
import { type EdgeBoxesOptions, resolveParams } from './options.js';
import { type RawBox, refineBox } from './refine.js';
import { BoxScorer } from './score.js';

/** A proposal: a {@link Box} of @deconvnet/image (0-based continuous frame) with its Edge Boxes score. */
export type ScoredBox = Box & { score: number };

/**
 * A box as pdollar/edges `edgeBoxes` (MATLAB, [x y w h score]) and OpenCV (`Rect(x+1, y+1, w, h)`) report it:
 * 1-based x, y; `w = x1 − x0`, so the box covers w+1 × h+1 pixels, i.e. 1-based inclusive columns x … x+w.
 */
export interface PdollarBox {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** pdollar/OpenCV box → @deconvnet/image Box: 0-based x = X − 1, width = w + 1 (pixels covered). */
export function fromPdollarBox(b: PdollarBox): ScoredBox {
  return { x: b.x - 1, y: b.y - 1, width: b.w + 1, height: b.h + 1, score: b.score };
}

/** @deconvnet/image Box (integral) → pdollar/OpenCV convention; inverse of {@link fromPdollarBox}. */
export function toPdollarBox(b: Box): PdollarBox {
  return { x: b.x + 1, y: b.y + 1, w: b.width - 1, h: b.height - 1, score: b.score ?? 0 };
}

/** Transposes a row-major plane to the column-major layout the original scan order works in. */
function toColumnMajor(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) out[x * h + y] = src[o + x]!;
  }
  return out;
}

/** Edge Boxes in the code's own 0-based convention (x, y, inclusive w, h), sorted by score. */
export function edgeBoxesCore(edges: EdgeMap, opts: EdgeBoxesOptions = {}): RawBox[] {
  assertEdgeMap(edges, 'edgeBoxes edges');
  const p = resolveParams(opts);
  const { width: W, height: H } = edges;
  const E = toColumnMajor(edges.magnitude, W, H);
  const O = toColumnMajor(edges.orientation, W, H);
  const groups = clusterEdges(E, O, W, H, p);
  const aff = groupAffinities(groups, W, H, p.gamma);
  const index = buildBoxIndex(E, groups, W, H, p.edgeMinMag);
  const scorer = new BoxScorer(W, H, groups, aff, index, p.minScore, p.kappa);
  const { ratio } = stepSizes(p.alpha);

  // score every window of the grid; refine every window with a nonzero score (not only the top ones)
  const all: RawBox[] = [];
  const zero: RawBox = { x: 0, y: 0, w: 0, h: 0, score: 0 };
  let k = 0;
  for (const s of gridShapes(W, H, p)) {
    for (let x = 0; x < W - s.w + s.kx; x += s.kx) {
      for (let y = 0; y < H - s.h + s.ky; y += s.ky) {
        const score = scorer.score(x, y, s.w, s.h);
        if (!score) {
          all.push(zero); // kept in place: the zeros take part in the sort, which decides the order of ties
          continue;
        }
        const box: RawBox = { x: scorer.x, y: scorer.y, w: scorer.w, h: scorer.h, score };
        refineBox(box, scorer, ratio);
        all.push(box);
        k++;
      }
    }
  }
  cppSortDescending(all);
  const scored = all.slice(0, k);
  return boxesNms(scored, p.beta, p.eta, p.maxBoxes);
}

/**
 * Edge Boxes proposals (Zitnick & Dollár, ECCV 2014) exactly as pdollar/edges `edgeBoxesMex.cpp` computes them
 * (float32, x-outer scan order, anchor rule, refinement of every window, adaptive NMS), from any edge map with
 * edge-normal orientations. Returns @deconvnet/image Boxes (0-based continuous frame, width = pixels covered),
 * sorted by score, descending.
 */
export function edgeBoxes(edges: EdgeMap, opts: EdgeBoxesOptions = {}): ScoredBox[] {
  return edgeBoxesCore(edges, opts).map((b) => ({ x: b.x, y: b.y, width: b.w + 1, height: b.h + 1, score: b.score }));
}

/** Same as {@link edgeBoxes} in the MATLAB/OpenCV output convention (1-based, w = x1 − x0), for cross-checking. */
export function edgeBoxesPdollar(edges: EdgeMap, opts: EdgeBoxesOptions = {}): PdollarBox[] {
  return edgeBoxesCore(edges, opts).map((b) => ({ x: b.x + 1, y: b.y + 1, w: b.w, h: b.h, score: b.score }));
}
