import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import type { EvaluationResult } from './results.js';
import { twoBoxScene } from './test-helpers.js';

const ev: EvaluationResult = {
  variants: {
    FCN: { miou: 0.4, pixelAccuracy: 0.8, perClass: { background: 0.8, cat: 0.2, dog: null } },
    DeconvNet: { miou: 0.5, pixelAccuracy: 0.85, perClass: { background: 0.9, cat: 0.1, dog: 0.5 } },
  },
  sizes: {
    thresholds: [0.02, 0.15],
    variants: {
      FCN: {
        small: { instances: 2, meanIou: 0.1, meanRecall: 0.2 },
        medium: { instances: 0, meanIou: null, meanRecall: null },
        large: { instances: 1, meanIou: 0.7, meanRecall: 0.9 },
      },
    },
  },
  split: 'val',
  images: 3,
  classes: ['background', 'cat', 'dog'],
  seconds: {},
};

describe('renderReport', () => {
  it('is self-contained HTML with the variant table, bars, curves, samples and timings', async () => {
    const { image, label } = twoBoxScene();
    const html = await renderReport({
      title: 'T <&>',
      evaluation: ev,
      samples: [
        {
          id: 's1',
          image,
          groundTruth: label,
          predictions: [{ variant: 'FCN', labels: label }],
          proposals: [{ x: 1, y: 1, width: 10, height: 10 }],
        },
      ],
      lossCurves: [
        {
          name: 'stage 1',
          points: [
            [1, 2],
            [2, 1.5],
            [3, 1],
          ],
        },
      ],
      validationCurves: [
        {
          name: 'stage 1',
          points: [
            [1, 0.2],
            [2, 0.3],
          ],
        },
      ],
      timings: [{ stage: 'train', seconds: 12.34 }],
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>T &lt;&amp;&gt;</title>');
    expect(html).toMatch(
      /<table class="variants">.*<td>DeconvNet<\/td><td><span class="best">50\.0<\/span><\/td><td>85\.0<\/td>/s,
    );
    expect(html).toContain('<td>–</td>'); // FCN dog is undefined
    expect((html.match(/<svg /g) ?? []).length).toBe(3); // bars + loss + validation
    expect((html.match(/class="series"/g) ?? []).length).toBe(2);
    expect((html.match(/class="bar"/g) ?? []).length).toBe(5); // 6 values, one null
    expect((html.match(/src="data:image\/png;base64,/g) ?? []).length).toBe(4); // input, gt, FCN, proposals
    expect(html).toContain('<td>train</td><td>12.3</td>');
    // No network: no http(s) URLs except the SVG namespace.
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
  });
  it('renders with nothing but a title', async () => {
    const html = await renderReport({});
    expect(html).toContain('<h1>DeconvNet report</h1>');
  });
});
