import type { LabelMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import {
  type EvalSample,
  evaluateVariants,
  evaluationToJson,
  formatEvaluation,
  instanceScores,
  sizeBucket,
} from './evaluate.js';
import type { VariantName } from './results.js';
import type { Segmenter } from './segmenter.js';

const CLASSES = ['background', 'cat', 'dog'];

function lm(w: number, h: number, rows: string): LabelMap {
  const data = Uint8Array.from(rows.replace(/\s/g, '').split(''), (c) => (c === 'v' ? 255 : Number(c)));
  expect(data.length).toBe(w * h);
  return { width: w, height: h, data };
}

function fakeSegmenter(preds: Record<string, Partial<Record<VariantName, LabelMap>>>): Segmenter {
  return {
    config: {} as never,
    segment: async () => {
      throw new Error('unused');
    },
    async segmentVariants(image, variants) {
      const key = String(image.data[0]);
      const labels: Partial<Record<VariantName, LabelMap>> = {};
      for (const v of variants) if (preds[key]![v]) labels[v] = preds[key]![v];
      return { labels, proposals: [], windows: [], timings: { deconvnet: 0.5 } };
    },
    dispose() {},
  };
}

describe('instanceScores', () => {
  it('IoU inside the instance box, ignoring void and other same-class instances (hand-worked)', () => {
    // 4×3: instance A = cat at columns 0–1 (rows 0–2), another cat instance at column 3 row 0, void at (2,2).
    const gt = lm(4, 3, '1101 1100 11v0');
    const mask = lm(4, 3, '1100 1100 1100');
    const pred = lm(4, 3, '1111 0110 1111');
    // Box of A widened to columns 0–3 so that the other cat and the void pixel fall inside it.
    const inst = { classIndex: 1, box: { x: 0, y: 0, width: 4, height: 3 }, mask, area: 6 };
    // In-mask: (0,0)T (1,0)T (0,1)F (1,1)T (0,2)T (1,2)T → tp 5, fn 1.
    // Outside mask: (2,0) pred 1 → fp; (3,0) other cat → ignored; (2,1) pred 1 → fp; (3,1) pred 0; (2,2) void; (3,2) pred 1 → fp.
    const r = instanceScores(inst, gt, pred);
    expect(r.iou).toBeCloseTo(5 / 9, 12);
    expect(r.recall).toBeCloseTo(5 / 6, 12);
  });
  it('size buckets by area fraction', () => {
    expect(sizeBucket(0.01, [0.02, 0.15])).toBe('small');
    expect(sizeBucket(0.02, [0.02, 0.15])).toBe('medium');
    expect(sizeBucket(0.5, [0.02, 0.15])).toBe('large');
  });
});

describe('evaluateVariants', () => {
  it('per-variant confusion, mIoU and pixel accuracy match a brute-force count; JSON has the issue’s shape', async () => {
    const gt0 = lm(3, 2, '011 0v2');
    const gt1 = lm(3, 2, '222 000');
    const samples: EvalSample[] = [
      {
        id: 'a',
        image: { width: 3, height: 2, data: new Uint8Array(18).fill(0) },
        label: gt0,
        instances: [{ classIndex: 1, box: { x: 1, y: 0, width: 2, height: 1 }, mask: lm(3, 2, '011 000'), area: 2 }],
      },
      { id: 'b', image: { width: 3, height: 2, data: new Uint8Array(18).fill(1) }, label: gt1 },
    ];
    const preds = {
      '0': { DeconvNet: lm(3, 2, '011 002'), FCN: lm(3, 2, '000 000') },
      '1': { DeconvNet: lm(3, 2, '221 000'), FCN: lm(3, 2, '000 000') },
    };
    const res = await evaluateVariants({
      segmenter: fakeSegmenter(preds),
      samples,
      variants: ['FCN', 'DeconvNet', 'EDeconvNet'],
      classes: CLASSES,
      sizeThresholds: [0.2, 0.5],
    });
    // Brute force: DeconvNet. Valid pixels: 5 + 6 = 11. Confusion (gt→pred): bg: 0→0 ×2 (a) + ×3 (b) = 5;
    // cat: 1→1 ×2; dog: 2→2 ×1 (a) + 2→2 ×2, 2→1 ×1 (b).
    // IoU bg 5/5 = 1; cat tp 2, fp 1, fn 0 → 2/3; dog tp 3, fn 1, fp 0 → 3/4.
    const d = res.variants.DeconvNet!;
    expect(d.perClass).toEqual({ background: 1, cat: 2 / 3, dog: 3 / 4 });
    expect(d.miou).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 3, 12);
    expect(d.pixelAccuracy).toBeCloseTo(10 / 11, 12);
    // FCN: all background → bg IoU 5/11, cat 0, dog 0.
    expect(res.variants.FCN!.perClass.background).toBeCloseTo(5 / 11, 12);
    expect(res.variants.FCN!.perClass.cat).toBe(0);
    // EDeconvNet produced nothing (no FCN in the fake): left out, never reported as 0.
    expect(res.variants.EDeconvNet).toBeUndefined();
    expect(res.images).toBe(2);
    expect(res.seconds.deconvnet).toBeCloseTo(1, 12);
    // The single instance covers 2/6 = 0.33 of its image: medium for thresholds [0.2, 0.5]; DeconvNet gets it exactly.
    expect(res.sizes.variants.DeconvNet!.medium).toEqual({ instances: 1, meanIou: 1, meanRecall: 1 });
    expect(res.sizes.variants.FCN!.medium).toEqual({ instances: 1, meanIou: 0, meanRecall: 0 });
    expect(res.sizes.variants.DeconvNet!.small.meanIou).toBeNull();

    const json = JSON.parse(JSON.stringify(evaluationToJson(res)));
    expect(Object.keys(json.variants).sort()).toEqual(['DeconvNet', 'FCN']);
    for (const v of Object.values(json.variants) as Record<string, unknown>[]) {
      expect(Object.keys(v).sort()).toEqual(['miou', 'perClass', 'pixelAccuracy']);
      expect(Object.keys(v.perClass as object)).toEqual(CLASSES);
    }
    const text = formatEvaluation(res);
    expect(text).toMatch(/DeconvNet\s+80\.6\s+90\.9/);
    expect(text).toMatch(/dog\s+0\.0\s+75\.0/);
  });
});
