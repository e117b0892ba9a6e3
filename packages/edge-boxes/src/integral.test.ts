import { describe, expect, it } from 'vitest';
import type { EdgeGroups } from './cluster.js';
import { buildBoxIndex } from './integral.js';
import { rng } from './test-helpers.js';

/** Random id map (column-major) with long runs of −1, 0 and a few groups, so runs start and end everywhere. */
function randomGroups(w: number, h: number, seed: number): EdgeGroups {
  const r = rng(seed);
  const ids = new Int32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const u = r();
    ids[i] = i > 0 && u < 0.55 ? ids[i - 1]! : u < 0.75 ? -1 : u < 0.85 ? 0 : 1 + Math.floor(r() * 5);
  }
  const count = 6;
  const anchorX = new Int32Array(count);
  const anchorY = new Int32Array(count);
  for (let i = 0; i < w * h; i++) {
    const j = ids[i]!;
    if (j > 0) {
      anchorX[j] = Math.floor(i / h);
      anchorY[j] = i % h;
    }
  }
  const mag = Float32Array.from({ length: count }, (_, j) => (j ? 1 + j : 0));
  const z = new Float32Array(count);
  return { ids, count, mag, meanX: z, meanY: z, meanO: z, anchorX, anchorY };
}

/** Groups met walking pixels a…b, one entry per run of equal ids (the C++ walks runs, then skips ids ≤ 0). */
function runsBrute(ids: (k: number) => number, a: number, b: number): number[] {
  const out: number[] = [];
  for (let k = a; k <= b; k++) if (ids(k) > 0 && (k === a || ids(k) !== ids(k - 1))) out.push(ids(k));
  return out;
}

describe('buildBoxIndex run lists', () => {
  it('decode, for any span of a row or column, exactly the runs of groups crossing it, in order', () => {
    const w = 23;
    const h = 17;
    const g = randomGroups(w, h, 5);
    const ix = buildBoxIndex(new Float32Array(w * h), g, w, h, 0.1);
    const decode = (runs: Int32Array, base: number, c0: number, c1: number) =>
      Array.from(runs.subarray(base + (c0 >> 1) - (c0 & 1), base + (c1 >> 1)));
    let nonEmpty = 0;
    for (let y = 0; y < h; y++) {
      for (let x0 = 0; x0 < w; x0++) {
        for (let x1 = x0; x1 < w; x1++) {
          const want = runsBrute((x) => g.ids[x * h + y]!, x0, x1);
          if (want.length) nonEmpty++;
          expect(decode(ix.hRuns, y * (w + 1), ix.hIdx[x0 * h + y]!, ix.hIdx[x1 * h + y]!)).toEqual(want);
        }
      }
    }
    for (let x = 0; x < w; x++) {
      for (let y0 = 0; y0 < h; y0++) {
        for (let y1 = y0; y1 < h; y1++) {
          const want = runsBrute((y) => g.ids[x * h + y]!, y0, y1);
          expect(decode(ix.vRuns, x * (h + 1), ix.vIdx[x * h + y0]!, ix.vIdx[x * h + y1]!)).toEqual(want);
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(1000);
  });

  it('places each group magnitude at its anchor in the segment integral image', () => {
    const w = 23;
    const h = 17;
    const g = randomGroups(w, h, 9);
    const ix = buildBoxIndex(new Float32Array(w * h), g, w, h, 0.1);
    const H1 = h + 1;
    // the integral over the interior (x, y ≥ 1) is the sum of the magnitudes of groups anchored there
    let want = 0;
    for (let j = 1; j < g.count; j++) if (g.anchorX[j]! >= 1 && g.anchorY[j]! >= 1) want += g.mag[j]!;
    expect(ix.segIImg[w * H1 + h]).toBeCloseTo(want, 5);
    expect(want).toBeGreaterThan(0);
  });
});
