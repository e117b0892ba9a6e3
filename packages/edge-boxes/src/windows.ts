import type { EdgeGroups } from './cluster.js';
import type { GridShape } from './grid.js';
import type { BoxIndex } from './integral.js';
import { type RawBox, refineBox } from './refine.js';
import { BoxScorer, type ScoringTables } from './score.js';
import { type KernelInput, type ScoreKernel, scoreWindowsWasm, WINDOW_RECORD_BYTES } from './score-kernel.js';

/**
 * Every window of the grid, scored and refined (pdollar/edges `scoreAllBoxes` before its sort), in scan order:
 * shape by shape, x outer, y inner. Window i is a record of 5 words at `5i`: its refined box (code convention)
 * x, y, w, h in `box[5i…5i+3]` and its score in `score[5i+4]` (two views of one buffer); a window scoring 0 (below
 * minScore) keeps an all-zero record, as the C++ keeps it for the sort.
 */
export interface WindowScores {
  count: number;
  /** Windows with a nonzero score. */
  nonzero: number;
  box: Int32Array;
  score: Float32Array;
}

export interface WindowsInput {
  W: number;
  H: number;
  groups: EdgeGroups;
  index: BoxIndex;
  tables: ScoringTables;
  minScore: number;
  kappa: number;
  shapes: readonly GridShape[];
  ratio: number;
}

function windowsOf(records: ArrayBuffer, offset: number, count: number, nonzero: number): WindowScores {
  const box = new Int32Array(records, offset, 5 * count);
  return { count, nonzero, box, score: new Float32Array(records, offset, 5 * count) };
}

/** The JS path: {@link BoxScorer} and {@link refineBox} (also the reference the WebAssembly kernel is tested against). */
export function scoreWindowsJs(inp: WindowsInput, count: number): WindowScores {
  const { W, H } = inp;
  const scorer = new BoxScorer(W, H, inp.groups, inp.tables, inp.index, inp.minScore, inp.kappa);
  const records = new ArrayBuffer(WINDOW_RECORD_BYTES * count);
  const i32 = new Int32Array(records);
  const f32 = new Float32Array(records);
  const b: RawBox = { x: 0, y: 0, w: 0, h: 0, score: 0 };
  let r = 0;
  let nonzero = 0;
  for (const s of inp.shapes) {
    for (let x = 0; x < W - s.w + s.kx; x += s.kx) {
      for (let y = 0; y < H - s.h + s.ky; y += s.ky, r += 5) {
        const score = scorer.score(x, y, s.w, s.h);
        if (!score) continue; // the record stays all zero
        b.x = scorer.x;
        b.y = scorer.y;
        b.w = scorer.w;
        b.h = scorer.h;
        b.score = score;
        refineBox(b, scorer, inp.ratio);
        i32[r] = b.x;
        i32[r + 1] = b.y;
        i32[r + 2] = b.w;
        i32[r + 3] = b.h;
        f32[r + 4] = b.score;
        nonzero++;
      }
    }
  }
  return windowsOf(records, 0, count, nonzero);
}

/** Scores and refines every window in `kernel` (whose memory may already hold `inp.index`). */
export function scoreWindowsIn(kernel: ScoreKernel, inp: WindowsInput, count: number): WindowScores {
  const r = kernel.run({ ...inp, windows: count });
  return windowsOf(r.records, r.offset, count, r.nonzero);
}

/**
 * Scores and refines every window: in the WebAssembly kernel where it runs (same float32 arithmetic, same results),
 * else in JS. `kernel: 'js'` forces the JS path.
 */
export function scoreWindows(inp: WindowsInput, count: number, kernel: 'auto' | 'js' = 'auto'): WindowScores {
  if (kernel === 'auto') {
    const k: KernelInput = { ...inp, windows: count };
    const r = scoreWindowsWasm(k);
    if (r) return windowsOf(r.records, r.offset, count, r.nonzero);
  }
  return scoreWindowsJs(inp, count);
}
