import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Combine, FLOAT32_MAX, type Mapping, type ResampleArgs, resample, resampleBatch } from './resample.js';
import { createScoreCanvas } from './score-canvas.js';
import { simdAvailable } from './simd-kernel.js';
import { createScoreMap } from './types.js';

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** Brute force: one output value from the textbook formula (float64), half-pixel centres, taps clamped or filled. */
function bruteForce(
  src: Float32Array,
  sw: number,
  sh: number,
  C: number,
  m: Mapping,
  fill: number[] | undefined,
  ox: number,
  oy: number,
  c: number,
): number {
  const get = (x: number, y: number) => {
    if (!fill) {
      x = Math.min(Math.max(x, 0), sw - 1);
      y = Math.min(Math.max(y, 0), sh - 1);
    } else if (x < 0 || y < 0 || x >= sw || y >= sh) return fill[c]!;
    return src[(y * sw + x) * C + c]!;
  };
  let sx = m.offsetX + (ox + 0.5) * m.scaleX - 0.5;
  let sy = m.offsetY + (oy + 0.5) * m.scaleY - 0.5;
  if (!fill) {
    sx = Math.min(Math.max(sx, 0), sw - 1);
    sy = Math.min(Math.max(sy, 0), sh - 1);
  }
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const tx = sx - x0;
  const ty = sy - y0;
  const top = (1 - tx) * get(x0, y0) + tx * get(x0 + 1, y0);
  const bottom = (1 - tx) * get(x0, y0 + 1) + tx * get(x0 + 1, y0 + 1);
  return (1 - ty) * top + ty * bottom;
}

function merge(combine: Combine, d: number, v: number): number {
  if (combine === 'add') return d + v;
  if (combine === 'set') return v;
  if (v > d) return v; // a select, not Math.max: NaN v keeps d (the kernel's rule)
  return d;
}

describe('resample into part of a larger buffer, with combine', () => {
  // C = 3 runs the JS loops, C ≥ 4 the SIMD kernel (where available): both against the same brute force.
  for (const C of [1, 3, 4, 5, 21]) {
    for (const target of ['array', 'canvas'] as const) {
      it(`matches a brute-force reference (C=${C}, ${target} destination, set/max/add, fill and edges)`, () => {
        const r = rng(C * 7 + (target === 'canvas' ? 1 : 0));
        for (let trial = 0; trial < 6; trial++) {
          const sw = 3 + Math.floor(r() * 20);
          const sh = 3 + Math.floor(r() * 20);
          const src = new Float32Array(sw * sh * C).map(() => r() * 20 - 10);
          const dw = 1 + Math.floor(r() * 30);
          const dh = 1 + Math.floor(r() * 30);
          const W = dw + Math.floor(r() * 7);
          const H = dh + Math.floor(r() * 5);
          const ox0 = Math.floor(r() * (W - dw + 1));
          const oy0 = Math.floor(r() * (H - dh + 1));
          const m: Mapping = {
            scaleX: (0.2 + r() * 2) * (sw / dw),
            scaleY: (0.2 + r() * 2) * (sh / dh),
            offsetX: r() * 6 - 3,
            offsetY: r() * 6 - 3,
          };
          const fill = trial % 2 ? Array.from({ length: C }, () => r() * 4 - 2) : undefined;
          for (const combine of ['set', 'max', 'add'] as const) {
            const canvas = target === 'canvas' ? createScoreCanvas(W, H, C) : createScoreMap(W, H, C);
            canvas.data.set(new Float32Array(W * H * C).map(() => r() * 20 - 10));
            const before = canvas.data.slice();
            resample({
              src,
              srcWidth: sw,
              srcHeight: sh,
              channels: C,
              dst: canvas.data,
              dstWidth: dw,
              dstHeight: dh,
              dstStride: W * C,
              dstOffset: (oy0 * W + ox0) * C,
              mapping: m,
              interpolation: 'bilinear',
              combine,
              ...(fill ? { fill } : {}),
            });
            const got = canvas.data;
            let worst = 0;
            for (let y = 0; y < H; y++) {
              for (let x = 0; x < W; x++) {
                const inside = x >= ox0 && x < ox0 + dw && y >= oy0 && y < oy0 + dh;
                for (let c = 0; c < C; c++) {
                  const i = (y * W + x) * C + c;
                  const want = inside
                    ? merge(combine, before[i]!, bruteForce(src, sw, sh, C, m, fill, x - ox0, y - oy0, c))
                    : before[i]!;
                  worst = Math.max(worst, Math.abs(got[i]! - want));
                }
              }
            }
            expect(worst).toBeLessThan(2e-5);
          }
        }
      });
    }
  }

  it('resampleBatch equals resample of each call in order, bit for bit, whatever the band height', () => {
    const r = rng(2024);
    for (const C of [3, 5, 21]) {
      for (const target of ['array', 'canvas'] as const) {
        const W = 29;
        const H = 23;
        const init = new Float32Array(W * H * C).map(() => r() * 20 - 10);
        const make = () => {
          const d = target === 'canvas' ? createScoreCanvas(W, H, C) : createScoreMap(W, H, C);
          d.data.set(init);
          return d;
        };
        // Up- and downsampling, edge replication and fill, max / add / set, a non-finite map, partial rows.
        const specs = Array.from({ length: 7 }, (_, i) => {
          const sw = 3 + Math.floor(r() * 12);
          const sh = 3 + Math.floor(r() * 12);
          const src = new Float32Array(sw * sh * C).map(() => r() * 20 - 10);
          if (i === 3) {
            src[5] = Number.POSITIVE_INFINITY;
            src[7] = Number.NaN;
            src[9] = -3e38;
          }
          const dw = 1 + Math.floor(r() * (W - 1));
          const dh = 1 + Math.floor(r() * (H - 1));
          const x0 = Math.floor(r() * (W - dw + 1));
          const y0 = Math.floor(r() * (H - dh + 1));
          return {
            src,
            srcWidth: sw,
            srcHeight: sh,
            channels: C,
            dstWidth: dw,
            dstHeight: dh,
            dstStride: W * C,
            dstOffset: (y0 * W + x0) * C,
            mapping: {
              scaleX: sw / (dw * (0.6 + r())),
              scaleY: sh / (dh * (0.6 + r())),
              offsetX: r() - 0.5,
              offsetY: r() - 0.5,
            },
            interpolation: 'bilinear' as const,
            combine: (['max', 'add', 'max', 'max', 'set', 'add', 'max'] as const)[i],
            clampNonFinite: i !== 5,
            ...(i === 2 ? { fill: Array.from({ length: C }, (_, c) => c - 1) } : {}),
            ...(i === 6 ? { rows: { start: Math.floor(dh / 3), end: dh } } : {}),
          };
        });
        const seq = make();
        for (const s of specs) resample({ ...s, dst: seq.data });
        const want = Buffer.from(seq.data.buffer, seq.data.byteOffset, seq.data.byteLength);
        for (const bandRows of [1, 3, 8, Number.POSITIVE_INFINITY]) {
          const got = make();
          resampleBatch(
            specs.map((s): ResampleArgs<Float32Array> => ({ ...s, dst: got.data })),
            { bandRows },
          );
          expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength)).toEqual(want);
        }
      }
    }
    const a = createScoreMap(4, 4, 5);
    const b = createScoreMap(4, 4, 5);
    const call = {
      src: new Float32Array(4 * 4 * 5),
      srcWidth: 4,
      srcHeight: 4,
      channels: 5,
      dstWidth: 4,
      dstHeight: 4,
      mapping: { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 },
      interpolation: 'bilinear' as const,
    };
    expect(() =>
      resampleBatch([
        { ...call, dst: a.data },
        { ...call, dst: b.data },
      ]),
    ).toThrow(/same dst/);
    expect(() => resampleBatch([{ ...call, dst: a.data }], { bandRows: 0 })).toThrow(/bandRows/);
    expect(() => resampleBatch([{ ...call, dst: a.data, dstOffset: 5 }])).toThrow(/overruns/);
  });

  it('rows [start, end): bands of a resample reassemble the full call bit for bit, other rows untouched', () => {
    const r = rng(99);
    for (const C of [3, 5, 21]) {
      for (const target of ['array', 'canvas'] as const) {
        for (const interpolation of ['bilinear', 'nearest'] as const) {
          const sw = 9;
          const sh = 7;
          const src = new Float32Array(sw * sh * C).map(() => r() * 20 - 10);
          const W = 23;
          const H = 19;
          const m: Mapping = { scaleX: sw / 21, scaleY: sh / 17.3, offsetX: -0.7, offsetY: 0.3 };
          const base = { src, srcWidth: sw, srcHeight: sh, channels: C, dstWidth: 21, dstHeight: 17 };
          const init = new Float32Array(W * H * C).map(() => r() * 20 - 10);
          const make = () => {
            const d = target === 'canvas' ? createScoreCanvas(W, H, C) : createScoreMap(W, H, C);
            d.data.set(init);
            return d;
          };
          const args = { ...base, dstStride: W * C, dstOffset: (1 * W + 2) * C, mapping: m, interpolation };
          const full = make();
          resample({ ...args, dst: full.data, combine: 'max', clampNonFinite: true });
          const banded = make();
          for (const [start, end] of [
            [0, 1],
            [1, 5],
            [5, 5],
            [5, 16],
            [16, 17],
          ] as const)
            resample({ ...args, dst: banded.data, combine: 'max', clampNonFinite: true, rows: { start, end } });
          expect(Buffer.from(banded.data.buffer, banded.data.byteOffset, banded.data.byteLength)).toEqual(
            Buffer.from(full.data.buffer, full.data.byteOffset, full.data.byteLength),
          );
          // Only rows [3, 6) of the output (image rows 4..6) change.
          const part = make();
          resample({ ...args, dst: part.data, rows: { start: 3, end: 6 } });
          for (let y = 0; y < H; y++) {
            const row = part.data.subarray(y * W * C, (y + 1) * W * C);
            const was = init.subarray(y * W * C, (y + 1) * W * C);
            expect([...row].every((v, i) => v === was[i])).toBe(y < 4 || y >= 7);
          }
        }
      }
    }
    const u8 = new Uint8Array(6 * 6 * 3).map((_, i) => (i * 37) % 256);
    const a = new Uint8Array(8 * 8 * 3);
    const b = new Uint8Array(8 * 8 * 3);
    const m: Mapping = { scaleX: 0.75, scaleY: 0.75, offsetX: 0, offsetY: 0 };
    const u8args = { src: u8, srcWidth: 6, srcHeight: 6, channels: 3, dstWidth: 8, dstHeight: 8, mapping: m };
    resample({ ...u8args, dst: a, interpolation: 'bilinear' });
    resample({ ...u8args, dst: b, interpolation: 'bilinear', rows: { start: 0, end: 3 } });
    resample({ ...u8args, dst: b, interpolation: 'bilinear', rows: { start: 3, end: 8 } });
    expect([...b]).toEqual([...a]);
    expect(() => resample({ ...u8args, dst: b, interpolation: 'bilinear', rows: { start: 2, end: 9 } })).toThrow(
      /rows/,
    );
  });

  it('rejects an output window that overruns dst and an unknown combine', () => {
    const args = {
      src: new Float32Array(4 * 4 * 4),
      srcWidth: 4,
      srcHeight: 4,
      channels: 4,
      dst: new Float32Array(10 * 10 * 4),
      dstWidth: 5,
      dstHeight: 5,
      mapping: { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 },
      interpolation: 'bilinear' as const,
    };
    expect(() => resample({ ...args, dstStride: 40, dstOffset: 6 * 40 })).toThrow(/overruns dst/);
    expect(() => resample({ ...args, dstStride: 8 })).toThrow(/dstStride/);
    expect(() => resample({ ...args, combine: 'min' as Combine })).toThrow(/combine/);
  });
});

describe('non-finite inputs', () => {
  it('huge finite values (|v| ≥ 2^126) next to ordinary rows interpolate without overflow (fast path only for tame rows)', () => {
    // Row 2 holds ±3.3e38, rows 1 and 3 ∓8e37 (just under 2^126, tame): b − a overflows float32 between them unless
    // the kernel repairs it, so the fast path (rows tameRow vouched for) must be off whenever either row is huge.
    for (const C of [4, 5]) {
      const sw = 5;
      const sh = 6;
      const src = new Float32Array(sw * sh * C);
      for (let y = 0; y < sh; y++)
        for (let i = 0; i < sw * C; i++)
          src[y * sw * C + i] =
            y === 2 ? (i % 2 ? 3.3e38 : -3.3e38) : y === 1 || y === 3 ? (i % 2 ? -8e37 : 8e37) : (i % 7) - 3;
      src[4 * sw * C + 3] = 3.3e38; // one huge value in an otherwise ordinary row
      const dw = 13;
      const dh = 17;
      const m: Mapping = { scaleX: sw / dw, scaleY: sh / dh, offsetX: 0, offsetY: 0 };
      for (const target of ['array', 'canvas'] as const) {
        const d = target === 'canvas' ? createScoreCanvas(dw, dh, C) : createScoreMap(dw, dh, C);
        resample({
          src,
          srcWidth: sw,
          srcHeight: sh,
          channels: C,
          dst: d.data,
          dstWidth: dw,
          dstHeight: dh,
          mapping: m,
          interpolation: 'bilinear',
        });
        let worst = 0;
        for (let y = 0; y < dh; y++)
          for (let x = 0; x < dw; x++)
            for (let c = 0; c < C; c++) {
              const got = d.data[(y * dw + x) * C + c]!;
              expect(Number.isFinite(got)).toBe(true);
              const want = bruteForce(src, sw, sh, C, m, undefined, x, y, c);
              worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
            }
        expect(worst).toBeLessThan(1e-5);
      }
    }
  });

  for (const C of [1, 4]) {
    it(`an infinite tap with weight gives that infinity, weight 0 ignores it, opposite infinities give NaN (C=${C})`, () => {
      // Source row [+Inf, 5, −Inf]; 1×3 → 1×6 upsampling puts outputs between the taps.
      const src = new Float32Array(3 * C);
      for (let c = 0; c < C; c++) {
        src[c] = Number.POSITIVE_INFINITY;
        src[C + c] = 5;
        src[2 * C + c] = Number.NEGATIVE_INFINITY;
      }
      const dst = new Float32Array(6 * C);
      const run = (mapping: Mapping, out = dst, dw = 6) =>
        resample({
          src,
          srcWidth: 3,
          srcHeight: 1,
          channels: C,
          dst: out,
          dstWidth: dw,
          dstHeight: 1,
          mapping,
          interpolation: 'bilinear',
        });
      run({ scaleX: 0.5, scaleY: 1, offsetX: 0, offsetY: 0 });
      // Positions −0.25 (clamped: +Inf exactly), 0.25, 0.75 (mix +Inf and 5 → +Inf), 1.25, 1.75 (mix 5, −Inf → −Inf), 2.25 (clamped).
      const want = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
      for (let o = 0; o < 6; o++) for (let c = 0; c < C; c++) expect(dst[o * C + c]).toBe(want[o]);
      // Exactly on the middle pixel (t = 0): the infinite neighbours carry no weight.
      const one = new Float32Array(C);
      run({ scaleX: 1, scaleY: 1, offsetX: 1, offsetY: 0 }, one, 1);
      for (let c = 0; c < C; c++) expect(one[c]).toBe(5);
      // Between +Inf and −Inf with both weighted: undefined, NaN.
      const src2 = new Float32Array(2 * C);
      for (let c = 0; c < C; c++) {
        src2[c] = Number.POSITIVE_INFINITY;
        src2[C + c] = Number.NEGATIVE_INFINITY;
      }
      const mid = new Float32Array(C);
      resample({
        src: src2,
        srcWidth: 2,
        srcHeight: 1,
        channels: C,
        dst: mid,
        dstWidth: 1,
        dstHeight: 1,
        mapping: { scaleX: 2, scaleY: 1, offsetX: 0, offsetY: 0 },
        interpolation: 'bilinear',
      });
      for (let c = 0; c < C; c++) expect(mid[c]).toBeNaN();
      // clampNonFinite: ±FLOAT32_MAX mixes to a finite value (0 here), NaN reads as −FLOAT32_MAX.
      src2[0] = Number.NaN;
      resample({
        src: src2,
        srcWidth: 2,
        srcHeight: 1,
        channels: C,
        dst: mid,
        dstWidth: 1,
        dstHeight: 1,
        mapping: { scaleX: 2, scaleY: 1, offsetX: 0, offsetY: 0 },
        interpolation: 'bilinear',
        clampNonFinite: true,
      });
      expect(mid[0]).toBe(-FLOAT32_MAX);
      for (let c = 1; c < C; c++) expect(mid[c]).toBe(0);
    });
  }
});

describe('createScoreCanvas', () => {
  it('keeps its contents when a later resample grows the kernel memory (fresh view through data)', () => {
    const canvas = createScoreCanvas(8, 8, 4, 1.5);
    expect(canvas.data.every((v) => v === 1.5)).toBe(true);
    // A very wide source needs more scratch than the first page of memory holds.
    const sw = 40000;
    const src = new Float32Array(sw * 2 * 4).fill(7);
    resample({
      src,
      srcWidth: sw,
      srcHeight: 2,
      channels: 4,
      dst: canvas.data,
      dstWidth: 2,
      dstHeight: 2,
      dstStride: 8 * 4,
      dstOffset: 0,
      mapping: { scaleX: sw / 2, scaleY: 1, offsetX: 0, offsetY: 0 },
      interpolation: 'bilinear',
      combine: 'max',
    });
    const d = canvas.data;
    expect(d.length).toBe(8 * 8 * 4);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++)
        for (let c = 0; c < 4; c++) expect(d[(y * 8 + x) * 4 + c]).toBe(x < 2 && y < 2 ? 7 : 1.5);
  });

  it('uses the SIMD kernel on Node 20 (WebAssembly SIMD is available)', () => {
    expect(simdAvailable()).toBe(true);
  });
});

describe('committed wasm bytes', () => {
  const wabtInstalled = existsSync(fileURLToPath(new URL('../../../node_modules/wabt/package.json', import.meta.url)));
  it.runIf(wabtInstalled)('equal a fresh wat2wasm build of src/wasm/resample.wat', async () => {
    const script = fileURLToPath(new URL('../../../scripts/wat-to-ts.mjs', import.meta.url));
    const { buildWat, renderWasmModule } = await import(script);
    const wat = fileURLToPath(new URL('./wasm/resample.wat', import.meta.url));
    const committed = readFileSync(fileURLToPath(new URL('./wasm/resamplebytes.ts', import.meta.url)), 'utf8');
    expect(renderWasmModule(await buildWat(wat), 'resample.wat', 'RESAMPLE_WASM_BASE64')).toBe(committed);
  });
});
