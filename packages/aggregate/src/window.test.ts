import { createRgbImage, enlargeBox, makeSquare } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import {
  cropMapping,
  cropToImage,
  cropWindow,
  imageToCrop,
  pasteMapping,
  proposalWindow,
  windowRegion,
} from './window.js';

describe('proposalWindow', () => {
  it('enlarges 1.2× about the centre and squares to the longer side (hand-worked)', () => {
    // 100×50 box centred at (60, 45): 1.2× → 120×60, square → 120×120 at (0, −15).
    const w = proposalWindow({ x: 10, y: 20, width: 100, height: 50, score: 0.7 });
    expect(w).toEqual({ x: 0, y: -15, width: 120, height: 120, score: 0.7 });
  });

  it('without squaring keeps the aspect ratio; rounding goes outwards', () => {
    expect(proposalWindow({ x: 10, y: 20, width: 100, height: 50 }, { square: false })).toEqual({
      x: 0,
      y: 15,
      width: 120,
      height: 60,
    });
    // 1.1× of 10×10 at (0,0): 11×11 at (−0.5, −0.5) → rounded out to (−1, −1, 12, 12).
    expect(proposalWindow({ x: 0, y: 0, width: 10, height: 10 }, { scale: 1.1 })).toEqual({
      x: -1,
      y: -1,
      width: 12,
      height: 12,
    });
    expect(proposalWindow({ x: 0, y: 0, width: 10, height: 10 }, { scale: 1.1, round: false })).toEqual({
      x: -0.5,
      y: -0.5,
      width: 11,
      height: 11,
    });
  });

  it('matches enlargeBox + makeSquare of @deconvnet/image and rejects bad input', () => {
    const b = { x: 3.3, y: 7.1, width: 41.7, height: 90.2 };
    expect(proposalWindow(b, { round: false })).toEqual(makeSquare(enlargeBox(b, 1.2)));
    expect(() => proposalWindow({ x: 0, y: 0, width: 0, height: 5 })).toThrow(/proposalWindow/);
    expect(() => proposalWindow(b, { scale: -1 })).toThrow(/scale/);
  });
});

describe('crop geometry', () => {
  const win = { x: -13, y: 20, width: 91, height: 57 };

  it('cropToImage and imageToCrop are exact inverses', () => {
    for (const [u, v] of [
      [0, 0],
      [224, 224],
      [17.25, 100.5],
    ] as const) {
      const p = cropToImage(win, 224, 224, u, v);
      const q = imageToCrop(win, 224, 224, p.x, p.y);
      expect(q.u).toBeCloseTo(u, 10);
      expect(q.v).toBeCloseTo(v, 10);
    }
    expect(cropToImage(win, 224, 224, 0, 0)).toEqual({ x: -13, y: 20 });
    expect(cropToImage(win, 224, 224, 224, 224)).toEqual({ x: 78, y: 77 });
  });

  it('cropWindow samples the image where cropToImage says (linear ramp image)', () => {
    // R = x, G = y: bilinear sampling of a linear ramp at a pixel-centre position X returns X − 0.5 exactly.
    const img = createRgbImage(200, 150);
    for (let y = 0; y < 150; y++) for (let x = 0; x < 200; x++) img.data.set([x, y, 0], (y * 200 + x) * 3);
    const w = { x: 30, y: 10, width: 120, height: 100 };
    const crop = cropWindow(img, w, { size: 64 });
    expect(crop.width).toBe(64);
    for (const [u, v] of [
      [0, 0],
      [10, 33],
      [63, 63],
    ] as const) {
      const p = cropToImage(w, 64, 64, u + 0.5, v + 0.5);
      const o = (v * 64 + u) * 3;
      expect(Math.abs(crop.data[o]! - (p.x - 0.5))).toBeLessThanOrEqual(0.5);
      expect(Math.abs(crop.data[o + 1]! - (p.y - 0.5))).toBeLessThanOrEqual(0.5);
    }
    const m = cropMapping(w, 64, 64);
    expect(m).toEqual({ scaleX: 120 / 64, scaleY: 100 / 64, offsetX: 30, offsetY: 10 });
  });

  it('pads outside the image with fill (default 0, the zero-padded image)', () => {
    const img = createRgbImage(10, 10, 200);
    const crop = cropWindow(img, { x: -10, y: 0, width: 20, height: 10 }, { size: 20 });
    expect(crop.data[(5 * 20 + 0) * 3]).toBe(0);
    expect(crop.data[(5 * 20 + 19) * 3]).toBe(200);
    const red = cropWindow(img, { x: -10, y: 0, width: 20, height: 10 }, { size: 20, fill: [255, 0, 0] });
    expect([...red.data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it('windowRegion: integral, clipped, outside and fractional windows', () => {
    expect(windowRegion({ x: 2, y: 3, width: 4, height: 5 }, 10, 10)).toEqual({ x0: 2, y0: 3, x1: 6, y1: 8 });
    expect(windowRegion({ x: -5, y: 8, width: 10, height: 10 }, 10, 10)).toEqual({ x0: 0, y0: 8, x1: 5, y1: 10 });
    expect(windowRegion({ x: 10, y: 0, width: 5, height: 5 }, 10, 10)).toBeNull();
    expect(windowRegion({ x: -6, y: 0, width: 5, height: 5 }, 10, 10)).toBeNull();
    // Pixel centres 1.5 … 3.5 lie in [1.2, 3.7): columns 1, 2, 3.
    expect(windowRegion({ x: 1.2, y: 0, width: 2.5, height: 1 }, 10, 10)).toEqual({ x0: 1, y0: 0, x1: 4, y1: 1 });
  });

  it('pasteMapping inverts cropMapping: composing the two maps image pixel centres to themselves', () => {
    const w = { x: 7.5, y: -3, width: 50, height: 80 };
    const region = windowRegion(w, 100, 100)!;
    const inv = pasteMapping(w, 224, 224, region);
    const fwd = cropMapping(w, 224, 224);
    for (const ox of [0, 5, 20]) {
      // image pixel → crop pixel-centre coordinate (resample's formula) → back to image pixel-centre coordinate.
      const s = inv.offsetX + (ox + 0.5) * inv.scaleX - 0.5;
      const back = fwd.offsetX + (s + 0.5) * fwd.scaleX - 0.5;
      expect(back).toBeCloseTo(region.x0 + ox, 9);
    }
  });
});
