import { describe, expect, it } from 'vitest';
import {
  cropAndWarpLabel,
  cropAndWarpRgb,
  cropAndWarpScoreMap,
  cropLabel,
  cropRgb,
  cropScoreMap,
  flipHorizontal,
} from './crop.js';
import { VOC_PALETTE } from './palette.js';
import { colorizeLabels, drawBoxes, overlayLabels } from './render.js';
import { resizeLabel, resizeRgb, resizeScoreMap } from './resize.js';
import { createScoreMap, type LabelMap, type RgbImage, type ScoreMap } from './types.js';

function rng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

function randomMap(w: number, h: number, c: number, seed = 3): ScoreMap {
  const r = rng(seed);
  const m = createScoreMap(w, h, c);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r() * 20 - 10;
  return m;
}

/** Independent bilinear reference: samples one point with the textbook formula, half-pixel centres. */
function sampleRef(m: ScoreMap, sx: number, sy: number, c: number, fill: number | null): number {
  const get = (x: number, y: number) => {
    if (fill === null) {
      x = Math.min(Math.max(x, 0), m.width - 1);
      y = Math.min(Math.max(y, 0), m.height - 1);
    } else if (x < 0 || y < 0 || x >= m.width || y >= m.height) return fill;
    return m.data[(y * m.width + x) * m.channels + c]!;
  };
  if (fill === null) {
    sx = Math.min(Math.max(sx, 0), m.width - 1);
    sy = Math.min(Math.max(sy, 0), m.height - 1);
  }
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const tx = sx - x0;
  const ty = sy - y0;
  return (
    get(x0, y0) * (1 - tx) * (1 - ty) +
    get(x0 + 1, y0) * tx * (1 - ty) +
    get(x0, y0 + 1) * (1 - tx) * ty +
    get(x0 + 1, y0 + 1) * tx * ty
  );
}

describe('resize', () => {
  it('matches a brute-force bilinear reference (up and down, many channels)', () => {
    for (const [w, h, W, H, C] of [
      [7, 5, 13, 11, 3],
      [20, 16, 9, 6, 21],
      [4, 9, 4, 9, 2],
    ] as const) {
      const m = randomMap(w, h, C);
      const out = resizeScoreMap(m, W, H);
      let maxErr = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          for (let c = 0; c < C; c++) {
            const ref = sampleRef(m, ((x + 0.5) * w) / W - 0.5, ((y + 0.5) * h) / H - 0.5, c, null);
            maxErr = Math.max(maxErr, Math.abs(out.data[(y * W + x) * C + c]! - ref));
          }
        }
      }
      expect(maxErr).toBeLessThan(1e-4);
    }
  });

  it('keeps constants constant and is the identity at the same size', () => {
    const m = createScoreMap(9, 7, 4, 2.5);
    expect(resizeScoreMap(m, 31, 3).data.every((v) => Math.abs(v - 2.5) < 1e-6)).toBe(true);
    const r = randomMap(6, 5, 3);
    expect(Array.from(resizeScoreMap(r, 6, 5).data)).toEqual(Array.from(r.data));
  });

  it('rounds RGB, and labels take only source values (nearest)', () => {
    const img: RgbImage = { width: 2, height: 1, data: new Uint8Array([0, 100, 255, 255, 101, 0]) };
    const up = resizeRgb(img, 4, 1);
    // Half-pixel centres: outputs sample x = −0.25, 0.25, 0.75, 1.25 → clamp, 0.25, 0.75, clamp.
    expect(Array.from(up.data)).toEqual([0, 100, 255, 64, 100, 191, 191, 101, 64, 255, 101, 0]);
    const label: LabelMap = { width: 3, height: 1, data: new Uint8Array([1, 7, 255]) };
    expect(Array.from(resizeLabel(label, 6, 2).data)).toEqual([1, 1, 7, 7, 255, 255, 1, 1, 7, 7, 255, 255]);
    expect(Array.from(resizeLabel(label, 2, 1).data).every((v) => [1, 7, 255].includes(v))).toBe(true);
    expect(() => resizeRgb(img, 0, 3)).toThrow(/resizeRgb: target size/);
    expect(() => resizeScoreMap({ width: 2, height: 2, channels: 3, data: new Float32Array(5) }, 3, 3)).toThrow(
      /expected 2×2×3/,
    );
  });
});

describe('crop and warp', () => {
  it('crop-and-warp of the whole image at its own size is the identity', () => {
    const m = randomMap(11, 8, 5);
    const out = cropAndWarpScoreMap(m, { x: 0, y: 0, width: 11, height: 8 }, 11, 8);
    for (let i = 0; i < m.data.length; i++) expect(out.data[i]).toBeCloseTo(m.data[i]!, 5);
  });

  it('warps a box partly outside the image as if the image were padded with fill', () => {
    const m = randomMap(10, 10, 2);
    const box = { x: -4.5, y: 6.25, width: 9, height: 7 };
    const out = cropAndWarpScoreMap(m, box, 6, 5, { fill: -1 });
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 6; x++) {
        for (let c = 0; c < 2; c++) {
          const sx = box.x + ((x + 0.5) * box.width) / 6 - 0.5;
          const sy = box.y + ((y + 0.5) * box.height) / 5 - 0.5;
          expect(out.data[(y * 6 + x) * 2 + c]).toBeCloseTo(sampleRef(m, sx, sy, c, -1), 4);
        }
      }
    }
    const rgb = cropAndWarpRgb(
      { width: 2, height: 2, data: new Uint8Array(12).fill(200) },
      { x: 10, y: 10, width: 4, height: 4 },
      3,
      3,
      { fill: [1, 2, 3] },
    );
    expect(Array.from(rgb.data.subarray(0, 3))).toEqual([1, 2, 3]);
    const lab = cropAndWarpLabel(
      { width: 2, height: 1, data: new Uint8Array([4, 5]) },
      { x: -2, y: 0, width: 4, height: 1 },
      4,
      1,
    );
    expect(Array.from(lab.data)).toEqual([255, 255, 4, 5]);
  });

  it('crops with padding per channel', () => {
    const img: RgbImage = { width: 3, height: 2, data: new Uint8Array(18).map((_, i) => i) };
    const c = cropRgb(img, { x: 2, y: -1, width: 2, height: 2 }, [7, 8, 9]);
    expect(Array.from(c.data)).toEqual([7, 8, 9, 7, 8, 9, 6, 7, 8, 7, 8, 9]);
    const l = cropLabel(
      { width: 2, height: 2, data: new Uint8Array([1, 2, 3, 4]) },
      { x: 1, y: 1, width: 2, height: 1 },
    );
    expect(Array.from(l.data)).toEqual([4, 255]);
    const s = cropScoreMap(randomMap(4, 4, 3), { x: 0, y: 0, width: 1, height: 1 });
    expect(s.data.length).toBe(3);
    expect(() => cropRgb(img, { x: 0, y: 0, width: 0.2, height: 1 })).toThrow(/empty pixel range/);
    expect(() => cropAndWarpRgb(img, { x: Number.NaN, y: 0, width: 1, height: 1 }, 2, 2)).toThrow(/finite/);
  });

  it('flips any container left-right and twice is the identity', () => {
    const m = randomMap(5, 3, 4);
    const f = flipHorizontal(m);
    expect(f.data[(0 * 5 + 4) * 4 + 2]).toBe(m.data[2]);
    expect(Array.from(flipHorizontal(f).data)).toEqual(Array.from(m.data));
    const l: LabelMap = { width: 3, height: 1, data: new Uint8Array([1, 2, 3]) };
    expect(Array.from(flipHorizontal(l).data)).toEqual([3, 2, 1]);
  });
});

describe('rendering', () => {
  it('colourises, overlays and draws boxes', () => {
    const label: LabelMap = { width: 2, height: 1, data: new Uint8Array([0, 15]) };
    expect(Array.from(colorizeLabels(label).data)).toEqual([...VOC_PALETTE[0]!, ...VOC_PALETTE[15]!]);
    const img: RgbImage = { width: 2, height: 1, data: new Uint8Array([100, 100, 100, 100, 100, 100]) };
    const o = overlayLabels(img, label, { alpha: 0.5 });
    // Background is skipped; class 15 = (192,128,128) blends halfway.
    expect(Array.from(o.data)).toEqual([100, 100, 100, 146, 114, 114]);
    expect(() => overlayLabels(img, { width: 1, height: 1, data: new Uint8Array(1) })).toThrow(/size mismatch/);
    const blank: RgbImage = { width: 6, height: 6, data: new Uint8Array(108) };
    const d = drawBoxes(blank, [{ x: 1, y: 1, width: 4, height: 4 }], [255, 0, 0], 1);
    const red = (x: number, y: number) => d.data[(y * 6 + x) * 3] === 255;
    expect(red(1, 1) && red(4, 1) && red(1, 4) && red(4, 4) && red(2, 1)).toBe(true);
    expect(red(2, 2) || red(0, 0) || red(5, 5)).toBe(false);
  });
});
