import { createLabelMap, createRgbImage } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { makeSample, resizeSide, stage1Relabel } from './augment.js';
import { Rng } from './rng.js';

/** 64×48 image whose pixel (x, y) is RGB (x, y, 7); label = (x + y) % 3. */
function coordImage() {
  const img = createRgbImage(64, 48);
  const lab = createLabelMap(64, 48);
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 64; x++) {
      const i = y * 64 + x;
      img.data.set([x, y, 7], i * 3);
      lab.data[i] = (x + y) % 3;
    }
  }
  return { img, lab };
}

describe('makeSample', () => {
  it('resize side is input·250/224 (250 for the paper’s 224)', () => {
    expect(resizeSide(224)).toBe(250);
    expect(resizeSide(64)).toBe(71);
  });

  it('crops the window, takes the random crop the RNG dictates and flips when it says so', () => {
    const { img, lab } = coordImage();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const rng = new Rng(seed);
      const probe = new Rng(rng.getState());
      const [rx, ry, rf] = [probe.next(), probe.next(), probe.next()];
      // resizeTo = window side: the warp is the identity, so the expected pixels are known exactly.
      const s = makeSample(img, lab, { x: 10, y: 5, width: 28, height: 28 }, rng, { inputSize: 24, resizeTo: 28 });
      const ox = Math.floor(rx * 5);
      const oy = Math.floor(ry * 5);
      const flip = rf < 0.5;
      expect(rng.getState()).toEqual(probe.getState()); // exactly three draws
      for (const [u, v] of [
        [0, 0],
        [23, 0],
        [5, 17],
        [23, 23],
      ] as const) {
        const su = flip ? 23 - u : u;
        const sx = 10 + ox + su;
        const sy = 5 + oy + v;
        const o = (v * 24 + u) * 3;
        expect([s.image.data[o], s.image.data[o + 1], s.image.data[o + 2]]).toEqual([sx, sy, 7]);
        expect(s.label.data[v * 24 + u]).toBe((sx + sy) % 3);
      }
      expect(s.image.width).toBe(24);
      expect(s.label.height).toBe(24);
    }
  });

  it('pads outside the image with 0 (image) and 255 (label)', () => {
    const { img, lab } = coordImage();
    const s = makeSample(img, lab, { x: -8, y: -8, width: 16, height: 16 }, new Rng(0), {
      inputSize: 16,
      resizeTo: 16,
      flip: false,
    });
    // Top-left quadrant is outside.
    expect(Array.from(s.image.data.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(s.label.data[0]).toBe(255);
    // Pixel (8, 8) of the window is image pixel (0, 0).
    expect(Array.from(s.image.data.subarray((8 * 16 + 8) * 3, (8 * 16 + 8) * 3 + 3))).toEqual([0, 0, 7]);
    expect(s.label.data[8 * 16 + 8]).toBe(0);
  });

  it('stage 1 keeps only the chosen instance; other objects become background, void stays void', () => {
    const cls = { width: 4, height: 1, data: Uint8Array.from([3, 3, 255, 5]) };
    const mask = { width: 4, height: 1, data: Uint8Array.from([1, 0, 0, 0]) };
    expect(Array.from(stage1Relabel(cls, mask, 3).data)).toEqual([3, 0, 255, 0]);
  });

  it('stage 1 through makeSample labels the instance mask with its class', () => {
    const { img } = coordImage();
    const cls = createLabelMap(64, 48);
    const mask = createLabelMap(64, 48);
    for (let y = 10; y < 20; y++) {
      for (let x = 10; x < 20; x++) {
        cls.data[y * 64 + x] = 9;
        mask.data[y * 64 + x] = 1;
      }
    }
    for (let x = 30; x < 40; x++) cls.data[15 * 64 + x] = 4; // another object
    const s = makeSample(
      img,
      cls,
      { x: 5, y: 5, width: 40, height: 40 },
      new Rng(0),
      { inputSize: 40, resizeTo: 40, flip: false },
      { mask, classId: 9 },
    );
    const counts = new Map<number, number>();
    for (const v of s.label.data) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect(counts.get(9)).toBe(100);
    expect(counts.get(4)).toBeUndefined();
    expect(counts.get(0)).toBe(40 * 40 - 100 - (counts.get(255) ?? 0));
  });
});
