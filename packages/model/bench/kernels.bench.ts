import { execSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { test } from 'vitest';
import { deconvNet } from '../src/builders/deconvnet.js';
import { fcn8s } from '../src/builders/fcn8s.js';
import { registerFastKernels, restoreKernels } from '../src/kernels/index.js';
import { segmentationLoss } from '../src/loss.js';

/**
 * `npm run bench`: per-kernel timings (stock → fast) and train-step vs forward ms/image for DeconvNet and FCN-8s,
 * tiny and small presets, on wasm and cpu, with each step's per-kernel profile. The 2 cores are shared with other
 * jobs, so kernel times are process CPU time (min over repeats) and the train/forward ratios interleave the two,
 * reported both in wall time (median of per-round ratios) and in CPU time (ratio of medians).
 * BENCH_SLOW=0 skips the two cpu/small rows (~3 of the ~7 minutes at load 6); BENCH_BACKENDS=wasm (or cpu) limits the
 * backends.
 */

type Backend = 'wasm' | 'cpu';
/** The machine's float32 GEMM rate (OpenBLAS, both cores), GFLOP/s. */
const GEMM_LIMIT = 160;
const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');

/** Process CPU time of one call, ms (tfjs wasm/cpu run on the main thread only: robust to the other jobs' load). */
function cpuMs(f: () => void): number {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

/** Minimum CPU time over `reps` calls after a warm-up call (none when reps is 1). */
function minMs(f: () => void, reps: number, budgetMs = 4000): number {
  if (reps === 1) return cpuMs(f);
  f();
  let best = Number.POSITIVE_INFINITY;
  const start = performance.now();
  for (let i = 0; i < reps && (i < 2 || performance.now() - start < budgetMs); i++) best = Math.min(best, cpuMs(f));
  return best;
}

interface KernelCase {
  label: string;
  kernel: string;
  make: () => Record<string, tf.Tensor>;
  attrs: object;
  flops: number;
}

function convCase(
  kind: 'Conv2D' | 'Conv2DBackpropFilter' | 'Conv2DBackpropInput',
  x: number[],
  f: number[],
  s = 1,
  pad: 'same' | 'valid' = 'same',
  note = '',
): KernelCase {
  const info = tf.backend_util.computeConv2DInfo(x as never, f as never, s, 1, pad);
  const dy = [x[0]!, info.outHeight, info.outWidth, f[3]!];
  const flops = 2 * dy.reduce((a, b) => a * b) * f[0]! * f[1]! * f[2]!;
  const label = `${kind} x${JSON.stringify(x)} f${JSON.stringify(f)} s${s}${pad === 'valid' ? ' valid' : ''}${note}`;
  if (kind === 'Conv2D') {
    return {
      label,
      kernel: kind,
      flops,
      make: () => ({ x: tf.randomNormal(x), filter: tf.randomNormal(f) }),
      attrs: { strides: s, pad, dataFormat: 'NHWC', dilations: 1 },
    };
  }
  if (kind === 'Conv2DBackpropFilter') {
    return {
      label,
      kernel: kind,
      flops,
      make: () => ({ x: tf.randomNormal(x), dy: tf.randomNormal(dy) }),
      attrs: { strides: s, pad, dataFormat: 'NHWC', filterShape: f },
    };
  }
  return {
    label,
    kernel: kind,
    flops,
    make: () => ({ dy: tf.randomNormal(dy), filter: tf.randomNormal(f) }),
    attrs: { strides: s, pad, dataFormat: 'NHWC', inputShape: x },
  };
}

const kernelCases: KernelCase[] = [
  convCase('Conv2D', [8, 64, 64, 8], [3, 3, 8, 8]),
  convCase('Conv2DBackpropFilter', [8, 64, 64, 8], [3, 3, 8, 8]),
  convCase('Conv2DBackpropInput', [8, 64, 64, 8], [3, 3, 8, 8]),
  convCase('Conv2D', [4, 32, 32, 64], [3, 3, 64, 64]),
  convCase('Conv2DBackpropFilter', [4, 32, 32, 64], [3, 3, 64, 64]),
  convCase('Conv2DBackpropInput', [4, 32, 32, 64], [3, 3, 64, 64]),
  convCase('Conv2D', [4, 128, 128, 16], [3, 3, 16, 16]),
  convCase('Conv2DBackpropFilter', [4, 128, 128, 16], [3, 3, 16, 16]),
  convCase('Conv2DBackpropInput', [4, 128, 128, 16], [3, 3, 16, 16]),
  convCase('Conv2DBackpropFilter', [4, 64, 64, 16], [3, 3, 16, 32], 2),
  // FCN-8s small (128 px, B=2): conv1_2 at 224×224 (pad 49), conv3_2, and the transposed convolutions. A
  // conv2dTranspose is Conv2DBackpropInput forward; its gradients are Conv2D (input) and Conv2DBackpropFilter
  // (filter, only for the learnt upscore2 / upscore_pool4: upscore8 is fixed).
  convCase('Conv2D', [2, 224, 224, 16], [3, 3, 16, 16]),
  convCase('Conv2DBackpropFilter', [2, 224, 224, 16], [3, 3, 16, 16]),
  convCase('Conv2DBackpropInput', [2, 224, 224, 16], [3, 3, 16, 16]),
  convCase('Conv2D', [2, 56, 56, 64], [3, 3, 64, 64]),
  convCase('Conv2DBackpropFilter', [2, 56, 56, 64], [3, 3, 64, 64]),
  convCase('Conv2DBackpropInput', [2, 56, 56, 64], [3, 3, 64, 64]),
  convCase('Conv2DBackpropInput', [2, 184, 184, 21], [16, 16, 21, 21], 8, 'valid', ' (upscore8 fwd)'),
  convCase('Conv2D', [2, 184, 184, 21], [16, 16, 21, 21], 8, 'valid', ' (upscore8 dx)'),
  convCase('Conv2DBackpropFilter', [2, 184, 184, 21], [16, 16, 21, 21], 8, 'valid', ' (if learnt)'),
  convCase('Conv2DBackpropInput', [2, 10, 10, 21], [4, 4, 21, 21], 2, 'valid', ' (upscore2 fwd)'),
  convCase('Conv2DBackpropFilter', [2, 10, 10, 21], [4, 4, 21, 21], 2, 'valid', ' (upscore2 dW)'),
  {
    label: 'MaxPoolGrad [2,224,224,16] 2×2/2 (FCN small pool1)',
    kernel: 'MaxPoolGrad',
    flops: 0,
    make: () => ({
      dy: tf.randomNormal([2, 112, 112, 16]),
      input: tf.randomNormal([2, 224, 224, 16]),
      output: tf.randomNormal([2, 112, 112, 16]),
    }),
    attrs: { filterSize: [2, 2], strides: [2, 2], pad: 'same' },
  },
  {
    label: 'Sum [2,224,224,16] axes 0,1,2 (bias gradient)',
    kernel: 'Sum',
    flops: 2 * 224 * 224 * 16,
    make: () => ({ x: tf.randomNormal([2, 224, 224, 16]) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    label: 'MaxPoolGrad [2,160,160,8] 2×2/2 (FCN pool1)',
    kernel: 'MaxPoolGrad',
    flops: 0,
    make: () => ({
      dy: tf.randomNormal([2, 80, 80, 8]),
      input: tf.randomNormal([2, 160, 160, 8]),
      output: tf.randomNormal([2, 80, 80, 8]),
    }),
    attrs: { filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
  },
  {
    label: 'Tile [1,1,1,16] → [4,128,128,16]',
    kernel: 'Tile',
    flops: 0,
    make: () => ({ x: tf.randomNormal([1, 1, 1, 16]) }),
    attrs: { reps: [4, 128, 128, 1] },
  },
  {
    label: 'Slice [4,64,2,64,32] (pool tap)',
    kernel: 'Slice',
    flops: 0,
    make: () => ({ x: tf.randomNormal([4, 64, 2, 64, 32]) }),
    attrs: { begin: [0, 0, 1, 0, 16], size: [4, 64, 1, 64, 16] },
  },
  {
    label: 'Concat 2×[4,64,64,16] axis 3',
    kernel: 'Concat',
    flops: 0,
    make: () => ({ a: tf.randomNormal([4, 64, 64, 16]), b: tf.randomNormal([4, 64, 64, 16]) }),
    attrs: { axis: 3 },
  },
  {
    label: 'Multiply [1,1,1,16]·[4,64,64,16]',
    kernel: 'Multiply',
    flops: 4 * 64 * 64 * 16,
    make: () => ({ a: tf.randomNormal([1, 1, 1, 16]), b: tf.randomNormal([4, 64, 64, 16]) }),
    attrs: {},
  },
  {
    label: 'Sum [4,64,64,16] axes 0,1,2',
    kernel: 'Sum',
    flops: 4 * 64 * 64 * 16,
    make: () => ({ x: tf.randomNormal([4, 64, 64, 16]) }),
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
];

function timeKernel(c: KernelCase, backend: Backend, reps: number): number | undefined {
  if (!tf.getKernel(c.kernel, backend)) return undefined;
  const ins = c.make();
  const inputs = c.kernel === 'Concat' ? Object.values(ins) : ins;
  try {
    return minMs(() => {
      const out = tf.engine().runKernel(c.kernel, inputs as never, c.attrs as never) as tf.Tensor;
      out.dataSync();
      out.dispose();
    }, reps);
  } catch {
    return undefined;
  } finally {
    tf.dispose(Object.values(ins));
  }
}

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms.toFixed(1));
const gflops = (flops: number, ms: number | undefined) =>
  ms === undefined || flops === 0 ? '' : (flops / ms / 1e6).toFixed(2);

async function kernelTable(backend: Backend) {
  await tf.setBackend(backend);
  await tf.ready();
  console.log(
    `\nper-kernel, ${backend} (${load()}); stock → fast, CPU ms (GFLOP/s); — = kernel missing (wasm) or not timed; 'stock' = not replaced on this backend (both columns are the stock kernel: shows the noise)`,
  );
  console.log(
    `${'kernel, shape'.padEnd(72)} ${'stock ms'.padStart(9)} ${'GF/s'.padStart(6)} ${'fast ms'.padStart(8)} ${'GF/s'.padStart(6)} ${'speed-up'.padStart(8)} ${'fast % of GEMM limit'.padStart(20)}`,
  );
  for (const c of kernelCases) {
    restoreKernels(backend);
    // The stock cpu Conv2DBackpropFilter runs at ~5 MFLOP/s (7 s for the first shape): time it once, on that shape.
    const slowStock = backend === 'cpu' && c.kernel === 'Conv2DBackpropFilter';
    // cpu convolutions run at ~0.5 GFLOP/s: one timed call (no warm-up) for the big shapes.
    const reps = backend === 'cpu' && c.flops > 1e8 ? 1 : 5;
    const before = slowStock && c.flops > 1e8 ? undefined : timeKernel(c, backend, slowStock ? 1 : reps);
    const replaced = registerFastKernels(backend).includes(c.kernel);
    const after = timeKernel(c, backend, reps);
    const speedup = !replaced
      ? 'stock'
      : before !== undefined && after !== undefined
        ? `${(before / after).toFixed(1)}×`
        : '';
    console.log(
      `${c.label.padEnd(72)} ${fmt(before).padStart(9)} ${gflops(c.flops, before).padStart(6)} ${fmt(after).padStart(8)} ${gflops(c.flops, after).padStart(6)} ${speedup.padStart(8)} ${(c.flops && after ? `${((100 * c.flops) / after / 1e6 / GEMM_LIMIT).toFixed(1)}%` : '').padStart(20)}`,
    );
  }
}

const CONV = new Set(['Conv2D', 'FusedConv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']);
/** FLOPs of a convolution kernel from its profiled shapes: 2 · (output-grid size) · KH·KW·Ci·Co. */
function convFlops(name: string, inputShapes: number[][], outputShapes: number[][]): number {
  const prod = (s: number[] | undefined) => (s ?? []).reduce((a, b) => a * b, 1);
  if (name === 'Conv2DBackpropFilter') {
    const f = outputShapes[0]!;
    return (2 * prod(inputShapes[1]) * prod(f)) / f[3]!;
  }
  const f = inputShapes[1]!;
  const grid = name === 'Conv2DBackpropInput' ? inputShapes[0] : outputShapes[0];
  return (2 * prod(grid) * prod(f)) / f[3]!;
}

interface TrainRow {
  backend: Backend;
  net: string;
  preset: string;
  size: number;
  batch: number;
  fwdMs: number;
  trainMs: number;
  wallRatio: number;
  cpuRatio: number;
  minRatio: number;
  range: string;
  convGflops: number;
  convShare: number;
}

/**
 * One training configuration. The step is the core of `createTrainer`: gradients of `segmentationLoss` w.r.t. the
 * model's trainable weights only (FCN-8s's fixed `upscore8` gets no filter gradient), then a plain SGD update (the
 * trainer's momentum / decay add ~4 tiny element-wise ops per weight); the forward pass is the same training-mode
 * forward + loss without gradients.
 */
async function trainTable(
  backend: Backend,
  net: 'deconvnet' | 'fcn8s',
  preset: 'tiny' | 'small',
  batch: number,
  rounds: number,
): Promise<TrainRow> {
  await tf.setBackend(backend);
  await tf.ready();
  registerFastKernels(backend);
  const model = net === 'deconvnet' ? deconvNet({ preset, seed: 1 }) : fcn8s({ preset, seed: 1 });
  const size = (model.inputs[0]!.shape[1] as number | null) ?? (preset === 'tiny' ? 64 : 128);
  const x = tf.randomNormal([batch, size, size, 3]);
  const labels = tf.randomUniformInt([batch, size, size], 0, 21);
  const opt = tf.train.sgd(1e-3);
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const lossOf = () => segmentationLoss(model.apply(x, { training: true }) as tf.Tensor, labels);
  const forward = () => tf.tidy(() => lossOf().dataSync());
  const train = () => {
    const l = opt.minimize(lossOf, true, weights) as tf.Scalar;
    l.dataSync();
    l.dispose();
  };
  forward();
  train();
  // Wall and process CPU time (tfjs wasm/cpu run on the main thread only, so CPU time is the work done, whatever
  // the other jobs on the 2 cores do).
  const fw: number[] = [];
  const tr: number[] = [];
  const fc: number[] = [];
  const tc: number[] = [];
  const timed = (f: () => void, wall: number[], cpu: number[]) => {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  };
  for (let r = 0; r < rounds; r++) {
    timed(forward, fw, fc);
    timed(train, tr, tc);
  }
  const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
  const ratios = fw.map((f, i) => tr[i]! / f);
  const cpuRatio = median(tc) / median(fc);
  // Other jobs only ever add time: the ratio of the fastest rounds is the least disturbed estimate.
  const minRatio = Math.min(...tc) / Math.min(...fc);
  const prof = await tf.profile(train);
  let convMs = 0;
  let convFl = 0;
  const byKernel = new Map<string, { ms: number; n: number }>();
  for (const k of prof.kernels) {
    if (k.name.endsWith('__op')) continue; // op-level wrappers around kernels: counted by their kernels
    const ms = k.kernelTimeMs as number;
    const agg = byKernel.get(k.name) ?? { ms: 0, n: 0 };
    agg.ms += ms;
    agg.n++;
    byKernel.set(k.name, agg);
    if (!CONV.has(k.name)) continue;
    convMs += ms;
    convFl += convFlops(k.name, k.inputShapes as number[][], k.outputShapes as number[][]);
  }
  const stepMs = [...byKernel.values()].reduce((a, v) => a + v.ms, 0);
  const top = [...byKernel]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 8)
    .map(([name, v]) => `${name} ${v.ms.toFixed(0)}${v.n > 1 ? `/${v.n}` : ''}`)
    .join(', ');
  const row: TrainRow = {
    backend,
    net,
    preset,
    size,
    batch,
    fwdMs: median(fw) / batch,
    trainMs: median(tr) / batch,
    wallRatio: median(ratios),
    cpuRatio,
    minRatio,
    range: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    convGflops: convFl / convMs / 1e6,
    convShare: convMs / stepMs,
  };
  console.log(
    `${backend.padEnd(5)} ${net.padEnd(9)} ${preset.padEnd(6)} ${size}px B=${String(batch).padEnd(2)} forward ${row.fwdMs.toFixed(1).padStart(7)} ms/img` +
      `  train ${row.trainMs.toFixed(1).padStart(7)} ms/img  train/forward ${row.wallRatio.toFixed(2)} (range ${row.range})` +
      `  | CPU time: forward ${(median(fc) / batch).toFixed(1)}, train ${(median(tc) / batch).toFixed(1)} ms/img, ratio ${cpuRatio.toFixed(2)} (fastest rounds ${minRatio.toFixed(2)})\n     ` +
      `  conv ${(convFl / 1e9).toFixed(2)} GFLOP in ${convMs.toFixed(0)} ms = ${row.convGflops.toFixed(2)} GFLOP/s` +
      ` (${((100 * row.convGflops) / GEMM_LIMIT).toFixed(1)}% of the ${GEMM_LIMIT} GFLOP/s limit; ${(100 * row.convShare).toFixed(0)}% of kernel time)` +
      `  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n       step profile (wall ms/calls): ${top}`,
  );
  tf.dispose([x, labels]);
  opt.dispose();
  model.dispose();
  return row;
}

/** tfjs-backend-wasm's own GEMM (XNNPACK via BatchMatMul, one core): the practical ceiling of our kernels. */
async function wasmGemmRate(): Promise<number> {
  await tf.setBackend('wasm');
  await tf.ready();
  const a = tf.randomNormal([1, 512, 512]);
  const b = tf.randomNormal([1, 512, 512]);
  const ms = minMs(() => {
    const o = tf.matMul(a, b);
    o.dataSync();
    o.dispose();
  }, 7);
  tf.dispose([a, b]);
  return (2 * 512 ** 3) / ms / 1e6;
}

test('fast training kernels', async () => {
  tf.enableProdMode();
  const slow = process.env.BENCH_SLOW !== '0';
  console.log(`fast kernels bench, ${new Date().toISOString()}, ${load()}`);
  // Training first, on a fresh heap (the kernel tables leave a large heap behind, and GC time counts as CPU time).
  console.log(
    `\ntrain step (forward + backward + SGD update of the trainable weights) vs forward (training mode + loss), ${load()}`,
  );
  const backends = (process.env.BENCH_BACKENDS ?? 'wasm,cpu').split(',');
  const rows: TrainRow[] = [];
  if (backends.includes('wasm')) {
    rows.push(await trainTable('wasm', 'deconvnet', 'tiny', 4, 9));
    rows.push(await trainTable('wasm', 'deconvnet', 'small', 2, 5));
    rows.push(await trainTable('wasm', 'fcn8s', 'tiny', 2, 7));
    rows.push(await trainTable('wasm', 'fcn8s', 'small', 2, 5));
  }
  if (backends.includes('cpu')) {
    rows.push(await trainTable('cpu', 'deconvnet', 'tiny', 2, 3));
    rows.push(await trainTable('cpu', 'fcn8s', 'tiny', 2, 3));
    if (slow) {
      rows.push(await trainTable('cpu', 'deconvnet', 'small', 1, 3));
      rows.push(await trainTable('cpu', 'fcn8s', 'small', 1, 3));
    } else console.log('(BENCH_SLOW=0: cpu small rows skipped)');
  }
  console.log(
    `\n| backend | model | preset | input, batch | forward ms/img (wall) | train ms/img (wall) | train/forward wall | CPU time | CPU, fastest rounds | conv GFLOP/s |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const ok = Math.max(r.wallRatio, r.cpuRatio, r.minRatio) <= 3.5 ? '' : ' (over 3.5)';
    console.log(
      `| ${r.backend} | ${r.net} | ${r.preset} | ${r.size} px, B=${r.batch} | ${r.fwdMs.toFixed(1)} | ${r.trainMs.toFixed(1)} | ${r.wallRatio.toFixed(2)} (${r.range}) | ${r.cpuRatio.toFixed(2)} | ${r.minRatio.toFixed(2)}${ok} | ${r.convGflops.toFixed(1)} |`,
    );
  }
  const gemm = await wasmGemmRate();
  console.log(
    `\nGEMM: machine limit ~${GEMM_LIMIT} GFLOP/s (OpenBLAS, both cores); tfjs wasm BatchMatMul 512³ (XNNPACK, one core) ${gemm.toFixed(1)} GFLOP/s = ${((100 * gemm) / GEMM_LIMIT).toFixed(0)}% of it.`,
  );
  for (const b of backends) await kernelTable(b as Backend);
  console.log(`done, ${load()}`);
});
