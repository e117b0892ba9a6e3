import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { test } from 'vitest';
import {
  cropAndWarpRgb,
  cropAndWarpScoreMap,
  decodeLabelPng,
  encodeLabelPng,
  resizeRgb,
  resizeScoreMap,
} from '../src/index.js';
import { decodeImage } from '../src/node.js';
import { simdAvailable } from '../src/simd-kernel.js';
import { createScoreMap } from '../src/types.js';

const fixture = (rel: string) => fileURLToPath(new URL(`../../../../shared/fixtures/${rel}`, import.meta.url));

async function time(fn: () => unknown | Promise<unknown>, minMs = 400): Promise<{ median: number; runs: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const t: number[] = [];
  const start = performance.now();
  while (performance.now() - start < minMs || t.length < 5) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { median: t[t.length >> 1]!, runs: t.length };
}

test('image bench', async () => {
  const jpeg = new Uint8Array(await readFile(fixture('voc-mini/VOC2012/JPEGImages/2007_000063.jpg')));
  const png = new Uint8Array(await readFile(fixture('voc-mini/VOC2012/SegmentationClass/2007_000063.png')));
  const img = await decodeImage(jpeg);
  const label = decodeLabelPng(png);
  const map = createScoreMap(224, 224, 21);
  for (let i = 0; i < map.data.length; i++) map.data[i] = Math.sin(i);
  const out300 = createScoreMap(300, 300, 21);
  const rows: [string, string, { median: number; runs: number }, number][] = [];
  const add = async (name: string, shape: string, fn: () => unknown, values: number) =>
    rows.push([name, shape, await time(fn), values]);
  await add('resizeScoreMap (bilinear)', '224×224×21 → 300×300', () => resizeScoreMap(map, 300, 300), 300 * 300 * 21);
  await add(
    'resizeScoreMap, reused out',
    '224×224×21 → 300×300',
    () => resizeScoreMap(map, 300, 300, 'bilinear', out300),
    300 * 300 * 21,
  );
  // Floors for plain JS on this machine, same element count: allocating the output, and one lerp pass between two rows.
  await add(
    'reference: new Float32Array(300×300×21) + fill (fresh output floor)',
    '300×300×21',
    () => new Float32Array(300 * 300 * 21).fill(1),
    300 * 300 * 21,
  );
  const ra = new Float32Array(300 * 21).map((_, i) => Math.sin(i));
  const rb = new Float32Array(300 * 21).map((_, i) => Math.cos(i));
  await add(
    'reference: bare JS lerp pass (JS floor)',
    '300×300×21 values',
    () => {
      const d = out300.data;
      for (let y = 0, o = 0; y < 300; y++) {
        const t = y / 300;
        for (let i = 0; i < ra.length; i++, o++) d[o] = ra[i]! + (rb[i]! - ra[i]!) * t;
      }
    },
    300 * 300 * 21,
  );
  await add('resizeScoreMap (bilinear)', '224×224×21 → 120×90', () => resizeScoreMap(map, 120, 90), 120 * 90 * 21);
  await add(
    'cropAndWarpScoreMap',
    '500×375×21 box → 224×224',
    () => cropAndWarpScoreMap(createScoreMap(1, 1, 21), { x: 0, y: 0, width: 1, height: 1 }, 224, 224),
    224 * 224 * 21,
  );
  await add(
    'cropAndWarpRgb (bilinear)',
    '500×375 box(−40,20,300,260) → 224×224',
    () => cropAndWarpRgb(img, { x: -40, y: 20, width: 300, height: 260 }, 224, 224),
    224 * 224 * 3,
  );
  await add('resizeRgb (bilinear)', '500×375 → 250×250', () => resizeRgb(img, 250, 250), 250 * 250 * 3);
  await add('decodeImage (sharp, JPEG)', '500×375', () => decodeImage(jpeg), 500 * 375 * 3);
  await add('decodeLabelPng (fast-png)', '500×375', () => decodeLabelPng(png), 500 * 375);
  await add('encodeLabelPng (fast-png)', '500×375', () => encodeLabelPng(label), 500 * 375);
  const mem = process.memoryUsage();
  console.log('\n| operation | shape | median ms | runs | Mvalues/s |\n|---|---|---:|---:|---:|');
  for (const [name, shape, t, n] of rows)
    console.log(`| ${name} | ${shape} | ${t.median.toFixed(2)} | ${t.runs} | ${(n / t.median / 1000).toFixed(0)} |`);
  console.log(
    `\nWebAssembly SIMD kernel: ${simdAvailable() ? 'yes' : 'no (JS loops)'}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `peak RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB; node ${process.version}`,
  );
});
