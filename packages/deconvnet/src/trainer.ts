/**
 * The training loop shared by both DeconvNet stages and FCN-8s: seeded sample order and augmentation, gradient
 * accumulation, SGD momentum with step LR, validation per epoch, atomic checkpoints every N steps and exact
 * `resume` (weights incl. BN statistics, velocities, step, epoch position and RNG state are all in the checkpoint,
 * together with the loss/validation history).
 */
import { existsSync } from 'node:fs';
import type { LabelMap, RgbImage } from '@deconvnet/image';
import * as tf from '@tensorflow/tfjs-core';
import type { SegNet } from './net.js';
import { preprocessImages, segmentationLoss } from './preprocess.js';
import type { ProgressListener } from './progress.js';
import { Rng, type RngState } from './rng.js';
import { SgdMomentum, type SgdOptions } from './sgd.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';
import { getModelWeights, setModelWeights } from './weights.js';

export interface SampleSource {
  /** Number of distinct samples (windows) in one epoch. */
  readonly count: number;
  /** Materialises sample `index`; all randomness must come from `rng`. */
  get(index: number, rng: Rng): { image: RgbImage; label: LabelMap };
}

export interface TrainHistory {
  /** [step, mean loss of the step] for every optimizer step. */
  loss: [number, number][];
  /** [epoch (1-based; fractional for a final partial epoch), validation mIoU]. */
  validation: [number, number][];
  /** [step, learning rate] whenever it changes. */
  lr: [number, number][];
  seconds: number;
  steps: number;
  epochs: number;
}

export interface TrainOptions {
  net: SegNet;
  data: SampleSource;
  /** Name used in progress events and checkpoints ("stage1", "stage2", "fcn"). */
  name: string;
  epochs: number;
  /** Samples per forward pass. */
  batchSize?: number;
  /** Forward passes per optimizer step (effective batch = batchSize·accumulate). */
  accumulate?: number;
  sgd?: SgdOptions;
  seed?: number;
  /** Stop after this many optimizer steps in total (tests, --max-steps). */
  maxSteps?: number;
  checkpoint?: { path: string; every: number; resume?: boolean };
  /** Validation mIoU, called after every epoch. */
  validate?: () => Promise<number> | number;
  onProgress?: ProgressListener;
}

interface CheckpointMeta {
  format: 'deconvnet-checkpoint';
  version: 1;
  name: string;
  config: { batchSize: number; accumulate: number; epochs: number; count: number; seed: number };
  step: number;
  epoch: number;
  stepInEpoch: number;
  epochSeed: number;
  rng: RngState;
  history: TrainHistory;
  weightCount: number;
}

export class ResumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}

export async function train(options: TrainOptions): Promise<TrainHistory> {
  const { net, data, name } = options;
  const B = options.batchSize ?? 4;
  const A = options.accumulate ?? 1;
  const seed = options.seed ?? 1;
  const emit = options.onProgress ?? (() => {});
  if (data.count <= 0) throw new Error(`${name}: no training samples`);
  if (!(B >= 1 && A >= 1 && options.epochs >= 1)) throw new Error(`${name}: batch, accumulate and epochs must be ≥ 1`);
  const stepsPerEpoch = Math.max(1, Math.floor(data.count / (B * A)));
  const totalSteps = Math.min(stepsPerEpoch * options.epochs, options.maxSteps ?? Number.POSITIVE_INFINITY);
  const config = { batchSize: B, accumulate: A, epochs: options.epochs, count: data.count, seed };

  const vars = net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = new SgdMomentum(
    vars,
    options.sgd,
    net.model.trainableWeights.map((w) => w.originalName),
  );
  const rng = new Rng(seed);
  let step = 0;
  let epoch = 0;
  let stepInEpoch = 0;
  let epochSeed = rng.nextUint32();
  let history: TrainHistory = { loss: [], validation: [], lr: [], seconds: 0, steps: 0, epochs: 0 };

  const ck = options.checkpoint;
  if (ck?.resume && existsSync(ck.path)) {
    const { meta, arrays } = await readTensorFile(ck.path);
    const m = meta as CheckpointMeta;
    if (m?.format !== 'deconvnet-checkpoint' || m.name !== name)
      throw new ResumeError(`${ck.path}: not a checkpoint of ${name}`);
    for (const k of Object.keys(config) as (keyof typeof config)[]) {
      if (k !== 'epochs' && m.config[k] !== config[k]) {
        throw new ResumeError(`${ck.path}: checkpoint was made with ${k} = ${m.config[k]}, this run has ${config[k]}`);
      }
    }
    setModelWeights(net.model, arrays.slice(0, m.weightCount), ck.path);
    sgd.setState(arrays.slice(m.weightCount));
    ({ step, epoch, stepInEpoch, epochSeed, history } = m);
    rng.setState(m.rng);
    emit({
      kind: 'log',
      message: `${name}: resumed from ${ck.path} at step ${step} (epoch ${epoch + 1}, step ${stepInEpoch} of ${stepsPerEpoch})`,
    });
  }

  const save = async () => {
    if (!ck) return;
    const meta: CheckpointMeta = {
      format: 'deconvnet-checkpoint',
      version: 1,
      name,
      config,
      step,
      epoch,
      stepInEpoch,
      epochSeed,
      rng: rng.getState(),
      history,
      weightCount: net.model.weights.length,
    };
    await writeTensorFile(ck.path, meta, [...getModelWeights(net.model), ...sgd.getState()]);
  };

  const t0 = performance.now() - history.seconds * 1000;
  emit({ kind: 'start', task: name, total: totalSteps });
  emit({ kind: 'update', task: name, current: step, total: totalSteps });
  let order = epochOrder(data.count, epochSeed);
  try {
    while (step < totalSteps) {
      let lossSum = 0;
      let acc: tf.Tensor[] | null = null;
      for (let a = 0; a < A; a++) {
        const samples = [];
        for (let b = 0; b < B; b++) {
          const k = (stepInEpoch * A * B + a * B + b) % data.count;
          samples.push(data.get(order[k]!, rng));
        }
        const { loss, grads } = gradients(net, vars, samples);
        lossSum += loss;
        if (!acc) acc = grads;
        else {
          const next: tf.Tensor[] = acc.map((g, i) => tf.add(g, grads[i]!));
          tf.dispose([...acc, ...grads]);
          acc = next;
        }
      }
      const mean: tf.NamedTensorMap = {};
      tf.tidy(() => {
        vars.forEach((v, i) => {
          mean[v.name] = tf.keep(A === 1 ? acc![i]!.clone() : tf.div(acc![i]!, A));
        });
      });
      tf.dispose(acc!);
      const lr = sgd.lrAt(step);
      if (history.lr.length === 0 || history.lr[history.lr.length - 1]![1] !== lr) history.lr.push([step, lr]);
      sgd.apply(mean, step);
      tf.dispose(Object.values(mean));
      const loss = lossSum / A;
      if (!Number.isFinite(loss))
        throw new Error(`${name}: loss became ${loss} at step ${step + 1} (learning rate ${lr} too high?)`);
      history.loss.push([step + 1, loss]);
      step++;
      stepInEpoch++;
      emit({ kind: 'update', task: name, current: step, total: totalSteps, metrics: { epoch: epoch + 1, loss, lr } });
      if (stepInEpoch >= stepsPerEpoch) {
        epoch++;
        stepInEpoch = 0;
        if (options.validate) {
          const miou = await options.validate();
          history.validation.push([epoch, miou]);
          emit({ kind: 'log', message: `${name}: epoch ${epoch} validation mIoU ${(miou * 100).toFixed(1)}` });
        }
        epochSeed = rng.nextUint32();
        order = epochOrder(data.count, epochSeed);
      }
      history.steps = step;
      history.epochs = epoch;
      history.seconds = (performance.now() - t0) / 1000;
      if (ck && (step % ck.every === 0 || step === totalSteps)) await save();
    }
    // A run capped by maxSteps mid-epoch still ends with a validation point (x = fractional epoch).
    const at = Number((step / stepsPerEpoch).toFixed(4));
    const last = history.validation[history.validation.length - 1];
    if (options.validate && stepInEpoch > 0 && (!last || last[0] < at)) {
      const miou = await options.validate();
      history.validation.push([at, miou]);
      emit({ kind: 'log', message: `${name}: validation mIoU ${(miou * 100).toFixed(1)} after ${at} epochs` });
      if (ck) await save();
    }
  } finally {
    sgd.dispose();
  }
  history.seconds = (performance.now() - t0) / 1000;
  emit({ kind: 'end', task: name, seconds: history.seconds, metrics: { steps: step } });
  return history;
}

function epochOrder(count: number, seed: number): number[] {
  return new Rng(seed).shuffle(Array.from({ length: count }, (_, i) => i));
}

function gradients(
  net: SegNet,
  vars: tf.Variable[],
  samples: { image: RgbImage; label: LabelMap }[],
): { loss: number; grads: tf.Tensor[] } {
  const x = preprocessImages(samples.map((s) => s.image));
  const { width: w, height: h } = samples[0]!.label;
  const lab = new Int32Array(samples.length * w * h);
  samples.forEach((s, i) => {
    lab.set(s.label.data, i * w * h);
  });
  const y = tf.tensor3d(lab, [samples.length, h, w], 'int32');
  try {
    const { value, grads } = tf.variableGrads(() => {
      const logits = net.model.apply(x, { training: true }) as tf.Tensor;
      return segmentationLoss(logits, y);
    }, vars);
    const loss = value.dataSync()[0]!;
    value.dispose();
    return { loss, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
  } finally {
    x.dispose();
    y.dispose();
  }
}
