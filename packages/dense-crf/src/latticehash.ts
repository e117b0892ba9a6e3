/**
 * Open-addressing hash table from int16 lattice keys (d coordinates) to vertex ids, ids assigned in insertion
 * order as in the reference's HashTable (src/permutohedral.cpp). The hash and the capacity policy only affect
 * probing, never ids: the reference's polynomial hash is kept (for its locality) over a power-of-two table.
 */
/** Initial table size for `expected` keys: the smallest power of two ≥ 2·expected (at least 16). */
export function hashCapacity(expected: number): number {
  let cap = 16;
  while (cap < 2 * expected) cap *= 2;
  return cap;
}

export class LatticeHash {
  readonly keySize: number;
  private capacity: number;
  private mask: number;
  private table: Int32Array;
  /** Stored keys, `keySize` int16 per vertex (the reference stores `short` too: coordinates wrap at ±32768). */
  keys: Int16Array;
  size = 0;

  constructor(keySize: number, expected: number) {
    this.keySize = keySize;
    const cap = hashCapacity(expected);
    this.capacity = cap;
    this.mask = cap - 1;
    this.table = new Int32Array(cap).fill(-1);
    this.keys = new Int16Array(Math.max(16, expected) * keySize);
  }

  private hash(k: Int16Array, at: number): number {
    // The reference's polynomial hash: keys that differ by ±1 in the last coordinates land in nearby slots, so the
    // look-ups of neighbouring points and vertices mostly hit cached lines (a mixing hash was ≈ 2× slower here).
    let h = 0;
    for (let i = 0; i < this.keySize; i++) h = (Math.imul(h, 2531011) + (k[at + i] as number)) | 0;
    return h & this.mask;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.capacity = cap;
    this.mask = cap - 1;
    const table = new Int32Array(cap).fill(-1);
    const ks = this.keySize;
    for (let e = 0; e < this.size; e++) {
      let h = this.hash(this.keys, e * ks);
      while (table[h] !== -1) h = (h + 1) & this.mask;
      table[h] = e;
    }
    this.table = table;
  }

  /** Id of key `k[at..at+keySize)`, inserting it when `create` (else −1 when absent). */
  find(k: Int16Array, at: number, create: boolean): number {
    const ks = this.keySize;
    let h = this.hash(k, at);
    const keys = this.keys;
    const table = this.table;
    for (;;) {
      const e = table[h] as number;
      if (e === -1) {
        if (!create) return -1;
        if (2 * (this.size + 1) > this.capacity) {
          this.grow();
          return this.find(k, at, create);
        }
        const id = this.size++;
        if ((id + 1) * ks > this.keys.length) {
          const bigger = new Int16Array(this.keys.length * 2);
          bigger.set(this.keys);
          this.keys = bigger;
        }
        const dst = this.keys;
        for (let i = 0; i < ks; i++) dst[id * ks + i] = k[at + i] as number;
        table[h] = id;
        return id;
      }
      let same = true;
      const base = e * ks;
      for (let i = 0; i < ks; i++) {
        if (keys[base + i] !== k[at + i]) {
          same = false;
          break;
        }
      }
      if (same) return e;
      h = (h + 1) & this.mask;
    }
  }
}
