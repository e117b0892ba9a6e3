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
  /**
   * Per-weight learning-rate multiplier by the weight's name (e.g. `conv1_1/kernel`), Caffe's `lr_mult`; overrides
   * `biasLrMultiplier`. Return 0 to freeze a weight.
   */
  lrMultiplier?: (name: string) => number;
  /** Per-weight decay multiplier by name, Caffe's `decay_mult`; default 0 for biases, 1 for everything else. */
  decayMultiplier?: (name: string) => number;
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

/** One optimizer buffer: `velocity/<weight name>` or `accumulated/<weight name>`, float32 in the weight's shape. */
export interface TrainerStateArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * Everything the trainer carries between steps, as plain data (what a checkpoint stores): with the model's weights,
 * restoring it into a fresh trainer makes every later update bit-identical to an uninterrupted run.
 */
export interface TrainerState {
  format: 'deconvnet-sgd';
  version: 1;
  /** Forward/backward passes so far. */
  passes: number;
  /** Updates applied so far (the schedule's index). */
  updates: number;
  /** Momentum buffers of every trainable weight, plus the gradient sums of a half-finished accumulation round. */
  arrays: TrainerStateArray[];
}

export interface Trainer {
  /** One forward/backward pass on a batch (BN in training mode); updates the weights every `accumulate` passes. */
  step(images: tf.Tensor, labels: tf.Tensor): Promise<StepResult>;
  readonly updates: number;
  readonly passes: number;
  /** The base learning rate of update `update` (default: the next one), before per-weight multipliers. */
  learningRate(update?: number): number;
  /** A copy of the optimizer state (momentum, accumulated gradients, counters). */
  getState(): TrainerState;
  /** Restores a state from {@link getState} of a trainer on a model with the same trainable weights. */
  setState(state: TrainerState): void;
  /** Frees the momentum and accumulation buffers (the model is untouched). */
  dispose(): void;
}

/** Caffe's "step" policy: base · gamma^floor(update / stepSize). */
export function stepSchedule(base: number, gamma: number, stepSize: number): (update: number) => number {
  return (update) => base * gamma ** Math.floor(update / stepSize);
}

const isBiasName = (name: string) => /(^|\/)bias(_\d+)?$/.test(name);

/**
 * SGD with momentum as Caffe's solver (v ← μ·v + lr·lr_mult·(g + λ·decay_mult·w), w ← w − v), gradients averaged over
 * `accumulate` passes, biases at `biasLrMultiplier`× the rate and without decay. A clean version of the original: it
 * does not copy the quirks of deconvnet.md §4.2 (decay on the summed gradient, BN gradients from the last sub-batch
 * only).
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

  const params = model.trainableWeights.map((w) => {
    const name = w.originalName;
    const bias = isBiasName(name);
    const lrMult = options.lrMultiplier ? options.lrMultiplier(name) : bias ? biasMult : 1;
    const decayMult = options.decayMultiplier ? options.decayMultiplier(name) : bias ? 0 : 1;
    if (!(Number.isFinite(lrMult) && lrMult >= 0 && Number.isFinite(decayMult) && decayMult >= 0))
      throw new ModelError(
        'createTrainer',
        `multipliers of ${name} must be finite and ≥ 0, got ${lrMult}, ${decayMult}`,
      );
    return { variable: w.read() as tf.Variable, name, lrMult, decayMult };
  });
  const zeroVar = (v: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(v), false));
  const velocity = params.map((p) => zeroVar(p.variable));
  const sum = accumulate > 1 ? params.map((p) => zeroVar(p.variable)) : [];
  let passes = 0;
  let updates = 0;
  let disposed = false;
  const alive = (what: string) => {
    if (disposed) throw new ModelError('trainer', `${what} after dispose()`);
  };

  return {
    get updates() {
      return updates;
    },
    get passes() {
      return passes;
    },
    learningRate(update = updates) {
      return lr(update);
    },
    async step(images, labels) {
      alive('step()');
      const { value, grads } = tf.variableGrads(
        () => lossFn(model.apply(images, { training: true }) as tf.Tensor, labels),
        params.map((p) => p.variable),
      );
      passes++;
      const update = passes % accumulate === 0;
      const base = lr(updates);
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = grads[p.variable.name];
          if (!g) return; // a weight the loss does not depend on
          if (accumulate > 1) sum[i]!.assign(tf.add(sum[i]!, g));
          if (!update) return;
          let grad = accumulate > 1 ? tf.div(sum[i]!, accumulate) : g;
          const rate = base * p.lrMult;
          const lambda = decay * p.decayMult;
          if (lambda > 0) grad = tf.add(grad, tf.mul(p.variable, lambda));
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
    getState() {
      alive('getState()');
      const copy = (prefix: string, v: tf.Variable, name: string): TrainerStateArray => ({
        name: `${prefix}/${name}`,
        shape: v.shape.slice(),
        data: (v.dataSync() as Float32Array).slice(),
      });
      const arrays = params.map((p, i) => copy('velocity', velocity[i]!, p.name));
      // The sums are zero at an update boundary: only a half-finished round needs them.
      if (passes % accumulate !== 0) arrays.push(...params.map((p, i) => copy('accumulated', sum[i]!, p.name)));
      return { format: 'deconvnet-sgd', version: 1, passes, updates, arrays };
    },
    setState(state) {
      alive('setState()');
      if (state?.format !== 'deconvnet-sgd' || state.version !== 1)
        throw new ModelError(
          'trainer.setState',
          `not a deconvnet-sgd version 1 state (got ${state?.format} ${state?.version})`,
        );
      if (
        !(Number.isInteger(state.passes) && Number.isInteger(state.updates) && state.passes >= 0 && state.updates >= 0)
      )
        throw new ModelError('trainer.setState', `bad counters passes=${state.passes} updates=${state.updates}`);
      const byName = new Map(state.arrays.map((a) => [a.name, a]));
      const midRound = state.passes % accumulate !== 0;
      const targets = [
        ...params.map((p, i) => ({ key: `velocity/${p.name}`, v: velocity[i]!, required: true })),
        ...sum.map((s, i) => ({ key: `accumulated/${params[i]!.name}`, v: s, required: midRound })),
      ];
      // Validate everything before touching a buffer, so a bad state leaves the trainer as it was.
      for (const t of targets) {
        const a = byName.get(t.key);
        if (!a) {
          if (t.required) throw new ModelError('trainer.setState', `state has no ${t.key}`);
          continue;
        }
        if (a.data.length !== t.v.size || a.shape.length !== t.v.rank || a.shape.some((d, k) => d !== t.v.shape[k]))
          throw new ModelError(
            'trainer.setState',
            `${t.key} has shape [${a.shape}] (${a.data.length} values), the model's weight is [${t.v.shape}]`,
          );
      }
      const known = new Set(targets.map((t) => t.key));
      const extra = state.arrays.find((a) => !known.has(a.name));
      if (extra) throw new ModelError('trainer.setState', `state has ${extra.name}, which this model does not`);
      tf.tidy(() => {
        for (const t of targets) {
          const a = byName.get(t.key);
          t.v.assign(a ? tf.tensor(a.data, t.v.shape, 'float32') : tf.zerosLike(t.v));
        }
      });
      passes = state.passes;
      updates = state.updates;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...velocity, ...sum]);
    },
  };
}
