import { describe, expect, it } from 'vitest';
import { colorPlanes } from './colorspace.js';
import { convTri } from './convtri.js';
import { detectEdges } from './detect.js';
import { edgeNms } from './edgenms.js';
import { gradient2, gradientMag } from './gradient.js';
import { drawScene, rng } from './test-helpers.js';

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

/** edgesDetect.m's orientation step by step: gradient2 of the smoothed map, then gradient2 of each derivative. */
function refOrientation(e: Float32Array, w: number, h: number, r: number): Float32Array {
  const f = Math.fround;
  const { gx: ox, gy: oy } = gradient2(convTri(e, w, h, r), w, h);
  const { gx: oxx } = gradient2(ox, w, h);
  const { gx: oxy, gy: oyy } = gradient2(oy, w, h);
  return oxx.map((_, i) => {
    const t = f(f(oyy[i]! * Math.sign(-oxy[i]!)) / f(oxx[i]! + f(1e-5)));
    const a = f(Math.atan(t) < 0 ? Math.atan(t) + Math.PI : Math.atan(t));
    return a >= Math.PI ? 0 : a + 0;
  });
}

/** edgesNmsMex.cpp as written (s = 0, m = 1): clamped float32 bilinear samples at d = −r … r, every pixel. */
function refNms(e: Float32Array, o: Float32Array, w: number, h: number, r: number): Float32Array {
  const f = Math.fround;
  const interp = (x: number, y: number): number => {
    x = x < 0 ? 0 : x > w - 1.001 ? f(w - 1.001) : x;
    y = y < 0 ? 0 : y > h - 1.001 ? f(h - 1.001) : y;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const dx0 = f(x - x0);
    const dy0 = f(y - y0);
    const dx1 = f(1 - dx0);
    const dy1 = f(1 - dy0);
    const g = (xx: number, yy: number) => e[yy * w + xx]!;
    return f(
      f(f(f(f(g(x0, y0) * dx1) * dy1) + f(f(g(x0 + 1, y0) * dx0) * dy1)) + f(f(g(x0, y0 + 1) * dx1) * dy0)) +
        f(f(g(x0 + 1, y0 + 1) * dx0) * dy0),
    );
  };
  const out = Float32Array.from(e);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      const i = y * w + x;
      const v = e[i]!;
      if (!v) continue;
      const c = f(Math.cos(o[i]!));
      const s = f(Math.sin(o[i]!));
      for (let d = -r; d <= r; d++) {
        if (d && v < interp(f(x + f(d * c)), f(y + f(d * s)))) {
          out[i] = 0;
          break;
        }
      }
    }
  }
  return out;
}

describe('detectEdges = the stages of edgeBoxes.m / edgesDetect.m / edgesNmsMex, bit for bit', () => {
  it.each([
    ['rgb', 96, 80, {}],
    ['luv, other radii', 61, 47, { colorSpace: 'luv', smoothRadius: 2, orientationRadius: 3, nmsRadius: 1 }],
    ['rgb, tiny', 5, 3, { nmsRadius: 3 }],
  ] as const)('%s (%i×%i)', (_, w, h, opts) => {
    const img = drawScene(
      w,
      h,
      [
        { kind: 'ellipse', cx: w * 0.45, cy: h * 0.5, rx: w / 4, ry: h / 3.5, angle: 0.4, color: [220, 50, 50] },
        { kind: 'rect', cx: w * 0.7, cy: h * 0.3, rx: w / 9, ry: h / 7, angle: 0.2, color: [30, 240, 90] },
      ],
      [40, 60, 200],
      3,
    );
    const o = { smoothRadius: 4, orientationRadius: 4, nmsRadius: 2, colorSpace: 'rgb' as const, ...opts };
    const planes = colorPlanes(img, o.colorSpace).map((p) => convTri(p, w, h, o.smoothRadius));
    const raw = gradientMag(planes, w, h);
    const max = Math.max(...raw);
    const e = raw.map((v) => v / max);
    const wantO = refOrientation(e, w, h, o.orientationRadius);
    const wantE = refNms(e, wantO, w, h, o.nmsRadius);
    const got = detectEdges(img, opts);
    expect(Array.from(got.orientation)).toEqual(Array.from(wantO));
    expect(Array.from(got.magnitude)).toEqual(Array.from(wantE));
    expect(wantE.filter((v) => v > 0.1).length).toBeGreaterThan(w * h > 100 ? 10 : 0);
  });
});

describe('edgeNms against edgesNmsMex as written', () => {
  it.each([
    ['quantised values (many exact ties)', (r: () => number) => Math.floor(r() * 4) / 4],
    ['continuous values with zeros', (r: () => number) => (r() < 0.2 ? 0 : r())],
    ['subnormal and huge values', (r: () => number) => [1e-45, 3e-42, 1e-39, 0.5, 3e38][Math.floor(r() * 5)]!],
  ] as const)('bit for bit: %s', (_, value) => {
    const w = 41;
    const h = 29;
    const rand = rng(w + value(() => 0.5));
    const e = Float32Array.from({ length: w * h }, () => value(rand));
    // orientations: random, and the exact axes (ties along the normal)
    const o = Float32Array.from({ length: w * h }, (_, i) => (i % 3 ? rand() * Math.PI : (i % 4) * (Math.PI / 4)));
    for (const r of [1, 2, 3])
      expect(Array.from(edgeNms(e, o, w, h, { radius: r }))).toEqual(Array.from(refNms(e, o, w, h, r)));
  });
});
