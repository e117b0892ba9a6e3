import { createScoreMap, cropAndWarpScoreMap, resample, resizeScoreMap, type ScoreMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { FLOAT32_MAX, pasteBack, pasteInto } from './pasteback.js';
import { rng } from './test-rng.js';
import { pasteMapping, windowRegion } from './window.js';

function randomMap(w: number, h: number, c: number, seed: number, scale = 10): ScoreMap {
  const r = rng(seed);
  const m = createScoreMap(w, h, c);
  for (let i = 0; i < m.data.length; i++) m.data[i] = (r() - 0.5) * scale;
  return m;
}

/** Independent route: resize the map to the integral window's size with @deconvnet/image, then copy with clipping. */
function bruteForcePaste(
  W: number,
  H: number,
  map: ScoreMap,
  win: { x: number; y: number; width: number; height: number },
): ScoreMap {
  const C = map.channels;
  const resized = resizeScoreMap(map, win.width, win.height);
  const out = createScoreMap(W, H, C);
  for (let y = 0; y < win.height; y++) {
    for (let x = 0; x < win.width; x++) {
      const ix = win.x + x;
      const iy = win.y + y;
      if (ix < 0 || iy < 0 || ix >= W || iy >= H) continue;
      for (let c = 0; c < C; c++) out.data[(iy * W + ix) * C + c] = resized.data[(y * win.width + x) * C + c]!;
    }
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('pasteInto / pasteBack', () => {
  it('hand-worked 2×2 → 4×4 bilinear paste (half-pixel centres, replicated edges)', () => {
    // v(x, y) = x + 2y on a 2×2 map; upsampling ×2 samples source positions −0.25 (clamped to 0), 0.25, 0.75, 1.25 (→ 1).
    const map: ScoreMap = { width: 2, height: 2, channels: 1, data: new Float32Array([0, 1, 2, 3]) };
    const g = pasteBack(map, { x: 1, y: 1, width: 4, height: 4 }, 6, 6);
    const pos = [0, 0.25, 0.75, 1];
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 6; x++) {
        const inside = x >= 1 && x <= 4 && y >= 1 && y <= 4;
        const want = inside ? pos[x - 1]! + 2 * pos[y - 1]! : 0;
        expect(g.data[y * 6 + x]).toBeCloseTo(want, 6);
      }
    }
  });

  it('equals resizeScoreMap to the window size + clipped copy (integral windows, partly outside)', () => {
    const map = randomMap(24, 24, 21, 1);
    for (const win of [
      { x: 5, y: 3, width: 40, height: 31 },
      { x: -17, y: -9, width: 50, height: 50 },
      { x: 30, y: 20, width: 45, height: 12 },
      { x: -3, y: -3, width: 60, height: 50 },
    ]) {
      const got = pasteBack(map, win, 48, 36);
      const want = bruteForcePaste(48, 36, map, win);
      expect(maxAbsDiff(got.data, want.data)).toBeLessThan(1e-5);
    }
  });

  it('equals resample with pasteMapping for fractional windows', () => {
    const map = randomMap(16, 12, 3, 2);
    const win = { x: -2.3, y: 4.7, width: 23.9, height: 17.2 };
    const W = 30;
    const H = 25;
    const region = windowRegion(win, W, H)!;
    const rw = region.x1 - region.x0;
    const rh = region.y1 - region.y0;
    const dst = new Float32Array(rw * rh * 3);
    resample({
      src: map.data,
      srcWidth: 16,
      srcHeight: 12,
      channels: 3,
      dst,
      dstWidth: rw,
      dstHeight: rh,
      mapping: pasteMapping(win, 16, 12, region),
      interpolation: 'bilinear',
    });
    const got = pasteBack(map, win, W, H);
    let worst = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        for (let c = 0; c < 3; c++) {
          const inside = x >= region.x0 && x < region.x1 && y >= region.y0 && y < region.y1;
          const want = inside ? dst[((y - region.y0) * rw + (x - region.x0)) * 3 + c]! : 0;
          worst = Math.max(worst, Math.abs(got.data[(y * W + x) * 3 + c]! - want));
        }
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('round-trips a smooth map through cropAndWarpScoreMap within interpolation error', () => {
    const W = 120;
    const H = 90;
    const C = 3;
    const s = createScoreMap(W, H, C);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        s.data[(y * W + x) * C] = Math.sin(x / 9) + Math.cos(y / 7);
        s.data[(y * W + x) * C + 1] = 0.05 * x - 0.03 * y;
        s.data[(y * W + x) * C + 2] = Math.sin((x + y) / 11);
      }
    }
    for (const win of [
      { x: 10, y: 5, width: 80, height: 70 },
      { x: -20, y: -15, width: 100, height: 100 },
      { x: 40.5, y: 12.25, width: 63.5, height: 71 },
    ]) {
      const crop = cropAndWarpScoreMap(s, win, 224, 224);
      const back = pasteBack(crop, win, W, H);
      const r = windowRegion(win, W, H)!;
      let worst = 0;
      // Skip a 2 px band at the window and image borders, where the crop read its zero padding / replicated edges.
      for (let y = r.y0 + 2; y < r.y1 - 2; y++) {
        for (let x = r.x0 + 2; x < r.x1 - 2; x++) {
          if (x < 2 || y < 2 || x >= W - 2 || y >= H - 2) continue;
          for (let c = 0; c < C; c++)
            worst = Math.max(worst, Math.abs(back.data[(y * W + x) * C + c]! - s.data[(y * W + x) * C + c]!));
        }
      }
      // Linear channel 1 is reproduced exactly by bilinear up/down sampling; the sines within a few 1e-3.
      expect(worst).toBeLessThan(5e-3);
    }
  });

  it('max and sum combine pixel-wise with the canvas; coverage counts pasted pixels', () => {
    const W = 20;
    const H = 15;
    const a = randomMap(7, 5, 4, 3);
    const b = randomMap(9, 9, 4, 4);
    const wa = { x: -3, y: 2, width: 14, height: 10 };
    const wb = { x: 6, y: -4, width: 18, height: 18 };
    const ga = bruteForcePaste(W, H, a, wa);
    const gb = bruteForcePaste(W, H, b, wb);
    const cover = new Uint32Array(W * H);
    const mx = createScoreMap(W, H, 4);
    pasteInto(mx, a, wa, { combine: 'max', coverage: cover });
    pasteInto(mx, b, wb, { combine: 'max', coverage: cover });
    const sm = createScoreMap(W, H, 4);
    pasteInto(sm, a, wa, { combine: 'sum' });
    pasteInto(sm, b, wb, { combine: 'sum' });
    for (let p = 0; p < W * H; p++) {
      const x = p % W;
      const y = (p / W) | 0;
      const inA = x >= 0 && x < 11 && y >= 2 && y < 12 ? 1 : 0;
      const inB = x >= 6 && y < 14 ? 1 : 0;
      expect(cover[p]).toBe(inA + inB);
      for (let c = 0; c < 4; c++) {
        const i = p * 4 + c;
        expect(mx.data[i]).toBeCloseTo(Math.max(0, ga.data[i]!, gb.data[i]!), 5);
        expect(sm.data[i]).toBeCloseTo(ga.data[i]! + gb.data[i]!, 5);
      }
    }
  });

  it('max with a floor skips channels that cannot exceed it, with identical results', () => {
    // Real score maps: a few classes positive in blobs, the rest negative everywhere (and a row of −Infinity).
    const C = 21;
    const map = randomMap(30, 26, C, 9, 2);
    for (let y = 0; y < 26; y++) {
      for (let x = 0; x < 30; x++) {
        for (let c = 0; c < C; c++) {
          const i = (y * 30 + x) * C + c;
          const blob =
            c === 0 ||
            (c === 7 && x > 10 && x < 20 && y > 8 && y < 18) ||
            (c === 12 && y < 3) ||
            // Classes positive only in the first / last column: the row masks must include the edge taps.
            (c === 15 && x === 29 && y > 4 && y < 11) ||
            (c === 16 && x === 0 && y > 11 && y < 15);
          map.data[i] = blob ? Math.abs(map.data[i]!) + 0.1 : -Math.abs(map.data[i]!) - 0.1;
          if (y === 20 && c === 3) map.data[i] = Number.NEGATIVE_INFINITY;
        }
      }
    }
    for (const win of [
      { x: -7, y: 3, width: 61, height: 50 },
      { x: 5, y: -2, width: 17, height: 13 },
      { x: 2.5, y: 1.25, width: 40.5, height: 33 },
    ]) {
      for (const floor of [0, -1, 0.5]) {
        const init = (): ScoreMap => {
          const m = randomMap(48, 40, C, 10, 4);
          for (let i = 0; i < m.data.length; i++) m.data[i] = Math.max(floor, m.data[i]!);
          return m;
        };
        const dense = init();
        const skip = init();
        const cd = new Uint32Array(48 * 40);
        const cs = new Uint32Array(48 * 40);
        pasteInto(dense, map, win, { combine: 'max', coverage: cd });
        pasteInto(skip, map, win, { combine: 'max', coverage: cs, floor });
        expect(maxAbsDiff(dense.data, skip.data)).toBe(0);
        expect([...cs]).toEqual([...cd]);
        // The paste did change the canvas, so the comparison is not vacuous.
        expect(maxAbsDiff(dense.data, init().data)).toBeGreaterThan(0);
      }
    }
  });

  it('rows: only those canvas rows (and their coverage) are written; bands reassemble the full paste', () => {
    for (const C of [2, 6]) {
      const map = randomMap(9, 7, C, 21);
      const win = { x: -3.4, y: 2.6, width: 17.3, height: 13.9 };
      const full = createScoreMap(16, 14, C, -1);
      const fullCover = new Uint32Array(16 * 14);
      pasteInto(full, map, win, { combine: 'sum', coverage: fullCover });
      const banded = createScoreMap(16, 14, C, -1);
      const cover = new Uint32Array(16 * 14);
      for (let y = 0; y < 14; y += 4)
        pasteInto(banded, map, win, { combine: 'sum', coverage: cover, rows: { start: y, end: y + 4 } });
      expect([...banded.data]).toEqual([...full.data]);
      expect([...cover]).toEqual([...fullCover]);
      const part = createScoreMap(16, 14, C, -1);
      const partCover = new Uint32Array(16 * 14);
      const region = pasteInto(part, map, win, { combine: 'sum', coverage: partCover, rows: { start: 5, end: 8 } });
      expect(region).toEqual({ x0: 0, y0: 3, x1: 14, y1: 14 }); // the whole clipped region, as without rows
      for (let y = 0; y < 14; y++) {
        const row = part.data.subarray(y * 16 * C, (y + 1) * 16 * C);
        const want =
          y >= 5 && y < 8 ? full.data.subarray(y * 16 * C, (y + 1) * 16 * C) : new Float32Array(16 * C).fill(-1);
        expect([...row]).toEqual([...want]);
        expect([...partCover.subarray(y * 16, (y + 1) * 16)]).toEqual(
          y >= 5 && y < 8 ? [...fullCover.subarray(y * 16, (y + 1) * 16)] : Array(16).fill(0),
        );
      }
      expect(() => pasteInto(part, map, win, { rows: { start: 3, end: 1 } })).toThrow(/rows/);
    }
  });

  it('a window that misses the image touches nothing', () => {
    const canvas = createScoreMap(10, 10, 2);
    const cover = new Uint32Array(100);
    expect(
      pasteInto(
        canvas,
        randomMap(4, 4, 2, 5),
        { x: 10, y: 0, width: 5, height: 5 },
        { combine: 'sum', coverage: cover },
      ),
    ).toBeNull();
    expect(canvas.data.every((v) => v === 0)).toBe(true);
    expect(cover.every((v) => v === 0)).toBe(true);
  });

  it('clamps ±Infinity and NaN to ±FLOAT32_MAX instead of producing NaN', () => {
    const map: ScoreMap = {
      width: 2,
      height: 1,
      channels: 3,
      data: new Float32Array([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN, 0, 0, 0]),
    };
    const g = pasteBack(map, { x: 0, y: 0, width: 4, height: 1 }, 4, 1);
    expect(g.data.some(Number.isNaN)).toBe(false);
    // Pixel 0 reads the first source pixel only (clamped tap).
    expect(g.data[0]).toBe(-FLOAT32_MAX);
    expect(g.data[1]).toBe(FLOAT32_MAX);
    expect(g.data[2]).toBe(-FLOAT32_MAX);
    // Pixel 1 mixes 3/4 of the first with 1/4 of the second source pixel.
    expect(g.data[3]).toBeCloseTo(-0.75 * FLOAT32_MAX, -33);
    expect(g.data[4]).toBeCloseTo(0.75 * FLOAT32_MAX, -33);
    const mx = createScoreMap(4, 1, 3);
    pasteInto(mx, map, { x: 0, y: 0, width: 4, height: 1 }, { combine: 'max', floor: 0 });
    expect(mx.data[0]).toBe(0);
    expect(mx.data[1]).toBe(FLOAT32_MAX);
  });

  it('rejects channel mismatches and invalid windows', () => {
    const canvas = createScoreMap(5, 5, 2);
    expect(() => pasteInto(canvas, randomMap(3, 3, 3, 6), { x: 0, y: 0, width: 3, height: 3 })).toThrow(/channels/);
    expect(() => pasteInto(canvas, randomMap(3, 3, 2, 6), { x: 0, y: 0, width: Number.NaN, height: 3 })).toThrow(
      /window/,
    );
  });
});
