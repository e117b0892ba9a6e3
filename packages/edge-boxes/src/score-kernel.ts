import { compileWasm, ensureWasmMemory, instantiateWasm, type WasmMemory, type WasmModule } from '@deconvnet/image';
import type { EdgeGroups } from './cluster.js';
import type { GridShape } from './grid.js';
import type { BoxIndex } from './integral.js';
import type { ScoringTables } from './score.js';
import { SCORE_WASM_BASE64 } from './wasm/scorebytes.js';

interface Exports {
  memory: WasmMemory;
  init(
    W: number,
    H: number,
    seg: number,
    mgi: number,
    hRuns: number,
    hIdx: number,
    vRuns: number,
    vIdx: number,
    grp: number,
    norm: number,
    ids: number,
    inside: number,
    minScore: number,
  ): void;
  score(x: number, y: number, w: number, h: number, floor: number): number;
  scoreGrid(shapes: number, nShapes: number, ratio: number, out: number): number;
}

/** The compiled wasm/score.wat, or null where WebAssembly is unavailable. */
function kernelModule(): WasmModule | null {
  return compileWasm(SCORE_WASM_BASE64);
}

/** Whether the WebAssembly scoring kernel can run here (else the JS scorer runs; the results are identical). */
export function scoreKernelAvailable(): boolean {
  return kernelModule() !== null;
}

/** Bytes per window record: i32 x, y, w, h (refined box, code convention) and its f32 score; all 0 if unscored. */
export const WINDOW_RECORD_BYTES = 20;

export interface KernelInput {
  W: number;
  H: number;
  groups: EdgeGroups;
  index: BoxIndex;
  tables: ScoringTables;
  minScore: number;
  shapes: readonly GridShape[];
  ratio: number;
  windows: number;
}

/** The window records (see {@link WINDOW_RECORD_BYTES}) at `offset` in the kernel's memory, and the nonzero count. */
export interface KernelResult {
  records: ArrayBuffer;
  offset: number;
  nonzero: number;
}

/**
 * A fresh WebAssembly instance sized for one image (its memory dies with it: nothing outlives the call).
 * `index` holds empty BoxIndex arrays inside the instance's memory: {@link buildBoxIndex} fills them in place, which
 * saves a copy; `run` then scores and refines every window.
 */
export interface ScoreKernel {
  index: BoxIndex;
  run(inp: KernelInput): KernelResult;
}

/** Lays out the named regions (bytes) one after another, 8-byte aligned; returns their addresses and the end. */
function layout<K extends string>(sizes: Record<K, number>): { at: Record<K, number>; end: number } {
  const at = {} as Record<K, number>;
  let p = 8; // address 0 stays unused
  for (const k of Object.keys(sizes) as K[]) {
    at[k] = p;
    p += Math.ceil(sizes[k] / 8) * 8;
  }
  return { at, end: p };
}

/**
 * Creates the kernel for a W×H image with `groupCount` group ids, or null where it cannot run (no WebAssembly,
 * sides ≥ 32767 whose run indices need 32 bits, memory refused); the caller then runs the JS scorer.
 */
export function createScoreKernel(
  W: number,
  H: number,
  groupCount: number,
  tables: ScoringTables,
  nShapes: number,
  windows: number,
): ScoreKernel | null {
  const mod = kernelModule();
  if (!mod || W >= 32767 || H >= 32767) return null;
  const n = groupCount + 1;
  const H1 = H + 1;
  const { at, end } = layout({
    seg: 4 * (W + 1) * H1,
    mgi: 4 * (W + 1) * H1,
    hRuns: 4 * H * (W + 1),
    hIdx: 2 * W * H,
    vRuns: 4 * W * H1,
    vIdx: 2 * W * H,
    grp: 32 * n, // per group: done id, slot, anchor x, y, Σ E, first and past-last link address
    links: tables.links.byteLength,
    norm: tables.scaleNorm.byteLength,
    ids: 8 * n, // (group, weight) per slot
    inside: n,
    shapes: 16 * nShapes,
    out: WINDOW_RECORD_BYTES * windows,
  });
  if (end > 2 ** 31) return null;
  let ex: Exports;
  try {
    ex = instantiateWasm<Exports>(mod);
    ensureWasmMemory(ex.memory, end);
  } catch {
    return null; // memory refused: the JS scorer needs less
  }
  const buf = ex.memory.buffer; // fresh memory is zeroed, as new typed arrays are
  const index: BoxIndex = {
    segIImg: new Float32Array(buf, at.seg, (W + 1) * H1),
    magIImg: new Float32Array(buf, at.mgi, (W + 1) * H1),
    hRuns: new Int32Array(buf, at.hRuns, H * (W + 1)),
    hIdx: new Uint16Array(buf, at.hIdx, W * H),
    vRuns: new Int32Array(buf, at.vRuns, W * H1),
    vIdx: new Uint16Array(buf, at.vIdx, W * H),
  };
  const run = (inp: KernelInput) => {
    const { groups: g, index: ix, tables: t } = inp;
    if (inp.W !== W || inp.H !== H || g.count !== groupCount || inp.shapes.length !== nShapes) {
      throw new Error('score kernel: input does not match the kernel it was created for');
    }
    if (ix !== index) {
      index.segIImg.set(ix.segIImg);
      index.magIImg.set(ix.magIImg);
      index.hRuns.set(ix.hRuns);
      index.hIdx.set(ix.hIdx);
      index.vRuns.set(ix.vRuns);
      index.vIdx.set(ix.vIdx);
    }
    const gi = new Int32Array(buf, at.grp, 8 * groupCount);
    const gf = new Float32Array(buf, at.grp, 8 * groupCount);
    for (let j = 0; j < groupCount; j++) {
      gi[8 * j] = -1; // every group's "done" marker starts at −1 (pitfall 9)
      gi[8 * j + 2] = t.anchors[2 * j]!;
      gi[8 * j + 3] = t.anchors[2 * j + 1]!;
      gf[8 * j + 4] = g.mag[j]!;
      gi[8 * j + 5] = at.links + 4 * t.affStart[j]!;
      gi[8 * j + 6] = at.links + 4 * t.affStart[j + 1]!;
    }
    new Uint8Array(buf, at.links, t.links.byteLength).set(new Uint8Array(t.links));
    new Float32Array(buf, at.norm, t.scaleNorm.length).set(t.scaleNorm);
    const sh = new Int32Array(buf, at.shapes, 4 * nShapes);
    for (let i = 0; i < nShapes; i++) {
      const s = inp.shapes[i]!;
      sh.set([s.w, s.h, s.kx, s.ky], 4 * i);
    }
    ex.init(
      W,
      H,
      at.seg,
      at.mgi,
      at.hRuns,
      at.hIdx,
      at.vRuns,
      at.vIdx,
      at.grp,
      at.norm,
      at.ids,
      at.inside,
      inp.minScore,
    );
    const nonzero = ex.scoreGrid(at.shapes, nShapes, inp.ratio, at.out);
    return { records: buf, offset: at.out, nonzero };
  };
  return { index, run };
}

/** Scores and refines every window with a new kernel (index copied in), or null where the kernel cannot run. */
export function scoreWindowsWasm(inp: KernelInput): KernelResult | null {
  if (!(inp.index.hIdx instanceof Uint16Array) || !(inp.index.vIdx instanceof Uint16Array)) return null;
  const k = createScoreKernel(inp.W, inp.H, inp.groups.count, inp.tables, inp.shapes.length, inp.windows);
  return k ? k.run(inp) : null;
}
