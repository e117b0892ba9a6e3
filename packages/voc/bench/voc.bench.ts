import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import {
  ConfusionMatrix,
  createDataset,
  createVocDataset,
  type DatasetEntry,
  generateSyntheticVoc,
  readMat,
} from '../src/index.js';

const FIX = new URL('../../../../shared/fixtures/', import.meta.url).pathname;

interface Row {
  what: string;
  ms: number;
  /** CPU time (user + system, all threads of this process incl. libvips) per item: less sensitive to machine load. */
  cpuMs?: number;
  rate: string;
  rssMB: number;
  heapMB: number;
}

const mem = () => ({ rssMB: process.memoryUsage().rss / 2 ** 20, heapMB: process.memoryUsage().heapUsed / 2 ** 20 });

let lastCpuMs = 0;
async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const c = process.cpuUsage(c0);
  lastCpuMs = (c.user + c.system) / 1000;
  return [performance.now() - t0, r];
}

test('voc bench', async () => {
  const rows: Row[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'voc-bench-'));
  try {
    // 1. synthetic generation
    for (const [w, h, n] of [
      [500, 375, 60],
      [160, 120, 200],
    ] as const) {
      const out = join(tmp, `synth-${w}`);
      const [ms] = await time(() =>
        generateSyntheticVoc({ out, train: n, val: 0, width: w, height: h, seed: 1, concurrency: 2 }),
      );
      rows.push({
        what: `synth generate ${w}×${h} (${n} images, 2 workers)`,
        ms,
        cpuMs: lastCpuMs / n,
        rate: `${((n / ms) * 1000).toFixed(1)} images/s`,
        ...mem(),
      });
    }

    // 2. loading + decoding (JPEG + palette PNGs), synthetic 500×375 set
    const root = join(tmp, 'synth-500');
    for (const concurrency of [1, 4]) {
      for (const instances of [false, true]) {
        const ds = await createVocDataset({ root, split: 'train', concurrency, instances });
        const [ms, n] = await time(async () => {
          let k = 0;
          for await (const _ of ds) k++;
          return k;
        });
        rows.push({
          what: `load VOC 500×375 ${instances ? 'image+class+instances' : 'image+class'}, prefetch ${concurrency}`,
          ms,
          cpuMs: lastCpuMs / n,
          rate: `${((n / ms) * 1000).toFixed(1)} images/s`,
          ...mem(),
        });
      }
    }
    // real fixtures (repeated entries): VOC JPEG+PNG and SBD JPEG+.mat
    const reps = 30;
    const vocEntries: DatasetEntry[] = Array.from({ length: reps }, (_, i) => ({
      id: i % 2 ? '2007_000129' : '2007_000063',
      source: 'voc',
      root: join(FIX, 'voc-mini', 'VOC2012'),
    }));
    const sbdEntries: DatasetEntry[] = Array.from({ length: reps }, (_, i) => ({
      id: i % 2 ? '2008_000195' : '2008_000051',
      source: 'sbd',
      root: join(FIX, 'sbd-mini', 'dataset'),
    }));
    for (const [name, entries] of [
      ['voc-mini (real VOC files)', vocEntries],
      ['sbd-mini (JPEG + cls .mat)', sbdEntries],
    ] as const) {
      const ds = createDataset(entries, { concurrency: 4 });
      const [ms] = await time(async () => {
        for await (const _ of ds);
      });
      rows.push({
        what: `load ${name}, prefetch 4`,
        ms,
        cpuMs: lastCpuMs / reps,
        rate: `${((reps / ms) * 1000).toFixed(1)} images/s`,
        ...mem(),
      });
    }
    const matBytes = readFileSync(join(FIX, 'sbd-mini', 'dataset', 'cls', '2008_000051.mat'));
    const [matMs] = await time(async () => {
      for (let k = 0; k < 50; k++) readMat(matBytes);
    });
    rows.push({
      what: 'readMat GTcls 500×371 (+20 sparse maps)',
      ms: matMs / 50,
      rate: `${(50 / matMs) * 1000 > 0 ? ((50 / matMs) * 1000).toFixed(0) : '?'} files/s`,
      ...mem(),
    });

    // 3. evaluation: confusion-matrix accumulation
    const W = 500;
    const H = 375;
    const gt = { width: W, height: H, data: new Uint8Array(W * H) };
    const pred = { width: W, height: H, data: new Uint8Array(W * H) };
    for (let i = 0; i < W * H; i++) {
      gt.data[i] = i % 97 === 0 ? 255 : (i >> 7) % 21;
      pred.data[i] = (i * 7) % 13 === 0 ? (i >> 5) % 21 : gt.data[i] === 255 ? 0 : gt.data[i]!;
    }
    const cm = new ConfusionMatrix();
    const iters = 200;
    const [evalMs] = await time(async () => {
      for (let k = 0; k < iters; k++) cm.add(gt, pred);
    });
    rows.push({
      what: `ConfusionMatrix.add 500×375 ×${iters}`,
      ms: evalMs / iters,
      rate: `${((iters * W * H) / evalMs / 1000).toFixed(0)} Mpixel/s`,
      ...mem(),
    });
    const [metricsMs] = await time(async () => {
      for (let k = 0; k < 1000; k++) cm.metrics();
    });
    rows.push({ what: 'metrics() 21 classes', ms: metricsMs / 1000, rate: '', ...mem() });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\n@deconvnet/voc bench — node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);
  console.log('| what | wall ms (total or per item) | CPU ms per item | throughput | rss MB | heap MB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const cpu = r.cpuMs === undefined ? '' : r.cpuMs.toFixed(1);
    console.log(
      `| ${r.what} | ${r.ms.toFixed(1)} | ${cpu} | ${r.rate} | ${r.rssMB.toFixed(0)} | ${r.heapMB.toFixed(0)} |`,
    );
  }
});
