import { describe, expect, it } from 'vitest';
import { detectEdges } from './detect.js';
import { drawScene } from './test-helpers.js';

describe('detectEdges (gradient detector of edgeBoxes.m)', () => {
  const W = 96;
  const H = 80;
  const cx = 47.3;
  const cy = 41.8;
  const R = 25;
  const img = drawScene(
    W,
    H,
    [{ kind: 'ellipse', cx, cy, rx: R, ry: R, angle: 0, color: [220, 50, 50] }],
    [40, 60, 200],
    2,
  );

  it('returns a thin map in [0, 1] on the object boundary, with radial normals', () => {
    const e = detectEdges(img);
    expect(e.width).toBe(W);
    expect(e.height).toBe(H);
    let max = 0;
    const angles = new Set<number>();
    let strong = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        const m = e.magnitude[i]!;
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual(1);
        expect(e.orientation[i]).toBeGreaterThanOrEqual(0);
        expect(e.orientation[i]).toBeLessThan(Math.PI);
        max = Math.max(max, m);
        if (m > 0.3) {
          strong++;
          // on the circle (pixel centres), up to the discretisation of the thin ridge
          expect(Math.abs(Math.hypot(x + 0.5 - cx, y + 0.5 - cy) - R)).toBeLessThan(1.6);
          angles.add(Math.round((Math.atan2(y - cy, x - cx) * 18) / Math.PI));
        }
      }
    }
    expect(max).toBeGreaterThan(0.5); // normalised by the un-thinned maximum
    expect(angles.size).toBeGreaterThanOrEqual(34); // the whole circle (36 bins of 10°) is found
    expect(strong).toBeLessThan(2.5 * 2 * Math.PI * R); // thin: about one pixel across
  });

  it('thinning removes most pixels of the raw gradient map; options are honoured', () => {
    const thin = detectEdges(img);
    const raw = detectEdges(img, { nmsRadius: 0 });
    const count = (a: Float32Array) => a.filter((v) => v > 0.1).length;
    expect(count(raw.magnitude)).toBeGreaterThan(3 * count(thin.magnitude));
    expect(raw.orientation).toEqual(thin.orientation); // orientation comes from the un-thinned map
    const luv = detectEdges(img, { colorSpace: 'luv' });
    const ms = detectEdges(img, { scales: [1, 0.5] });
    for (const v of [luv, ms]) {
      expect(count(v.magnitude)).toBeGreaterThan(0.5 * count(thin.magnitude));
      expect(count(v.magnitude)).toBeLessThan(2 * count(thin.magnitude));
    }
  });

  it('a flat image has no edges', () => {
    const e = detectEdges({ width: 20, height: 10, data: new Uint8Array(600).fill(9) });
    expect(e.magnitude.every((v) => v === 0)).toBe(true);
  });
});
