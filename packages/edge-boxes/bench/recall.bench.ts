// Recall of proposeBoxes on the real photos of the shared fixtures, for several edge-detector variants.
// Ground truth: voc-mini XML boxes (3 objects) and the SBD instance masks' tight boxes (10 objects; read with
// scipy through the `python3` on PATH, skipped when it is missing).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Box, iou } from '@deconvnet/image';
import { readImage } from '@deconvnet/image/node';
import { test } from 'vitest';
import { type DetectEdgesOptions, detectEdges, edgeBoxes } from '../src/index.js';
import { vocXmlBoxes } from '../src/test-helpers.js';

const FIX = new URL('../../../../shared/fixtures/', import.meta.url);
const path = (p: string) => fileURLToPath(new URL(p, FIX));

function sbdBoxes(id: string): Box[] {
  const py = `
import scipy.io as sio, numpy as np, json
g = sio.loadmat('${path(`sbd-mini/dataset/inst/${id}.mat`)}')['GTinst'][0, 0]
seg = g['Segmentation']; out = []
for i in range(len(g['Categories'].ravel())):
    ys, xs = np.nonzero(seg == i + 1)
    out.append([int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)])
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) return [];
  return (JSON.parse(r.stdout) as number[][]).map(([x, y, width, height]) => ({
    x: x!,
    y: y!,
    width: width!,
    height: height!,
  }));
}

test('recall on voc-mini + sbd-mini', async () => {
  const items: { image: string; gt: Box[] }[] = [
    {
      image: 'voc-mini/VOC2012/JPEGImages/2007_000063.jpg',
      gt: vocXmlBoxes(readFileSync(path('voc-mini/VOC2012/Annotations/2007_000063.xml'), 'utf8')),
    },
    {
      image: 'voc-mini/VOC2012/JPEGImages/2011_003353.jpg',
      gt: vocXmlBoxes(readFileSync(path('voc-mini/VOC2012/Annotations/2011_003353.xml'), 'utf8')),
    },
    { image: 'sbd-mini/dataset/img/2008_000051.jpg', gt: sbdBoxes('2008_000051') },
    { image: 'sbd-mini/dataset/img/2008_000195.jpg', gt: sbdBoxes('2008_000195') },
  ];
  const images = await Promise.all(items.map((it) => readImage(path(it.image))));
  const nGt = items.reduce((s, it) => s + it.gt.length, 0);
  const variants: [string, DetectEdgesOptions][] = [
    ['rgb (authors\u2019 gradient)', {}],
    ['luv', { colorSpace: 'luv' }],
    ['rgb, scales 1+½', { scales: [1, 0.5] }],
    ['rgb, scales 2+1+½', { scales: [2, 1, 0.5] }],
    ['luv, scales 1+½', { colorSpace: 'luv', scales: [1, 0.5] }],
  ];
  const counts = [100, 1000];
  console.log(`\n${nGt} objects in ${items.length} photos; EdgeBoxes70 defaults, maxBoxes 1000`);
  console.log(
    '| edges | R@0.5 (100) | R@0.7 (100) | R@0.5 (1000) | R@0.7 (1000) | mean best IoU (1000) | edges ms (cold JIT) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, opts] of variants) {
    const hits = counts.map(() => [0, 0]);
    let best = 0;
    let ms = 0;
    for (let k = 0; k < items.length; k++) {
      const t = performance.now();
      const e = detectEdges(images[k]!, opts);
      ms += performance.now() - t;
      const boxes = edgeBoxes(e, { maxBoxes: 1000 });
      for (const gt of items[k]!.gt) {
        counts.forEach((n, c) => {
          const m = Math.max(0, ...boxes.slice(0, n).map((b) => iou(b, gt)));
          if (m >= 0.5) hits[c]![0]!++;
          if (m >= 0.7) hits[c]![1]!++;
          if (c === 1) best += m;
        });
      }
    }
    const pct = (v: number) => `${((100 * v) / nGt).toFixed(0)} %`;
    console.log(
      `| ${name} | ${pct(hits[0]![0]!)} | ${pct(hits[0]![1]!)} | ${pct(hits[1]![0]!)} | ${pct(hits[1]![1]!)} | ${(best / nGt).toFixed(3)} | ${(ms / items.length).toFixed(0)} |`,
    );
  }
});
