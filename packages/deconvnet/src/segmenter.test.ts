import '@tensorflow/tfjs-backend-cpu';
import type { Box } from '@deconvnet/image';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSegmenter, wholeImageWindow } from './segmenter.js';
import { colourNet, tinyNet, twoBoxScene } from './test-helpers.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

function accuracy(pred: Uint8Array, gt: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < gt.length; i++) if (pred[i] === gt[i]) ok++;
  return ok / gt.length;
}

describe('createSegmenter', () => {
  const { image, label } = twoBoxScene();

  it('whole-image DeconvNet (no proposals) with a colour net recovers both rectangles', async () => {
    const seg = createSegmenter({ model: colourNet(64), proposals: false, crf: false });
    const r = await seg.segment(image);
    expect(r.windows).toEqual([wholeImageWindow(image)]);
    expect(r.windows[0]).toEqual({ x: 0, y: -4, width: 48, height: 48 });
    expect(r.proposals).toEqual([]);
    // Interior pixels are exact; rectangle borders may blur by a pixel through the 48 → 64 → 48 warp.
    expect(accuracy(r.labels.data, label.data)).toBeGreaterThan(0.95);
    // Probabilities sum to 1 per pixel.
    for (let p = 0; p < 40 * 48; p += 97) {
      const s = r.probabilities.data.subarray(p * 3, p * 3 + 3).reduce((a, b) => a + b, 0);
      expect(s).toBeCloseTo(1, 5);
    }
    seg.dispose();
    await expect(seg.segment(image)).rejects.toThrow(/disposed/);
  });

  it('proposal windows are 1.2× squares of the chosen proposals, batched through the model', async () => {
    const boxes: Box[] = [
      { x: 4, y: 4, width: 16, height: 16, score: 0.9 },
      { x: 26, y: 14, width: 18, height: 22, score: 0.8 },
      { x: 0, y: 0, width: 2, height: 2, score: 0.7 }, // below minSide: skipped
    ];
    const seg = createSegmenter({
      model: colourNet(32),
      proposals: { source: () => boxes, count: 5, minSide: 8 },
      crf: false,
      batchSize: 1,
    });
    const r = await seg.segment(image);
    expect(r.proposals.map((b) => b.score)).toEqual([0.9, 0.8]);
    // 16×16 at (4,4) → 1.2× = 19.2, centre (12,12) → (2.4, 2.4) rounded out to (2, 2, 20, 20).
    expect(r.windows[0]).toMatchObject({ x: 2, y: 2, width: 20, height: 20 });
    // 18×22 at (26,14): centre (35,25), 1.2× → 21.6×26.4, square 26.4 at (21.8, 11.8), rounded out to (21, 11)–(49, 39).
    expect(r.windows[1]).toMatchObject({ x: 21, y: 11, width: 28, height: 28 });
    // Inside the rectangles the max-aggregated colour scores are right.
    expect(r.labels.data[12 * 48 + 12]).toBe(1);
    expect(r.labels.data[25 * 48 + 35]).toBe(2);
    seg.dispose();
  });

  it('variants: FCN, DeconvNet, +CRF, EDeconvNet (+CRF) all produced from shared stages', async () => {
    const seg = createSegmenter({
      model: colourNet(32),
      fcn: colourNet(32, 3, 'fcn'),
      proposals: { source: () => [{ x: 4, y: 4, width: 16, height: 16, score: 1 }], minSide: 4 },
      ensemble: 'mean',
      crf: { iterations: 5, spatialScale: 0.2 },
    });
    const out = await seg.segmentVariants(image, ['FCN', 'DeconvNet', 'DeconvNet+CRF', 'EDeconvNet', 'EDeconvNet+CRF']);
    expect(Object.keys(out.labels).sort()).toEqual([
      'DeconvNet',
      'DeconvNet+CRF',
      'EDeconvNet',
      'EDeconvNet+CRF',
      'FCN',
    ]);
    expect(accuracy(out.labels.FCN!.data, label.data)).toBeGreaterThan(0.95);
    // DeconvNet only saw the red proposal: the green rectangle is uncovered (uniform → background on ties).
    expect(out.labels.DeconvNet!.data[12 * 48 + 12]).toBe(1);
    expect(out.labels.DeconvNet!.data[25 * 48 + 35]).toBe(0);
    // The ensemble brings the green rectangle back from the FCN.
    expect(out.labels.EDeconvNet!.data[25 * 48 + 35]).toBe(2);
    expect(accuracy(out.labels['EDeconvNet+CRF']!.data, label.data)).toBeGreaterThan(0.9);
    expect(out.timings.crf).toBeGreaterThan(0);
    seg.dispose();
  });

  it('segment() with an FCN ensemble and CRF returns CRF marginals; no tensors leak', async () => {
    const seg = createSegmenter({
      model: tinyNet(32, 3, 3),
      fcn: tinyNet(32, 3, 4, 'fcn'),
      proposals: false,
      ensemble: 'product',
      crf: { iterations: 2 },
    });
    await seg.segment(image);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await seg.segment(image);
    expect(tf.memory().numTensors).toBe(before);
    seg.dispose();
  });

  it('rejects bad configurations and inputs clearly', async () => {
    expect(() => createSegmenter({ model: colourNet(32), ensemble: 'mean' })).toThrow(/needs config.fcn/);
    expect(() => createSegmenter({ model: colourNet(32, 3), fcn: colourNet(32, 4, 'fcn') })).toThrow(
      /FCN has 4 classes/,
    );
    const seg = createSegmenter({ model: colourNet(32), proposals: false, crf: false });
    await expect(seg.segment({ width: 2, height: 2, data: new Uint8Array(3) })).rejects.toThrow(/expected an RgbImage/);
  });
});
