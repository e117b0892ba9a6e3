import { describe, expect, it } from 'vitest';
import { groupAffinities } from './affinity.js';
import { clusterEdges } from './cluster.js';
import { buildBoxIndex } from './integral.js';
import { BoxScorer } from './score.js';

const PARAMS = { edgeMinMag: 0.1, edgeMergeThr: 0.5, clusterMinMag: 0.5 };

/** Column-major E/O of a 1-pixel ring (E = 1) with radial normals. */
function ringMaps(w: number, h: number, cx: number, cy: number, r: number) {
  const E = new Float32Array(w * h);
  const O = new Float32Array(w * h);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      if (Math.abs(Math.hypot(x - cx, y - cy) - r) < 0.5) {
        E[x * h + y] = 1;
        O[x * h + y] = (Math.atan2(y - cy, x - cx) + Math.PI) % Math.PI;
      }
    }
  }
  return { E, O };
}

describe('clusterEdges', () => {
  it('assigns every strong interior pixel; stats and anchors agree with a direct recomputation', () => {
    const w = 48;
    const h = 40;
    const { E, O } = ringMaps(w, h, 23.3, 19.6, 13);
    const g = clusterEdges(E, O, w, h, PARAMS);
    expect(g.count).toBeGreaterThan(2); // a full circle turns by π: more than one group
    const mag = new Float64Array(g.count);
    const sx = new Float64Array(g.count);
    const last = new Int32Array(g.count).fill(-1);
    for (let x = 0; x < w; x++) {
      for (let y = 0; y < h; y++) {
        const id = g.ids[x * h + y]!;
        if (E[x * h + y]! > 0.1) {
          expect(id).toBeGreaterThan(0);
          mag[id] = mag[id]! + E[x * h + y]!;
          sx[id] = sx[id]! + E[x * h + y]! * x;
          last[id] = x * h + y; // x outer, y inner: the last visit is the anchor
        } else expect(id).toBe(-1);
      }
    }
    for (let j = 1; j < g.count; j++) {
      expect(g.mag[j]).toBeCloseTo(mag[j]!, 4);
      expect(g.meanX[j]).toBeCloseTo(sx[j]! / mag[j]!, 3);
      expect(g.anchorX[j]! * h + g.anchorY[j]!).toBe(last[j]);
    }
  });

  it('keeps a straight run of constant orientation as one group and numbers groups in x-outer scan order', () => {
    const w = 30;
    const h = 30;
    const E = new Float32Array(w * h);
    const O = new Float32Array(w * h);
    for (let y = 3; y < 27; y++) {
      E[5 * h + y] = 0.9; // vertical line at x = 5 → first in scan order
      E[20 * h + y] = 0.8; // second line at x = 20
    }
    const g = clusterEdges(E, O, w, h, PARAMS);
    expect(g.count).toBe(3);
    expect(g.ids[5 * h + 10]).toBe(1);
    expect(g.ids[20 * h + 10]).toBe(2);
    expect([g.anchorX[1], g.anchorY[1]]).toEqual([5, 26]);
  });

  it('dissolves groups with Σ E ≤ clusterMinMag unless they touch another group', () => {
    const w = 30;
    const h = 30;
    const E = new Float32Array(w * h);
    const O = new Float32Array(w * h);
    for (let y = 3; y < 20; y++) E[5 * h + y] = 0.9;
    // isolated fragment: two pixels of 0.2 → Σ 0.4 ≤ 0.5: dropped
    E[20 * h + 10] = 0.2;
    E[20 * h + 11] = 0.2;
    // fragment touching the line's end with a very different orientation: its own group, then merged
    E[6 * h + 20] = 0.3;
    O[6 * h + 20] = 1.5;
    const g = clusterEdges(E, O, w, h, PARAMS);
    expect(g.ids[20 * h + 10]).toBe(0);
    expect(g.ids[6 * h + 20]).toBe(g.ids[5 * h + 10]);
    expect(g.count).toBe(2);
  });
});

describe('BoxScorer (scoreBox)', () => {
  const w = 60;
  const h = 60;
  const { E, O } = ringMaps(w, h, 30, 30, 10);
  const g = clusterEdges(E, O, w, h, PARAMS);
  const aff = groupAffinities(g, w, h, 2);
  const ix = buildBoxIndex(E, g, w, h, 0.1);
  let total = 0;
  for (const v of E) total += v;

  it('a box enclosing the ring with its centre quarter free of edges scores ΣE / (⌊w/2⌋+⌊h/2⌋)^1.5', () => {
    const s = new BoxScorer(w, h, g, aff, ix, 0.01, 1.5);
    // inclusive pixels 18…42: w = 24, ⌊w/2⌋ = 12; inner box 24…36 holds no ring pixel (ring spans 20…40)
    const v = s.score(18, 18, 24, 24);
    expect(v).toBeCloseTo(total / 24 ** 1.5, 5);
    expect([s.x, s.y, s.w, s.h]).toEqual([18, 18, 24, 24]);
  });

  it('subtracts the edge magnitude inside the centre box (h_b^in)', () => {
    const s = new BoxScorer(w, h, g, aff, ix, 0, 1.5);
    // inclusive pixels 10…50: inner box 20…40 holds the whole ring → ΣE − ΣE = 0
    expect(s.score(10, 10, 40, 40)).toBe(0);
  });

  it('removes groups cut by the box and those connected to them by high affinity', () => {
    const s = new BoxScorer(w, h, g, aff, ix, 0, 1.5);
    const whole = s.score(18, 18, 24, 24);
    // left half: the ring crosses the top/bottom sides; the arcs inside are connected to the cut ones
    const half = s.score(18, 18, 12, 24);
    let inside = 0;
    for (let x = 18; x <= 30; x++) for (let y = 18; y <= 42; y++) inside += E[x * h + y]!;
    const noWeights = (inside - 0) / (6 + 12) ** 1.5; // the left half's centre box holds no ring pixel
    expect(half).toBeLessThan(0.5 * noWeights);
    expect(half).toBeLessThan(whole);
  });

  it('clamps boxes to the image and returns 0 below minScore or without edges', () => {
    const s = new BoxScorer(w, h, g, aff, ix, 0.01, 1.5);
    expect(s.score(-5, -5, 20, 20)).toBe(0); // empty corner
    expect([s.x, s.y, s.w, s.h]).toEqual([0, 0, 15, 15]);
    s.score(50, 50, 30, 30);
    expect([s.x, s.y, s.w, s.h]).toEqual([50, 50, 9, 9]);
    const strict = new BoxScorer(w, h, g, aff, ix, 10, 1.5);
    expect(strict.score(18, 18, 24, 24)).toBe(0);
  });
});
