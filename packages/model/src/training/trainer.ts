import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { segmentationLoss } from '../loss.js';

export interface TrainerOptions {
  /** Base learning rate, or a schedule of the update index (0-based), e.g. `stepSchedule(0.01, 0.1, 9000)`. */
  learningRate: number | ((update: number) => number);
  /** SGD momentum (0.9 in the original solvers). */
  momentum?: number;
  /** L2 weight decay on kernels and BN parameters (0.0005 in the original); biases are not decayed. */
  weightDecay?: number;
  /** Forward/backward passes accumulated per update (Caffe `iter_size`, 8 in the original: 8 × 8 = batch 64). */
  accumulate?: number;
  /** Learning-rate multiplier of conv/deconv biases (2 in the original prototxts). */
  biasLrMultiplier?: number;
  /** Loss of a batch; default per-pixel softmax cross-entropy ignoring 255. */
  loss?: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
}

export interface StepResult {
  /** Loss of this forward pass (before the update). */
  loss: number;
  /** True when this pass completed an accumulation round and the weights were updated. */
  updated: boolean;
  /** Updates applied so far. */
  updates: number;
}

export interface Trainer {
  /** One forward/backward pass on a batch (BN in training mode); updates the weights every `accumulate` passes. */
  step(images: tf.Tensor, labels: tf.Tensor): Promise<StepResult>;
  readonly updates: number;
  /** Frees the momentum and accumulation buffers (the model is untouched). */
  dispose(): void;
}

/** Caffe's "step" policy: base · gamma^floor(update / stepSize). */
export function stepSchedule(base: number, gamma: number, stepSize: number): (update: number) => number {
  return (update) => base * gamma ** Math.floor(update / stepSize);
}

/**
 * SGD with momentum as Caffe's solver (v ← μ·v + lr·(g + λ·w), w ← w − v), gradients averaged over `accumulate`
 * passes, biases at `biasLrMultiplier`× the rate and without decay. A clean version of the original: it does not
 * copy the quirks of deconvnet.md §4.2 (decay on the summed gradient, BN gradients from the last sub-batch only).
 */
export function createTrainer(model: LayersModel, options: TrainerOptions): Trainer {
  const momentum = options.momentum ?? 0.9;
  const decay = options.weightDecay ?? 0.0005;
  const accumulate = options.accumulate ?? 1;
  const biasMult = options.biasLrMultiplier ?? 2;
  const lossFn = options.loss ?? ((logits, labels) => segmentationLoss(logits, labels));
  const lr = typeof options.learningRate === 'function' ? options.learningRate : () => options.learningRate as number;
  if (!Number.isInteger(accumulate) || accumulate < 1)
    throw new ModelError('createTrainer', `accumulate must be an integer ≥ 1, got ${accumulate}`);
  if (!(momentum >= 0 && momentum < 1))
    throw new ModelError('createTrainer', `momentum must be in [0, 1), got ${momentum}`);
  if (!(decay >= 0)) throw new ModelError('createTrainer', `weightDecay must be ≥ 0, got ${decay}`);

  const params = model.trainableWeights.map((w) => ({
    variable: w.read() as tf.Variable,
    isBias: /\/bias$/.test(w.originalName),
  }));
  const zeroVar = (v: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(v), false));
  const velocity = params.map((p) => zeroVar(p.variable));
  const sum = accumulate > 1 ? params.map((p) => zeroVar(p.variable)) : [];
  let passes = 0;
  let updates = 0;
  let disposed = false;

  return {
    get updates() {
      return updates;
    },
    async step(images, labels) {
      if (disposed) throw new ModelError('trainer', 'used after dispose()');
      const { value, grads } = tf.variableGrads(
        () => lossFn(model.apply(images, { training: true }) as tf.Tensor, labels),
        params.map((p) => p.variable),
      );
      passes++;
      const update = passes % accumulate === 0;
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = grads[p.variable.name];
          if (!g) return; // a weight the loss does not depend on
          if (accumulate > 1) sum[i]!.assign(tf.add(sum[i]!, g));
          if (!update) return;
          let grad = accumulate > 1 ? tf.div(sum[i]!, accumulate) : g;
          const rate = lr(updates) * (p.isBias ? biasMult : 1);
          if (!p.isBias && decay > 0) grad = tf.add(grad, tf.mul(p.variable, decay));
          const v = tf.add(tf.mul(velocity[i]!, momentum), tf.mul(grad, rate));
          velocity[i]!.assign(v);
          p.variable.assign(tf.sub(p.variable, v));
          if (accumulate > 1) sum[i]!.assign(tf.zerosLike(sum[i]!));
        });
      });
      tf.dispose(grads);
      const loss = (await value.data())[0]!;
      value.dispose();
      if (update) updates++;
      return { loss, updated: update, updates };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...velocity, ...sum]);
    },
  };
}
