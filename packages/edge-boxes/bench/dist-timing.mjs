// detectEdges timed from the built package with plain node (`npm run build` first), as users run it: vitest's module
// transform, which `npm run bench` runs under, adds about 10 ms to this call on the fixture photo.
import { fileURLToPath } from 'node:url';
import { readImage } from '@deconvnet/image/node';
import { detectEdges } from '../dist/index.js';

const photo = fileURLToPath(
  new URL('../../../../shared/fixtures/voc-mini/VOC2012/JPEGImages/2007_000063.jpg', import.meta.url),
);
const img = await readImage(photo);
for (let i = 0; i < 5; i++) detectEdges(img);
const t = [];
for (let i = 0; i < 31; i++) {
  const a = performance.now();
  detectEdges(img);
  t.push(performance.now() - a);
}
t.sort((a, b) => a - b);
console.log(
  `detectEdges, built dist, node ${process.version}, ${img.width}×${img.height}, 31 runs: median ${t[15].toFixed(1)} ms, min ${t[0].toFixed(1)} ms, max ${t[30].toFixed(1)} ms`,
);
