import type { WasmApi, WasmMemory } from './loader.js';

// WebAssembly memories given back by disposed CRFs (`DenseCRF.dispose`), reused by the next lattices and mean-field
// engines. Their pages are already mapped: on a VM every first touch of a fresh page is a costly page fault, and
// unmapping the previous image's buffers when the GC gets to them costs as much again, so a pipeline over many
// images runs markedly faster with warm memories. Contents are arbitrary: every user writes what it reads.
const pool: WasmMemory[] = [];
/** Keep at most this many bytes pooled (the rest is left to the GC). */
const POOL_LIMIT = 1 << 30;

/** A memory of at least `bytes`: a pooled one (the smallest that fits, else the largest, grown) or a new one. */
export function takeMemory(wasm: WasmApi, bytes: number): WasmMemory {
  const pages = Math.ceil(bytes / 65536);
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const size = (pool[i] as WasmMemory).buffer.byteLength;
    const bestSize = best < 0 ? -1 : (pool[best] as WasmMemory).buffer.byteLength;
    const fits = size >= pages * 65536;
    const bestFits = bestSize >= pages * 65536;
    if (best < 0 || (fits && (!bestFits || size < bestSize)) || (!fits && !bestFits && size > bestSize)) best = i;
  }
  if (best >= 0) {
    const m = pool.splice(best, 1)[0] as WasmMemory;
    const have = m.buffer.byteLength / 65536;
    try {
      if (have < pages) m.grow(pages - have);
      return m;
    } catch {
      // could not grow: a new memory below
    }
  }
  return new wasm.Memory({ initial: pages });
}

/** Gives a memory back for reuse. Nothing may use it (or views of it) afterwards. */
export function giveMemory(memory: WasmMemory): void {
  let total = memory.buffer.byteLength;
  for (const m of pool) total += m.buffer.byteLength;
  if (total <= POOL_LIMIT && !pool.includes(memory)) pool.push(memory);
}

/** Empties the pool (the memories are left to the GC). */
export function clearMemoryPool(): void {
  pool.length = 0;
}

/** Number of pooled memories (for tests). */
export function pooledMemories(): number {
  return pool.length;
}
