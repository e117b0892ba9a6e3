import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { test } from 'vitest';
import { selectBackend } from '../src/backend.js';
import { deconvNet } from '../src/builders/deconvnet.js';
import type { PresetName } from '../src/builders/presets.js';
import { createTrainer } from '../src/training/trainer.js';

// `npm run bench`: forward and forward+backward(+SGD update) ms per image for the tiny and small presets on each
// available backend, and the paper preset's forward time and peak memory for one 224×224 crop.
// BENCH_BACKENDS=cpu,wasm limits the backends; BENCH_PAPER=0 skips the paper preset (1 GB of weights).

const BATCH = 2;

function time(f: () => void | Promise<void>, reps: number, warmUp = 1): Promise<number> {
  return (async () => {
    // The first training steps are 2–5× slower (XNNPACK operators, V8 tiering): the trainer gets 3 warm-up steps.
    for (let i = 0; i < warmUp; i++) await f();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await f();
    return (performance.now() - t0) / reps;
  })();
}

test('DeconvNet forward and training speed', async () => {
  tf.env().set('IS_TEST', true);
  const backends = (process.env.BENCH_BACKENDS ?? 'tfjs-node,wasm,cpu').split(',');
  const rows: string[][] = [];
  let paperBackend: string | undefined;
  for (const candidate of backends) {
    let chosen: Awaited<ReturnType<typeof selectBackend>>;
    try {
      chosen = await selectBackend({ prefer: [candidate], training: true });
    } catch (e) {
      console.log(`skip ${candidate}: ${(e as Error).message}`);
      continue;
    }
    paperBackend = paperBackend === undefined || chosen.backend !== 'cpu' ? chosen.backend : paperBackend;
    for (const preset of ['tiny', 'small'] as PresetName[]) {
      const m = deconvNet({ preset, seed: 1 });
      const s = m.inputs[0]!.shape[1] as number;
      const x = tf.randomNormal([BATCH, s, s, 3], 0, 50) as tf.Tensor4D;
      const y = tf.randomUniformInt([BATCH, s, s], 0, 21);
      const fwd = await time(() => {
        const out = m.predict(x) as tf.Tensor;
        out.dataSync();
        out.dispose();
      }, 3);
      const trainer = createTrainer(m, { learningRate: 1e-3 });
      const train = await time(
        async () => {
          await trainer.step(x, y);
        },
        preset === 'tiny' ? 3 : 2,
        3,
      );
      trainer.dispose();
      rows.push([
        chosen.backend,
        preset,
        `${s}×${s}`,
        (fwd / BATCH).toFixed(1),
        (train / BATCH).toFixed(1),
        (train / fwd).toFixed(1),
        chosen.fastKernels.length ? `${chosen.fastKernels.length} fast kernels` : 'stock kernels',
      ]);
      tf.dispose([x, y]);
      m.dispose();
    }
  }
  console.log(`\nDeconvNet, batch ${BATCH}, ms per image (forward+backward includes the SGD update):`);
  console.log('| backend | preset | input | forward ms/img | fwd+bwd ms/img | ratio | kernels |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);

  if (process.env.BENCH_PAPER !== '0' && paperBackend) {
    await selectBackend({ prefer: [paperBackend === 'tensorflow' ? 'tfjs-node' : paperBackend] });
    const rssBefore = process.memoryUsage().rss;
    const t0 = performance.now();
    const m = deconvNet({ preset: 'paper', seed: 1 });
    const buildMs = performance.now() - t0;
    const x = tf.randomNormal([1, 224, 224, 3], 0, 50);
    const times: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const out = m.predict(x) as tf.Tensor;
      out.dataSync();
      out.dispose();
      times.push(performance.now() - t);
    }
    const peakRss = process.resourceUsage().maxRSS * 1024;
    console.log(
      `\nDeconvNet paper preset (${m.countParams().toLocaleString('en')} weights incl. BN moving stats), one 224×224 crop on ${tf.getBackend()}:`,
    );
    console.log('| build ms | first forward ms | forward ms | GMAC/s | tf bytes | RSS before | peak RSS |');
    console.log('|---|---|---|---|---|---|---|');
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `| ${buildMs.toFixed(0)} | ${times[0]!.toFixed(0)} | ${times[1]!.toFixed(0)} | ${(32.7 / (times[1]! / 1000)).toFixed(2)} | ${mb(tf.memory().numBytes)} | ${mb(rssBefore)} | ${mb(peakRss)} |`,
    );
    x.dispose();
    m.dispose();
  }
});
