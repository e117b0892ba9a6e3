/**
 * SGD with momentum and L2 weight decay in Caffe's form (deconvnet.md §4.2):
 *   v ← μ·v + lr·lrMult·(g + λ·decayMult·w),   w ← w − v,
 * with a step schedule lr = base·γ^⌊step/stepSize⌋. `g` is the mean gradient over the effective batch (gradient
 * accumulation averages sub-batches first, as a clean reimplementation should: the original's 8× weaker decay and
 * last-sub-batch BN quirks are deliberately not reproduced). Velocities are plain variables so a checkpoint can
 * store and restore them exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from './tensor-file.js';

export interface SgdOptions {
  /** Base learning rate (paper 0.01). */
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  /** Multiply the rate by `gamma` every `stepSize` optimizer steps (0 = constant rate). */
  stepSize?: number;
  gamma?: number;
  /** Per-variable multipliers; default: biases lr ×2 and no decay, everything else ×1 (Caffe VGG convention). */
  lrMult?: (name: string) => number;
  decayMult?: (name: string) => number;
}

const isBias = (name: string) => /(^|\/)bias(_\d+)?$/.test(name);

export function stepLr(step: number, lr: number, stepSize: number, gamma: number): number {
  return stepSize > 0 ? lr * gamma ** Math.floor(step / stepSize) : lr;
}

export class SgdMomentum {
  readonly options: Required<SgdOptions>;
  private readonly vars: tf.Variable[];
  private readonly vel: tf.Variable[];
  private readonly names: string[];

  /** `names` key the saved state (default the variables' names; pass stable layer names across processes). */
  constructor(vars: readonly tf.Variable[], options: SgdOptions = {}, names?: readonly string[]) {
    this.options = {
      lr: options.lr ?? 0.01,
      momentum: options.momentum ?? 0.9,
      weightDecay: options.weightDecay ?? 5e-4,
      stepSize: options.stepSize ?? 0,
      gamma: options.gamma ?? 0.1,
      lrMult: options.lrMult ?? ((n) => (isBias(n) ? 2 : 1)),
      decayMult: options.decayMult ?? ((n) => (isBias(n) ? 0 : 1)),
    };
    this.vars = [...vars];
    this.names = names ? [...names] : this.vars.map((v) => v.name);
    if (this.names.length !== this.vars.length) throw new Error('SgdMomentum: one name per variable');
    this.vel = this.vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
  }

  lrAt(step: number): number {
    const o = this.options;
    return stepLr(step, o.lr, o.stepSize, o.gamma);
  }

  /** One update with mean gradients keyed by variable name; `step` is the 0-based optimizer step. */
  apply(grads: tf.NamedTensorMap, step: number): void {
    const lr = this.lrAt(step);
    const { momentum, weightDecay } = this.options;
    tf.tidy(() => {
      for (let i = 0; i < this.vars.length; i++) {
        const w = this.vars[i]!;
        const g = grads[w.name];
        if (!g) continue;
        const v = this.vel[i]!;
        const decay = weightDecay * this.options.decayMult(this.names[i]!);
        const rate = lr * this.options.lrMult(this.names[i]!);
        const full = decay !== 0 ? tf.add(g, tf.mul(w, decay)) : g;
        const nv = tf.add(tf.mul(v, momentum), tf.mul(full, rate));
        v.assign(nv);
        w.assign(tf.sub(w, nv));
      }
    });
  }

  getState(): NamedArray[] {
    return this.vel.map((v, i) => ({
      name: this.names[i]!,
      shape: v.shape.slice(),
      data: (v.dataSync() as Float32Array).slice(),
    }));
  }

  setState(arrays: readonly NamedArray[]): void {
    const byName = new Map(arrays.map((a) => [a.name, a]));
    for (let i = 0; i < this.vars.length; i++) {
      const a = byName.get(this.names[i]!);
      if (!a) throw new Error(`optimizer state has no velocity for ${this.names[i]!}`);
      const v = this.vel[i]!;
      if (a.data.length !== v.size)
        throw new Error(`optimizer state for ${this.names[i]!} has ${a.data.length} values, expected ${v.size}`);
      tf.tidy(() => {
        v.assign(tf.tensor(a.data, v.shape, 'float32'));
      });
    }
  }

  dispose(): void {
    for (const v of this.vel) v.dispose();
  }
}
