import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createScoreMap, type ScoreMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { ensembleWithFcn } from './ensemble.js';
import { softmax, softmaxAt } from './softmax.js';
import { kernelExp, softmaxKernelAvailable } from './softmax-kernel.js';
import { rng } from './test-rng.js';

/** Independent float64 reference: max-subtracted Math.exp softmax of one pixel's logits (all finite). */
function ref64(xs: ArrayLike<number>): Float64Array {
  let m = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < xs.length; c++) m = Math.max(m, xs[c]!);
  const e = Float64Array.from(xs, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * The stated bound: every output is the float64 softmax rounded to float32, give or take the rounding itself —
 * |p − p64| ≤ 2⁻²⁴·p64 (half an ulp) + 1e−14·p64 (the kernel's exp and sum) + 1e−45 (float32 subnormal spacing).
 */
function worstExcess(got: Float32Array, want: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const w = want[i]!;
    worst = Math.max(worst, Math.abs(got[i]! - w) - (2 ** -24 + 1e-14) * w - 1.5e-45);
  }
  return worst;
}

function randomMap(w: number, h: number, C: number, seed: number, spread: number): ScoreMap {
  const r = rng(seed);
  const m = createScoreMap(w, h, C);
  for (let i = 0; i < m.data.length; i++) m.data[i] = (r() - 0.5) * spread;
  return m;
}

describe('WebAssembly softmax kernel', () => {
  it('runs on Node 20 (WebAssembly SIMD is available) and its committed bytes match softmax.wat', async () => {
    expect(softmaxKernelAvailable()).toBe(true);
    const { buildWat, renderWasmModule } = await import(
      new URL('../../../scripts/wat-to-ts.mjs', import.meta.url).href
    );
    const wat = new URL('./wasm/softmax.wat', import.meta.url);
    const bytes = await buildWat(fileURLToPath(wat));
    const committed = readFileSync(new URL('./wasm/softmaxbytes.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderWasmModule(bytes, 'softmax.wat', 'SOFTMAX_WASM_BASE64'));
  });

  it('exp: relative error < 1e-13 against Math.exp on [−708, 0]; below −708 it bottoms out at exp(−708)', () => {
    const xs = new Float64Array(100_001).map((_, i) => -708 + (708 * i) / 100_000);
    xs[17] = -1e-300;
    xs[18] = -0.5 * Math.LN2; // reduction boundary
    const e = kernelExp(xs)!;
    let worst = 0;
    for (let i = 0; i < xs.length; i++) worst = Math.max(worst, Math.abs(e[i]! - Math.exp(xs[i]!)) / Math.exp(xs[i]!));
    expect(worst).toBeLessThan(1e-13);
    const low = kernelExp(new Float64Array([-709, -1e300, Number.NEGATIVE_INFINITY, Number.NaN]))!;
    for (const v of low) expect(v).toBeCloseTo(Math.exp(-708), 320);
    expect(kernelExp(new Float64Array([0]))![0]).toBe(1);
  });

  for (const C of [1, 2, 3, 4, 21]) {
    it(`softmax map (C=${C}; two kernel chunks at C=21): float64 Math.exp reference within half a float32 ulp`, () => {
      const m = randomMap(61, 43, C, C, 60); // logits in ±30: probabilities down to 1e−26
      const got = softmax(m);
      const want = new Float64Array(m.data.length);
      for (let p = 0; p < 61 * 43; p++) want.set(ref64(m.data.subarray(p * C, p * C + C)), p * C);
      expect(worstExcess(got.data, want)).toBeLessThanOrEqual(0);
      const t = softmax(m, { temperature: 3.5 });
      const wantT = new Float64Array(m.data.length);
      for (let p = 0; p < 61 * 43; p++)
        wantT.set(ref64(Array.from(m.data.subarray(p * C, p * C + C), (x) => x / 3.5)), p * C);
      expect(worstExcess(t.data, wantT)).toBeLessThanOrEqual(0);
    });
  }

  it('non-finite pixels among ordinary ones follow softmaxAt exactly; never NaN', () => {
    const C = 5;
    const m = randomMap(100, 80, C, 3, 20); // 8000 pixels: two kernel chunks of 6553 (128 KiB of input)
    const inf = Number.POSITIVE_INFINITY;
    const specials: number[][] = [
      [inf, 1, inf, -inf, Number.NaN],
      [-inf, -inf, -inf, -inf, -inf],
      [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
      [Number.NaN, 0, Math.log(3), -inf, Number.NaN],
      [3e38, -3e38, 0, 1e30, -1e30],
      [-3e38, -3e38, -3e38, -3e38, -3e38],
    ];
    // Scattered through several kernel chunks, including a chunk's first and last pixel.
    const where = [0, 1, 777, 6552, 6553, 7999];
    for (const [k, p] of where.entries()) m.data.set(specials[k % specials.length]!, p * C);
    const got = softmax(m);
    // softmaxAt in float64 is the definition (its rules for ±∞ and NaN, Math.exp otherwise).
    const want = new Float64Array(m.data.length);
    for (let p = 0; p < 8000; p++) softmaxAt(Float64Array.from(m.data.subarray(p * C, p * C + C)), 0, want, p * C, C);
    expect(worstExcess(got.data, want)).toBeLessThanOrEqual(0);
    // The pixels the kernel hands back (max ±∞, all NaN) are exact.
    for (const p of where.slice(0, 3))
      expect([...got.data.subarray(p * C, p * C + C)]).toEqual([...Float32Array.from(want.subarray(p * C, p * C + C))]);
    expect(got.data.some(Number.isNaN)).toBe(false);
    expect([...got.data.subarray(0, C)]).toEqual([0.5, 0, 0.5, 0, 0]);
    expect([...got.data.subarray(C, 2 * C)]).toEqual(Array(C).fill(Math.fround(1 / C)));
  });

  it('in place (out = the input map): skipped pixels still see their own inputs', () => {
    const C = 21;
    const m = randomMap(40, 50, C, 8, 30); // 2000 pixels: two chunks at C = 21
    const inf = Number.POSITIVE_INFINITY;
    for (const p of [0, 5, 1559, 1560, 1999]) {
      m.data.fill(-inf, p * C, (p + 1) * C);
      if (p % 2) m.data[p * C + 3] = inf;
    }
    const copy = { ...m, data: m.data.slice() };
    const want = softmax(copy);
    softmax(m, { out: m });
    expect([...m.data]).toEqual([...want.data]);
    expect([...m.data.subarray(5 * C, 6 * C)]).toEqual(Array.from({ length: C }, (_, c) => (c === 3 ? 1 : 0)));
    expect(m.data[0]).toBe(Math.fround(1 / C));
    // The product ensemble writing over its deconvnet input, with +Infinity scores (handed back to softmaxAt).
    const d = randomMap(40, 50, C, 9, 30);
    for (let i = 0; i < d.data.length; i++) d.data[i] = Math.max(0, d.data[i]!);
    d.data[1560 * C + 4] = inf;
    d.data[7 * C + 2] = inf;
    const f = randomMap(40, 50, C, 10, 30);
    f.data[1560 * C + 4] = 2;
    f.data[7 * C + 2] = 3;
    const expected = ensembleWithFcn({ ...d, data: d.data.slice() }, f);
    ensembleWithFcn(d, f, { out: d });
    expect([...d.data]).toEqual([...expected.data]);
    expect(d.data[1560 * C + 4]).toBe(1);
    expect(d.data[7 * C + 2]).toBe(1);
  });

  it("ensembleWithFcn 'product' and 'mean' match float64 references within half a float32 ulp", () => {
    const C = 21;
    const d = randomMap(40, 30, C, 5, 16);
    for (let i = 0; i < d.data.length; i++) d.data[i] = Math.max(0, d.data[i]!); // a max canvas is ≥ 0
    const f = randomMap(40, 30, C, 6, 16);
    const prod = ensembleWithFcn(d, f);
    const mean = ensembleWithFcn(d, f, { method: 'mean', weights: { deconvnet: 2, fcn: 1 } });
    const wantP = new Float64Array(d.data.length);
    const wantM = new Float64Array(d.data.length);
    for (let p = 0; p < 1200; p++) {
      const s = p * C;
      const a = d.data.subarray(s, s + C);
      const b = f.data.subarray(s, s + C);
      wantP.set(ref64(Array.from(a, (x, c) => x * Math.max(0, b[c]!))), s);
      const pa = ref64(a);
      const pb = ref64(b);
      wantM.set(
        pa.map((v, c) => (2 * v + pb[c]!) / 3),
        s,
      );
    }
    expect(worstExcess(prod.data, wantP)).toBeLessThanOrEqual(0);
    // The mean mixes two float64 softmaxes: the same bound plus their own 1e−14.
    expect(worstExcess(mean.data, wantM)).toBeLessThanOrEqual(1e-14);
  });
});
