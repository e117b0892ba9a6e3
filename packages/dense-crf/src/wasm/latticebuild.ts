import { LATTICEBUILD_WASM_BASE64 } from './latticebytes.js';
import { type WasmApi, type WasmMemory, type WasmModule, wasmModule } from './loader.js';
import { giveMemory, takeMemory } from './memorypool.js';

interface Builder {
  init(scr: number, d: number, E: number, invD1: number, vkeys: number, table: number, cap: number): void;
  build(feat: number, n: number, offs: number, ws: number, pad: number): number;
  neighbours(nb: number): void;
  scale(src: number, dst: number, count: number, a: number): void;
  ones(offs: number, ws: number, nb: number, n: number, vals: number, next: number, out: number, alpha: number): void;
  count(): number;
  capacity(): number;
  errorPoint(): number;
}

/** A lattice built by the WebAssembly module (same content, ids and order as the JS construction). */
export interface BuiltLattice {
  numVertices: number;
  /** Per point, d+1 vertex ids + 1. */
  offsets: Int32Array;
  weights: Float32Array;
  sliceWeights: Float32Array;
  /** Per axis j and vertex v at `(j·M + v)·2`: ids+1 of the two blur neighbours (0 = missing). */
  neighbours: Int32Array;
  /** `K̃·1` per point (the all-ones response, bit-identical to `filter(ones, out, 1)`), computed on demand. */
  onesResponse: () => Float32Array;
  /** Gives the module's memory back to the pool: the arrays above must not be used afterwards. */
  release: () => void;
}

/** Why the module did not build the lattice: no WebAssembly SIMD here, a key overflow at `point`, or no memory. */
export type BuildFailure = { reason: 'unavailable' } | { reason: 'overflow'; point: number } | { reason: 'memory' };

const HASH_MUL = 2531011;
let module: WasmModule | null | undefined;

function builderModule(): WasmModule | null {
  if (module === undefined) module = wasmModule(LATTICEBUILD_WASM_BASE64);
  return module;
}

/** Whether the WebAssembly lattice construction can run here. */
export function latticeBuildAvailable(): boolean {
  return builderModule() !== null;
}

const align = (x: number): number => Math.ceil(x / 64) * 64;

/**
 * Builds the permutohedral lattice of `n` points (`features`, n × d) in WebAssembly: the same float32 arithmetic,
 * vertex ids (insertion order) and neighbour table as `PermutohedralLattice`'s JS construction. `scale`: the d
 * per-axis factors (float32 values), `invD1` = fround(1/(d+1)), `alpha` the slice factor. The returned arrays are
 * views into the module's memory (never grown afterwards), which they keep alive: copying them out would only add
 * page faults.
 */
export function buildLatticeWasm(
  features: Float32Array,
  d: number,
  n: number,
  scale: ArrayLike<number>,
  invD1: number,
  alpha: number,
  padding: boolean,
): BuiltLattice | BuildFailure {
  const mod = builderModule();
  if (!mod) return { reason: 'unavailable' };
  const d1 = d + 1;
  const E = Math.ceil((2 * d + 4) / 16) * 16;
  const maxVertices = d1 * (n + 1);
  // A small initial table (the module doubles it at load 1/2): pages of a large, sparsely used one are touched at
  // random, and each first touch is a page fault.
  let initialCapacity = 1024;
  while (initialCapacity < n / 8) initialCapacity *= 2;
  const scr = 64; // address 0 unused
  const featAt = scr + 2048;
  const offAt = align(featAt + n * d * 4);
  const wAt = align(offAt + n * d1 * 4 + 16);
  const swAt = align(wAt + n * d1 * 4 + 16);
  const vkeysAt = align(swAt + n * d1 * 4 + 16);
  const tableAt = align(vkeysAt + maxVertices * E);
  // The table grows inside the module (memory.grow); the vertex list is sized for the worst case, d+1 new vertices
  // per point, and only the pages it uses are ever touched.
  if (tableAt + 16 * maxVertices + d1 * maxVertices * 8 > 2 ** 31) return { reason: 'memory' };
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly as WasmApi;
  let memory: WasmMemory;
  let b: Builder;
  try {
    memory = takeMemory(wasm, tableAt + initialCapacity * 8);
    b = new wasm.Instance(mod, { env: { memory } }).exports as unknown as Builder;
  } catch {
    return { reason: 'memory' };
  }
  let buf = memory.buffer;
  // A pooled memory holds old data: zero what the module expects zeroed (scratch, the initial table).
  new Uint8Array(buf, scr, 2048).fill(0);
  new Uint8Array(buf, tableAt, initialCapacity * 8).fill(0);
  new Float32Array(buf, featAt, n * d).set(features);
  const f32s = new Float32Array(buf, scr, 512);
  for (let i = 0; i < d; i++) f32s[160 + i] = scale[i] as number; // +640
  const bytes = new Uint8Array(buf, scr, 2048);
  bytes.fill(0xff, 576, 576 + 12); // compare mask: every byte of the last 16 but the id / hash lane
  // The SIMD placement (d ≤ 7): hash multipliers C_i = 2531011^(d−1−i) for the key lanes i < d, key lane mask.
  const mult = new Int32Array(buf, scr + 1856, 8);
  for (let i = d - 1, c = 1; i >= 0; i--, c = Math.imul(c, HASH_MUL)) if (i < 8) mult[i] = c;
  bytes.fill(0xff, 1888, 1888 + 2 * Math.min(d, 8));
  const i16 = new Int16Array(buf, scr + 768, (d1 * E) / 2);
  const i32 = new Int32Array(buf, scr + 768, (d1 * E) / 4);
  for (let j = 0; j <= d; j++) {
    const base = (j * E) / 2;
    let h = 0;
    for (let k = 0; k < d; k++) {
      const v = k === j ? d : -1;
      i16[base + k] = v;
      h = (Math.imul(h, HASH_MUL) + v) | 0;
    }
    i32[((j + 1) * E) / 4 - 1] = h;
  }
  b.init(scr, d, E, invD1, vkeysAt, tableAt, initialCapacity);
  const status = b.build(featAt, n, offAt, wAt, padding ? 1 : 0);
  if (status !== 0) {
    giveMemory(memory);
    return status === 1 ? { reason: 'overflow', point: b.errorPoint() } : { reason: 'memory' };
  }
  const m = b.count();
  // The neighbour table goes after the table's final extent.
  const nbAt = align(tableAt + b.capacity() * 8);
  // Room for the all-ones response (two vertex buffers and the output), reserved now so that the memory never
  // grows after the views below are taken; its pages are only touched if the response is asked for.
  const valsAt = align(nbAt + d1 * m * 8);
  const nextAt = align(valsAt + (m + 1) * 4);
  const outAt = align(nextAt + (m + 1) * 4);
  const end = outAt + n * 4;
  try {
    const have = memory.buffer.byteLength;
    if (end > have) (memory as unknown as { grow(pages: number): number }).grow(Math.ceil((end - have) / 65536));
  } catch {
    giveMemory(memory);
    return { reason: 'memory' };
  }
  new Uint8Array(memory.buffer, nbAt, d1 * m * 8).fill(0); // 0 = missing neighbour
  b.neighbours(nbAt);
  b.scale(wAt, swAt, n * d1, alpha);
  buf = memory.buffer;
  return {
    numVertices: m,
    offsets: new Int32Array(buf, offAt, n * d1),
    weights: new Float32Array(buf, wAt, n * d1),
    sliceWeights: new Float32Array(buf, swAt, n * d1),
    neighbours: new Int32Array(buf, nbAt, d1 * m * 2),
    onesResponse: () => {
      b.ones(offAt, wAt, nbAt, n, valsAt, nextAt, outAt, alpha);
      return new Float32Array(memory.buffer, outAt, n).slice();
    },
    release: () => giveMemory(memory),
  };
}
