/**
 * `npm run bench`: the per-image and per-step costs of the pipeline with the tiny preset on the default backend
 * (wasm + fast kernels): one training step (stage-1 windows), and one image through each inference stage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticVoc } from '@deconvnet/voc';
import { test } from 'vitest';
import { makeSample } from '../src/augment.js';
import { initBackend } from '../src/backend.js';
import { buildNet } from '../src/model-glue.js';
import { createSegmenter } from '../src/segmenter.js';
import { loadSplit } from '../src/train-pipeline.js';
import { train } from '../src/trainer.js';
import { balanceByRepetition, stage1Windows } from '../src/windows.js';

test('pipeline costs', async () => {
  const backend = await initBackend();
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const voc = await generateSyntheticVoc({ out: dir, train: 16, val: 4, width: 160, height: 120, seed: 1 });
  const samples = await loadSplit(voc.root, 'train');
  const rows: { what: string; ms: number; cpuMs: number }[] = [];
  const measure = async (what: string, n: number, fn: () => Promise<unknown> | unknown) => {
    await fn(); // warm-up
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    const c = process.cpuUsage(c0);
    rows.push({ what, ms: (performance.now() - t0) / n, cpuMs: (c.user + c.system) / 1000 / n });
  };
  const net = buildNet('deconvnet', { preset: 'tiny', numClasses: 21, seed: 1 });
  const fcn = buildNet('fcn', { preset: 'tiny', numClasses: 21, seed: 2 });
  const wins = balanceByRepetition(samples.flatMap((s, i) => stage1Windows(i, s.instances)));
  const data = {
    count: wins.length,
    get(i: number, rng: import('../src/rng.js').Rng) {
      const w = wins[i]!;
      const s = samples[w.image]!;
      const inst = s.instances.find((k) => k.id === w.instanceId)!;
      return makeSample(
        s.image,
        s.label,
        w.box,
        rng,
        { inputSize: net.inputSize },
        { mask: inst.mask, classId: inst.classIndex },
      );
    },
  };
  for (const batch of [4, 8]) {
    await measure(`train step, tiny DeconvNet, batch ${batch}`, 1, () =>
      train({ net, data, name: 'b', epochs: 1, maxSteps: 3, batchSize: batch }).then(() => {}),
    );
    rows[rows.length - 1]!.ms /= 3;
    rows[rows.length - 1]!.cpuMs /= 3;
  }
  const image = samples[0]!.image;
  const variants = ['FCN', 'DeconvNet', 'DeconvNet+CRF', 'EDeconvNet', 'EDeconvNet+CRF'] as const;
  for (const count of [10, 50]) {
    const seg = createSegmenter({
      model: net,
      fcn,
      proposals: { candidates: 1000, count, minSide: { relative: 0.1 } },
      crf: { spatialScale: 0.32 },
    });
    await measure(`segment 160×120, ${count} proposals, EDeconvNet+CRF`, 3, () => seg.segment(image));
    const timings: Record<string, number> = {};
    const out = await seg.segmentVariants(image, variants);
    for (const [k, v] of Object.entries(out.timings)) timings[k] = v;
    for (const [k, v] of Object.entries(timings))
      rows.push({ what: `  of which ${k} (all 5 variants)`, ms: v * 1000, cpuMs: Number.NaN });
  }
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
  console.log(
    `\ndeconvnet pipeline, backend ${backend.name} (${backend.fastKernels.length} fast kernels), load average ${load}`,
  );
  console.log('| what | ms | CPU ms |\n|---|---:|---:|');
  for (const r of rows)
    console.log(`| ${r.what} | ${r.ms.toFixed(0)} | ${Number.isFinite(r.cpuMs) ? r.cpuMs.toFixed(0) : ''} |`);
  const m = process.memoryUsage();
  console.log(`peak-ish memory: rss ${(m.rss / 2 ** 20).toFixed(0)} MB, heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MB`);
});
