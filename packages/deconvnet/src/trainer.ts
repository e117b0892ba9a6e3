/**
 * The training loop shared by both DeconvNet stages and FCN-8s. Data come from a {@link TrainingStream} (bounded
 * memory, seeded order and augmentation); SGD is @deconvnet/model's `createTrainer` (Caffe's solver: momentum,
 * decay, bias ×2, gradient accumulation, step schedule, here with an optional linear warm-up); validation per epoch;
 * atomic checkpoints every N steps and an exact `resume`: weights incl. BN statistics, the optimizer state, the step,
 * the epoch and the position in the stream are all in the checkpoint, together with the loss/validation history.
 */
import { existsSync } from 'node:fs';
import { createTrainer, type Trainer, type TrainerState } from '@deconvnet/model';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingSample } from './augment.js';
import type { SegNet } from './net.js';
import { preprocessImages } from './preprocess.js';
import type { ProgressListener } from './progress.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';
import { STREAM_START, type StreamCursor, type StreamItem, type TrainingStream } from './training-stream.js';
import { getModelWeights, setModelWeights } from './weights.js';

/** SGD settings as plain data (they are stored in the model descriptor). */
export interface SgdConfig {
  /** Base learning rate (paper 0.01). */
  lr?: number;
  /** Default 0.9. */
  momentum?: number;
  /** Default 5e-4. */
  weightDecay?: number;
  /** Multiply the rate by `gamma` every `stepSize` optimizer steps (0 = constant rate; Caffe's "step" policy). */
  stepSize?: number;
  /** Default 0.1. */
  gamma?: number;
  /** Ramp the rate linearly from lr/warmup to lr over the first `warmup` steps (default 0: none). */
  warmup?: number;
  /**
   * Caffe-style lr_mult per layer: the first entry whose regular expression matches a weight's name (e.g.
   * `^(fc6|fc7|score)`) multiplies its rate, on top of the biases' ×2.
   */
  lrMult?: { pattern: string; mult: number }[];
}

/** The learning rate of optimizer step `step` (0-based) under `sgd`. */
export function learningRateAt(sgd: SgdConfig, step: number): number {
  const lr = sgd.lr ?? 0.01;
  const stepSize = sgd.stepSize ?? 0;
  const warm = sgd.warmup && step < sgd.warmup ? (step + 1) / sgd.warmup : 1;
  return lr * warm * (stepSize > 0 ? (sgd.gamma ?? 0.1) ** Math.floor(step / stepSize) : 1);
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
  data: TrainingStream;
  /** Name used in progress events and checkpoints ("stage1", "stage2", "fcn"). */
  name: string;
  epochs: number;
  /** Samples per forward pass. */
  batchSize?: number;
  /** Forward passes per optimizer step (effective batch = batchSize·accumulate). */
  accumulate?: number;
  sgd?: SgdConfig;
  /** Recorded in the checkpoint: a resume with another seed is refused. */
  seed?: number;
  /** Stop after this many optimizer steps in total (tests, --max-steps). */
  maxSteps?: number;
  checkpoint?: { path: string; every: number; resume?: boolean };
  /** Validation mIoU, called after every epoch. */
  validate?: () => Promise<number> | number;
  onProgress?: ProgressListener;
}

export const CHECKPOINT_VERSION = 2;

interface CheckpointMeta {
  format: 'deconvnet-checkpoint';
  version: 2;
  name: string;
  config: { batchSize: number; accumulate: number; epochs: number; count: number; seed: number };
  step: number;
  epoch: number;
  stepInEpoch: number;
  /** Position in epoch `epoch`'s stream after the last sample of step `step`. */
  cursor: StreamCursor;
  optimizer: { passes: number; updates: number };
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
  const sgd = options.sgd ?? {};
  const emit = options.onProgress ?? (() => {});
  if (data.count <= 0) throw new Error(`${name}: no training samples`);
  if (!(B >= 1 && A >= 1 && options.epochs >= 1)) throw new Error(`${name}: batch, accumulate and epochs must be ≥ 1`);
  // Fewer samples than one step: the epoch is one step, its samples wrap around (tiny datasets, smoke tests).
  const wraps = data.count < B * A;
  const stepsPerEpoch = Math.max(1, Math.floor(data.count / (B * A)));
  const totalSteps = Math.min(stepsPerEpoch * options.epochs, options.maxSteps ?? Number.POSITIVE_INFINITY);
  const config = { batchSize: B, accumulate: A, epochs: options.epochs, count: data.count, seed };

  const trainer: Trainer = createTrainer(net.model, {
    learningRate: (u) => learningRateAt(sgd, u),
    momentum: sgd.momentum ?? 0.9,
    weightDecay: sgd.weightDecay ?? 5e-4,
    accumulate: A,
    lrMultiplier: (n) => {
      const rule = sgd.lrMult?.find((r) => new RegExp(r.pattern).test(n));
      return (rule?.mult ?? 1) * (/(^|\/)bias(_\d+)?$/.test(n) ? 2 : 1);
    },
  });
  let step = 0;
  let epoch = 0;
  let stepInEpoch = 0;
  let cursor: StreamCursor = STREAM_START;
  let history: TrainHistory = { loss: [], validation: [], lr: [], seconds: 0, steps: 0, epochs: 0 };

  const ck = options.checkpoint;
  try {
    if (ck?.resume && existsSync(ck.path)) {
      const { meta, arrays } = await readTensorFile(ck.path);
      const m = meta as CheckpointMeta;
      if (m?.format !== 'deconvnet-checkpoint' || m.name !== name)
        throw new ResumeError(`${ck.path}: not a checkpoint of ${name}`);
      if (m.version !== CHECKPOINT_VERSION) {
        throw new ResumeError(
          `${ck.path}: checkpoint format version ${m.version} (written by an older deconvnet, before streaming training) cannot be resumed by version ${CHECKPOINT_VERSION}; delete it or train without --resume`,
        );
      }
      for (const k of Object.keys(config) as (keyof typeof config)[]) {
        if (k !== 'epochs' && m.config[k] !== config[k]) {
          throw new ResumeError(
            `${ck.path}: checkpoint was made with ${k} = ${m.config[k]}, this run has ${config[k]}${k === 'count' ? ' (the training data changed)' : ''}`,
          );
        }
      }
      setModelWeights(net.model, arrays.slice(0, m.weightCount), ck.path);
      const state: TrainerState = {
        format: 'deconvnet-sgd',
        version: 1,
        ...m.optimizer,
        arrays: arrays.slice(m.weightCount),
      };
      try {
        trainer.setState(state);
      } catch (e) {
        throw new ResumeError(`${ck.path}: ${(e as Error).message}`);
      }
      ({ step, epoch, stepInEpoch, cursor, history } = m);
      emit({
        kind: 'log',
        message: `${name}: resumed from ${ck.path} at step ${step} (epoch ${epoch + 1}, step ${stepInEpoch} of ${stepsPerEpoch})`,
      });
    }
  } catch (e) {
    trainer.dispose();
    throw e;
  }

  const save = async () => {
    if (!ck) return;
    const state = trainer.getState();
    const meta: CheckpointMeta = {
      format: 'deconvnet-checkpoint',
      version: CHECKPOINT_VERSION,
      name,
      config,
      step,
      epoch,
      stepInEpoch,
      cursor,
      optimizer: { passes: state.passes, updates: state.updates },
      history,
      weightCount: net.model.weights.length,
    };
    await writeTensorFile(ck.path, meta, [...getModelWeights(net.model), ...state.arrays]);
  };

  const t0 = performance.now() - history.seconds * 1000;
  emit({ kind: 'start', task: name, total: totalSteps });
  emit({ kind: 'update', task: name, current: step, total: totalSteps });
  let stream: AsyncIterator<StreamItem> | undefined;
  const next = async (): Promise<StreamItem> => {
    stream ??= data.samples(epoch, cursor)[Symbol.asyncIterator]();
    let r = await stream.next();
    if (r.done && wraps) {
      stream = data.samples(epoch)[Symbol.asyncIterator]();
      r = await stream.next();
    }
    if (r.done) throw new Error(`${name}: the data stream of epoch ${epoch + 1} ended before ${data.count} samples`);
    return r.value;
  };
  try {
    while (step < totalSteps) {
      let lossSum = 0;
      const lr = trainer.learningRate();
      let last: StreamCursor = cursor;
      for (let a = 0; a < A; a++) {
        const batch: TrainingSample[] = [];
        for (let b = 0; b < B; b++) {
          const item = await next();
          batch.push(item.sample);
          last = item.next;
        }
        const { x, y } = toTensors(batch);
        try {
          lossSum += (await trainer.step(x, y)).loss;
        } finally {
          tf.dispose([x, y]);
        }
      }
      const loss = lossSum / A;
      if (!Number.isFinite(loss))
        throw new Error(`${name}: loss became ${loss} at step ${step + 1} (learning rate ${lr} too high?)`);
      if (history.lr.length === 0 || history.lr[history.lr.length - 1]![1] !== lr) history.lr.push([step, lr]);
      history.loss.push([step + 1, loss]);
      step++;
      stepInEpoch++;
      cursor = last;
      emit({ kind: 'update', task: name, current: step, total: totalSteps, metrics: { epoch: epoch + 1, loss, lr } });
      if (stepInEpoch >= stepsPerEpoch) {
        // The samples left over after the last full step are dropped; the next epoch starts a fresh permutation.
        epoch++;
        stepInEpoch = 0;
        cursor = STREAM_START;
        await stream?.return?.();
        stream = undefined;
        if (options.validate) {
          const miou = await options.validate();
          history.validation.push([epoch, miou]);
          emit({ kind: 'log', message: `${name}: epoch ${epoch} validation mIoU ${(miou * 100).toFixed(1)}` });
        }
      }
      history.steps = step;
      history.epochs = epoch;
      history.seconds = (performance.now() - t0) / 1000;
      if (ck && (step % ck.every === 0 || step === totalSteps)) await save();
    }
    // A run capped by maxSteps mid-epoch still ends with a validation point (x = fractional epoch).
    const at = Number((step / stepsPerEpoch).toFixed(4));
    const lastVal = history.validation[history.validation.length - 1];
    if (options.validate && stepInEpoch > 0 && (!lastVal || lastVal[0] < at)) {
      const miou = await options.validate();
      history.validation.push([at, miou]);
      emit({ kind: 'log', message: `${name}: validation mIoU ${(miou * 100).toFixed(1)} after ${at} epochs` });
      if (ck) await save();
    }
  } finally {
    await stream?.return?.();
    trainer.dispose();
  }
  history.seconds = (performance.now() - t0) / 1000;
  emit({ kind: 'end', task: name, seconds: history.seconds, metrics: { steps: step } });
  return history;
}

function toTensors(samples: readonly TrainingSample[]): { x: tf.Tensor4D; y: tf.Tensor3D } {
  const x = preprocessImages(samples.map((s) => s.image));
  const { width: w, height: h } = samples[0]!.label;
  const lab = new Int32Array(samples.length * w * h);
  samples.forEach((s, i) => {
    lab.set(s.label.data, i * w * h);
  });
  return { x, y: tf.tensor3d(lab, [samples.length, h, w], 'int32') };
}
