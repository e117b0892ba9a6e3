import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabelMap, VOC_PALETTE } from '@deconvnet/image';
import { readLabelPng } from '@deconvnet/image/node';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, formatMetricsTable, metricsToJSON } from './confusion.js';
import { createRng } from './random.js';
import { vocResultsDir, writeVocPrediction } from './results.js';

const lm = (width: number, height: number, data: number[]): LabelMap => ({
  width,
  height,
  data: Uint8Array.from(data),
});

describe('ConfusionMatrix', () => {
  it('matches a hand-worked 3-class example (devkit definitions), ignoring 255', () => {
    // gt:   0 0 0 1 1 2 2 255     pred: 0 0 1 1 2 2 2 1
    const gt = lm(8, 1, [0, 0, 0, 1, 1, 2, 2, 255]);
    const pred = lm(8, 1, [0, 0, 1, 1, 2, 2, 2, 1]);
    const cm = new ConfusionMatrix(3).add(gt, pred);
    expect(Array.from(cm.counts)).toEqual([2, 1, 0, 0, 1, 1, 0, 0, 2]);
    const m = cm.metrics(['a', 'b', 'c']);
    // IoU: a = 2/(3+2-2) = 2/3, b = 1/(2+2-1) = 1/3, c = 2/(2+3-2) = 2/3
    expect(m.iou[0]).toBeCloseTo(2 / 3, 12);
    expect(m.iou[1]).toBeCloseTo(1 / 3, 12);
    expect(m.iou[2]).toBeCloseTo(2 / 3, 12);
    expect(m.meanIoU).toBeCloseTo(5 / 9, 12);
    expect(m.pixelAccuracy).toBeCloseTo(5 / 7, 12);
    expect(m.classAccuracy).toEqual([2 / 3, 1 / 2, 1]);
    expect(m.meanClassAccuracy).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 12);
    expect(m.frequencyWeightedIoU).toBeCloseTo((3 / 7) * (2 / 3) + (2 / 7) * (1 / 3) + (2 / 7) * (2 / 3), 12);
    expect(m.pixels).toBe(7);
    expect(m.support).toEqual([3, 2, 2]);
  });

  it('agrees with a brute-force per-class count on random maps, accumulated over images and merged', () => {
    const rng = createRng(5);
    const a = new ConfusionMatrix();
    const b = new ConfusionMatrix();
    const tp = new Array(21).fill(0);
    const fp = new Array(21).fill(0);
    const fn = new Array(21).fill(0);
    for (let img = 0; img < 6; img++) {
      const n = 40 * 30;
      const g = Array.from({ length: n }, () => (rng() < 0.1 ? 255 : Math.floor(rng() * 21)));
      const p = g.map((v) => (rng() < 0.6 && v !== 255 ? v : Math.floor(rng() * 21)));
      (img % 2 ? a : b).add(lm(40, 30, g), lm(40, 30, p));
      for (let i = 0; i < n; i++) {
        if (g[i] === 255) continue;
        if (g[i] === p[i]) tp[g[i]!]++;
        else {
          fn[g[i]!]++;
          fp[p[i]!]++;
        }
      }
    }
    const m = a.merge(b).metrics();
    for (let c = 0; c < 21; c++) expect(m.iou[c]).toBeCloseTo(tp[c] / (tp[c] + fp[c] + fn[c]), 12);
    expect(m.pixelAccuracy).toBeCloseTo(
      tp.reduce((x, y) => x + y) / (tp.reduce((x, y) => x + y) + fn.reduce((x, y) => x + y)),
      12,
    );
    expect(ConfusionMatrix.fromJSON(JSON.parse(JSON.stringify(a))).metrics()).toEqual(m);
  });

  it('leaves absent classes undefined (NaN/null), not zero, and averages over the defined ones', () => {
    const cm = new ConfusionMatrix().add(lm(2, 1, [0, 15]), lm(2, 1, [0, 15]));
    const m = cm.metrics();
    expect(m.meanIoU).toBe(1);
    expect(Number.isNaN(m.iou[3]!)).toBe(true);
    const j = metricsToJSON(m) as { perClass: Record<string, { iou: number | null }>; meanIoU: number };
    expect(j.perClass.bird!.iou).toBeNull();
    expect(j.perClass.person!.iou).toBe(1);
    const table = formatMetricsTable(m);
    expect(table).toMatch(/^person\s+100\.00 100\.00\s+1$/m);
    expect(table).toMatch(/^bird\s+–\s+–\s+0$/m);
    expect(table).toMatch(/^mean IoU\s+100\.00$/m);
  });

  it('rejects size mismatches and out-of-range labels with a clear error', () => {
    const cm = new ConfusionMatrix();
    expect(() => cm.add(lm(2, 1, [0, 0]), lm(1, 2, [0, 0]), 'p.png')).toThrow(
      /p\.png: size 1×2 differs from the ground truth's 2×1/,
    );
    expect(() => cm.add(lm(2, 1, [0, 0]), lm(2, 1, [0, 21]), 'p.png')).toThrow(
      /p\.png: predicted label 21 at pixel 1 is outside 0\.\.20/,
    );
    expect(() => cm.add(lm(2, 1, [0, 30]), lm(2, 1, [0, 0]), 'p.png')).toThrow(/ground-truth label 30/);
    expect(Array.from(cm.counts).every((v) => v === 0)).toBe(true);
  });
});

describe('writeVocPrediction', () => {
  it('writes a palette PNG in results/VOC2012/Segmentation/comp6_test_cls with exact indices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-results-'));
    try {
      const pred = lm(5, 2, [0, 1, 2, 15, 20, 255, 0, 0, 7, 7]);
      const path = await writeVocPrediction(dir, '2008_000001', pred);
      expect(path).toBe(join(dir, 'results', 'VOC2012', 'Segmentation', 'comp6_test_cls', '2008_000001.png'));
      expect(vocResultsDir(dir, { competition: 'comp5', set: 'val' })).toBe(
        join(dir, 'results', 'VOC2012', 'Segmentation', 'comp5_val_cls'),
      );
      const back = await readLabelPng(path);
      expect(Array.from(back.data)).toEqual(Array.from(pred.data));
      expect(back.palette?.[15]).toEqual(VOC_PALETTE[15]);
      await expect(writeVocPrediction(dir, '../evil', pred)).rejects.toThrow(/path separator/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
