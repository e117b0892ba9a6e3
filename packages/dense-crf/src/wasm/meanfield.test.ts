import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DenseCRF, DenseCRF2D } from '../densecrf.js';
import type { Normalization } from '../normalization.js';
import { simdAvailable } from './meanfield.js';
import { clearMemoryPool, pooledMemories } from './memorypool.js';

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const W = 29; // N = 29·23 = 667, not a multiple of 4: the lattice's padding vertex is present
const H = 23;

/** Random image and unary with a wide energy range (exp underflow below −104 included). */
function problem(L: number, seed: number): { image: Uint8Array; unary: Float32Array } {
  const rnd = mulberry(seed);
  const image = new Uint8Array(W * H * 3);
  for (let i = 0; i < image.length; i++) image[i] = (rnd() * 256) | 0;
  const unary = new Float32Array(W * H * L);
  for (let i = 0; i < unary.length; i++) unary[i] = rnd() < 0.02 ? 150 * rnd() : 4 * rnd();
  return { image, unary };
}

function build(
  L: number,
  seed: number,
  normalization: Normalization,
  simd: boolean,
  exactExp: boolean,
  weights = [3, 10],
): DenseCRF2D {
  const { image, unary } = problem(L, seed);
  const crf = new DenseCRF2D(W, H, L, { simd, exactExp });
  crf.setUnaryEnergy(unary);
  crf.addPairwiseGaussian({ sxy: 3, compat: weights[0], normalization });
  crf.addPairwiseBilateral({ sxy: 12, srgb: 20, image, compat: weights[1], normalization });
  return crf;
}

describe.skipIf(!simdAvailable())('WebAssembly SIMD mean field', () => {
  it('is used for Potts terms with L > 2 and not otherwise', () => {
    expect(build(21, 1, 'symmetric', true, false).usesSimd).toBe(true);
    expect(build(21, 1, 'symmetric', false, false).usesSimd).toBe(false);
    expect(build(2, 1, 'symmetric', true, false).usesSimd).toBe(false); // the lattice's scalar path
    const diag = new DenseCRF2D(W, H, 4);
    diag.setUnaryEnergy(problem(4, 1).unary);
    diag.addPairwiseGaussian({ compat: new Float32Array(4).fill(-3) });
    expect(diag.usesSimd).toBe(false);
  });

  // L = 3 (all labels in the softmax tail), 4, 5 and 21 (row padding 3), 8 (two-accumulator reduction), 13.
  for (const L of [3, 4, 5, 8, 13, 21]) {
    for (const normalization of ['symmetric', 'after', 'before', 'none'] as const) {
      it(`gives bit-identical marginals to the JS loops: L=${L}, ${normalization}, fast and exact exp`, () => {
        for (const exactExp of [false, true]) {
          const seed = L * 7 + normalization.length;
          const a = build(L, seed, normalization, true, exactExp, [3, -4]);
          const b = build(L, seed, normalization, false, exactExp, [3, -4]);
          expect(a.usesSimd).toBe(true);
          const qa = a.inference(4);
          const qb = b.inference(4);
          expect(qa).toEqual(qb);
          // Not a trivial fixed point: the pairwise terms moved the marginals away from softmax(−U).
          const q0 = b.inference(0);
          let moved = 0;
          for (let i = 0; i < q0.length; i++) moved = Math.max(moved, Math.abs((qa[i] as number) - (q0[i] as number)));
          expect(moved).toBeGreaterThan(0.05);
        }
      });
    }
  }

  // 2-D Gaussian and 5-D bilateral terms (d + 1 = 3, 6) run the kernels written out per d + 1; other feature
  // dimensions run the generic loops: 1-D, 3-D and 4-D features here.
  for (const dims of [1, 3, 4]) {
    it(`generic kernels (d + 1 = ${dims + 1}) give bit-identical marginals to the JS loops, fast and exact exp`, () => {
      const L = 21;
      const rnd = mulberry(dims);
      const n = W * H;
      const features = Float32Array.from({ length: n * dims }, (_, i) => {
        const p = Math.floor(i / dims);
        const d = i % dims;
        return d === 0 ? (p % W) / 3 : d === 1 ? Math.floor(p / W) / 3 : 4 * rnd();
      });
      const { unary } = problem(L, 40 + dims);
      for (const exactExp of [false, true]) {
        const q = [true, false].map((simd) => {
          const crf = new DenseCRF(n, L, { simd, exactExp });
          crf.setUnaryEnergy(unary);
          crf.addPairwiseEnergy({ features, dims, compat: 3, normalization: 'symmetric' });
          crf.addPairwiseEnergy({ features, dims, compat: 5, normalization: 'none' });
          expect(crf.usesSimd).toBe(simd);
          return crf.inference(3);
        });
        expect(q[0]).toEqual(q[1]);
        let moved = 0;
        const q0 = new DenseCRF(n, L, { exactExp });
        q0.setUnaryEnergy(unary);
        const base = q0.inference(0);
        for (let i = 0; i < base.length; i++)
          moved = Math.max(moved, Math.abs((q[0]?.[i] as number) - (base[i] as number)));
        expect(moved).toBeGreaterThan(0.05);
      }
    });
  }

  it('step API, map and adding a term mid-way match the JS path', () => {
    const a = build(21, 3, 'symmetric', true, false);
    const b = build(21, 3, 'symmetric', false, false);
    a.startInference();
    b.startInference();
    expect(a.currentMarginals()).toEqual(b.currentMarginals());
    a.stepInference();
    b.stepInference();
    expect(a.currentMap()).toEqual(b.currentMap());
    // A third term added mid-way: the engine is rebuilt and continues from the current marginals.
    const extra = { sxy: 6, compat: 2 };
    a.addPairwiseGaussian(extra);
    b.addPairwiseGaussian(extra);
    a.stepInference();
    b.stepInference();
    expect(a.iterations).toBe(2);
    expect(a.currentMarginals()).toEqual(b.currentMarginals());
    expect(a.map(3)).toEqual(b.map(3));
  });
});

describe.skipIf(!simdAvailable())('WebAssembly memory reuse (dispose)', () => {
  it("a recycled memory (left full of another problem's data) gives the marginals of a fresh run", () => {
    const big = build(21, 5, 'symmetric', true, false);
    big.inference(2);
    big.dispose(); // its memory, padding lanes and vertex buffers dirty, goes to the reuse slot
    const a = build(13, 6, 'after', true, false); // L = 13: 3 padding lanes per row
    const qa = a.inference(3);
    a.dispose();
    const b = build(13, 6, 'after', false, false);
    const qb = b.inference(3);
    expect(qa).toEqual(qb);
    expect(a.currentMarginals()).toEqual(qb); // still readable after dispose
    expect(() => a.stepInference()).toThrow(/disposed/);
    expect(() => a.pairwiseTerms[0]?.lattice.filter(new Float32Array(W * H), new Float32Array(W * H), 1)).toThrow(
      /released/,
    );
    expect(pooledMemories()).toBe(3); // the engine's memory and both lattices'
    const c = build(13, 6, 'after', true, false); // takes both lattice memories back from the pool
    expect(pooledMemories()).toBe(1);
    expect(c.inference(3)).toEqual(qb); // and the engine's: again the marginals of a fresh run
    expect(pooledMemories()).toBe(0);
    c.dispose();
    clearMemoryPool();
  });
});

describe('committed WebAssembly bytes', () => {
  const require = createRequire(import.meta.url);
  let hasWabt = false;
  try {
    require.resolve('wabt');
    hasWabt = true;
  } catch {
    hasWabt = false;
  }
  it.skipIf(!hasWabt)('match a fresh build of meanfield.wat (npm run build:wasm)', async () => {
    const script = new URL('../../../../scripts/wat-to-ts.mjs', import.meta.url);
    const { buildWat, renderWasmModule } = (await import(script.href)) as {
      buildWat(path: string): Promise<Buffer>;
      renderWasmModule(bytes: Buffer, watName: string, constName: string): string;
    };
    const committed = fileURLToPath(new URL('./meanfieldbytes.ts', import.meta.url));
    expect(existsSync(committed)).toBe(true);
    const fresh = await buildWat(fileURLToPath(new URL('./meanfield.wat', import.meta.url)));
    expect(readFileSync(committed, 'utf8')).toBe(renderWasmModule(fresh, 'meanfield.wat', 'MEANFIELD_WASM_BASE64'));
  });
});
