import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { iou } from '@deconvnet/image';
import { readImage } from '@deconvnet/image/node';
import { describe, expect, it } from 'vitest';
import { proposeBoxes } from './propose.js';
import { FIXTURES, vocXmlBoxes } from './test-helpers.js';

const path = (p: string) => fileURLToPath(new URL(p, FIXTURES));

describe('recall on real VOC photos (voc-mini XML boxes)', () => {
  it.each([
    ['2007_000063', 2], // dog, chair
    ['2011_003353', 1], // person (fractional XML coordinates)
  ])('%s: every annotated object is covered at IoU ≥ 0.5 by the top 1000 proposals', async (id, nObjects) => {
    const img = await readImage(path(`voc-mini/VOC2012/JPEGImages/${id}.jpg`));
    const gt = vocXmlBoxes(readFileSync(path(`voc-mini/VOC2012/Annotations/${id}.xml`), 'utf8'));
    expect(gt.length).toBe(nObjects);
    const boxes = proposeBoxes(img, { maxBoxes: 1000 });
    expect(boxes.length).toBe(1000);
    for (const g of gt) {
      const best = Math.max(...boxes.map((b) => iou(b, g)));
      expect(best).toBeGreaterThanOrEqual(0.5);
    }
  });
});
