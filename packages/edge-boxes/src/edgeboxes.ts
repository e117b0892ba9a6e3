import type { Box } from '@deconvnet/image';
import { groupAffinities } from './affinity.js';
import { clusterEdges } from './cluster.js';
import { cppSortDescendingOrder } from './cppsort.js';
import { assertEdgeMap, type EdgeMap } from './edgemap.js';
import { gridShapes, positions, stepSizes } from './grid.js';
import { buildBoxIndex } from './integral.js';
import { boxesNms } from './nms.js';
import { type EdgeBoxesOptions, resolveParams } from './options.js';
import type { RawBox } from './refine.js';
import { scoringTables } from './score.js';
import { createScoreKernel } from './score-kernel.js';
import { scoreWindowsIn, scoreWindowsJs } from './windows.js';

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

/** Transposes a row-major plane to the column-major layout the original scan order works in (32×32 tiles). */
function toColumnMajor(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const T = 32;
  for (let y0 = 0; y0 < h; y0 += T) {
    const y1 = Math.min(h, y0 + T);
    for (let x0 = 0; x0 < w; x0 += T) {
      const x1 = Math.min(w, x0 + T);
      for (let y = y0; y < y1; y++) {
        const o = y * w;
        for (let x = x0; x < x1; x++) out[x * h + y] = src[o + x]!;
      }
    }
  }
  return out;
}

/** Edge Boxes in the code's own 0-based convention (x, y, inclusive w, h), sorted by score. */
export function edgeBoxesCore(edges: EdgeMap, opts: EdgeBoxesOptions = {}): RawBox[] {
  return edgeBoxesWith(edges, opts, 'auto');
}

/** {@link edgeBoxesCore} with the window scorer chosen: the WebAssembly kernel where it runs, or always JS. */
export function edgeBoxesWith(edges: EdgeMap, opts: EdgeBoxesOptions, kernel: 'auto' | 'js'): RawBox[] {
  assertEdgeMap(edges, 'edgeBoxes edges');
  const p = resolveParams(opts);
  const { width: W, height: H } = edges;
  const E = toColumnMajor(edges.magnitude, W, H);
  const O = toColumnMajor(edges.orientation, W, H);
  const groups = clusterEdges(E, O, W, H, p);
  const aff = groupAffinities(groups, W, H, p.gamma);
  const tables = scoringTables(W, H, groups, aff, p.kappa);
  const shapes = gridShapes(W, H, p);
  let count = 0;
  for (const s of shapes) count += positions(W - s.w + s.kx, s.kx) * positions(H - s.h + s.ky, s.ky);
  // the WebAssembly kernel, where it runs, receives the box index straight into its memory
  const wasm = kernel === 'auto' ? createScoreKernel(W, H, groups.count, tables, shapes.length, count) : null;
  const index = buildBoxIndex(E, groups, W, H, p.edgeMinMag, wasm?.index);
  const inp = {
    W,
    H,
    groups,
    index,
    tables,
    minScore: p.minScore,
    kappa: p.kappa,
    shapes,
    ratio: stepSizes(p.alpha).ratio,
  };
  // score every window of the grid; refine every window with a nonzero score (not only the top ones)
  const win = wasm ? scoreWindowsIn(wasm, inp, count) : scoreWindowsJs(inp, count);
  // the zero windows take part in the sort, which decides the order of ties; then only the scored ones go on
  const order = cppSortDescendingOrder(win.score, 5, 4);
  const scored: RawBox[] = new Array(win.nonzero);
  for (let i = 0; i < win.nonzero; i++) {
    const o = 5 * order[i]!;
    scored[i] = {
      x: win.box[o]!,
      y: win.box[o + 1]!,
      w: win.box[o + 2]!,
      h: win.box[o + 3]!,
      score: win.score[o + 4]!,
    };
  }
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
