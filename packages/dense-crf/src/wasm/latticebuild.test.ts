import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bilateralFeatures, gaussianFeatures } from '../features.js';
import { PermutohedralLattice } from '../permutohedral.js';
import { latticeBuildAvailable } from './latticebuild.js';

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every array of the two lattices, element by element (ids, float32 bit patterns, neighbour table). */
function expectIdentical(features: Float32Array, d: number, referencePadding = true): PermutohedralLattice {
  const w = new PermutohedralLattice(features, d, { simd: true, referencePadding });
  const j = new PermutohedralLattice(features, d, { simd: false, referencePadding });
  expect(w.numVertices).toBe(j.numVertices);
  expect(firstDifference(w.offsets, j.offsets)).toBe(-1);
  expect(firstDifference(w.weights, j.weights)).toBe(-1);
  expect(firstDifference(w.sliceWeights, j.sliceWeights)).toBe(-1);
  expect(firstDifference(w.neighbours, j.neighbours)).toBe(-1);
  return w;
}

/** Index of the first element whose bit pattern differs (−1: identical, length included). */
function firstDifference(a: Int32Array | Float32Array, b: Int32Array | Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** Random features of n points in d dimensions, spread over `range` (lattice units ≈ feature units). */
function randomFeatures(n: number, d: number, range: number, seed: number): Float32Array {
  const rnd = mulberry(seed);
  const f = new Float32Array(n * d);
  for (let i = 0; i < f.length; i++) f[i] = (rnd() - 0.5) * range;
  return f;
}

describe.skipIf(!latticeBuildAvailable())('WebAssembly lattice construction', () => {
  it('builds exactly the JS lattice for image features (2-D grid, 5-D bilateral, with and without padding)', () => {
    const W = 61;
    const H = 43; // N = 2623, not a multiple of 4: the padding vertex is inserted
    const rnd = mulberry(7);
    const image = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const base = x < W / 2 ? 60 : 190; // two regions plus noise: shared and distinct simplices both occur
        for (let c = 0; c < 3; c++) image[(y * W + x) * 3 + c] = Math.min(255, Math.max(0, base + 40 * (rnd() - 0.5)));
      }
    }
    const g = expectIdentical(gaussianFeatures(W, H, 3, 3), 2);
    expect(g.numVertices).toBeGreaterThan(100);
    expectIdentical(bilateralFeatures(W, H, 20, 20, 3, 3, 3, image), 5);
    expectIdentical(bilateralFeatures(W, H, 80, 80, 13, 13, 13, image), 5, false);
  });

  it('matches for d = 1 … 16 (one, two and three 16-byte key blocks) and for coincident points', () => {
    for (const d of [1, 3, 6, 7, 10, 14, 15, 16]) expectIdentical(randomFeatures(301, d, 6, d), d);
    const same = new Float32Array(5 * 40).fill(0.37); // all points equal: one simplex, reused point after point
    const lat = expectIdentical(same, 5);
    expect(lat.numVertices).toBe(6);
  });

  it('matches when the hash table grows many times (≈ 6 new vertices per point)', () => {
    const f = randomFeatures(20000, 5, 400, 11);
    const lat = expectIdentical(f, 5);
    expect(lat.numVertices).toBeGreaterThan(5 * 20000); // the table starts at 4096 entries: doubled 6 times
  });

  it('reports a key overflow with the same error as the JS construction', () => {
    const f = new Float32Array([0, 0, 1, 1, 5e4, 0]);
    let wasmError: unknown;
    let jsError: unknown;
    try {
      new PermutohedralLattice(f, 2, { simd: true });
    } catch (e) {
      wasmError = e;
    }
    try {
      new PermutohedralLattice(f, 2, { simd: false });
    } catch (e) {
      jsError = e;
    }
    expect(String(wasmError)).toMatch(/point 2: .*int16/);
    expect(String(wasmError)).toBe(String(jsError));
  });

  it('computes the all-ones response K̃·1 in the module exactly as filter(ones) in JS', () => {
    for (const [f, d] of [
      [gaussianFeatures(37, 29, 3, 3), 2],
      [randomFeatures(1001, 5, 10, 5), 5],
    ] as const) {
      const a = new PermutohedralLattice(f, d, { simd: true });
      const b = new PermutohedralLattice(f, d, { simd: false });
      const n = a.numPoints;
      const viaFilter = new Float32Array(n);
      b.filter(new Float32Array(n).fill(1), viaFilter, 1);
      const inModule = a.onesResponse();
      expect(firstDifference(inModule, viaFilter)).toBe(-1);
      expect(firstDifference(b.onesResponse(), viaFilter)).toBe(-1);
      expect(Math.min(...inModule)).toBeGreaterThan(0.1); // every point carries at least part of its own weight
    }
  });

  it('filters identically through either lattice', () => {
    const f = randomFeatures(777, 5, 8, 3);
    const a = new PermutohedralLattice(f, 5, { simd: true });
    const b = new PermutohedralLattice(f, 5, { simd: false });
    const x = Float32Array.from(randomFeatures(777 * 3, 1, 2, 4));
    const ya = new Float32Array(777 * 3);
    const yb = new Float32Array(777 * 3);
    a.filter(x, ya, 3);
    b.filter(x, yb, 3);
    expect(firstDifference(ya, yb)).toBe(-1);
    expect(ya.some((v) => v !== 0)).toBe(true);
  });
});

describe('committed lattice WebAssembly bytes', () => {
  const require = createRequire(import.meta.url);
  let hasWabt = false;
  try {
    require.resolve('wabt');
    hasWabt = true;
  } catch {
    hasWabt = false;
  }
  it.skipIf(!hasWabt)('match a fresh build of latticebuild.wat (npm run build:wasm)', async () => {
    const script = new URL('../../../../scripts/wat-to-ts.mjs', import.meta.url);
    const { buildWat, renderWasmModule } = (await import(script.href)) as {
      buildWat(path: string): Promise<Buffer>;
      renderWasmModule(bytes: Buffer, watName: string, constName: string): string;
    };
    const committed = fileURLToPath(new URL('./latticebytes.ts', import.meta.url));
    expect(existsSync(committed)).toBe(true);
    const fresh = await buildWat(fileURLToPath(new URL('./latticebuild.wat', import.meta.url)));
    expect(readFileSync(committed, 'utf8')).toBe(
      renderWasmModule(fresh, 'latticebuild.wat', 'LATTICEBUILD_WASM_BASE64'),
    );
  });
});
