import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test-setup.js';
import { createTrainer, stepSchedule } from './trainer.js';

beforeAll(() => useBackend('cpu'));

// y = x·W + b with loss Σ y ⊙ c, so dL/dW = xᵀc and dL/db = Σ_rows c: the updates can be worked out by hand.
const W0 = [
  [0.5, -1],
  [2, 0.25],
  [-0.5, 1],
];
const B0 = [0.1, -0.2];
function linear() {
  const m = sequential({
    layers: [layers.dense({ units: 2, inputShape: [3], weights: [tf.tensor2d(W0), tf.tensor1d(B0)] })],
  });
  return m;
}
const loss = (y: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(y, c)) as tf.Scalar;
const x1 = [[1, 2, 3]];
const c1 = [[1, -1]];
const x2 = [[0, 1, -1]];
const c2 = [[2, 0.5]];

function grad(x: number[][], c: number[][]) {
  const gW = W0.map((_, i) => [0, 1].map((j) => x.reduce((s, row, r) => s + row[i]! * c[r]![j]!, 0)));
  const gb = [0, 1].map((j) => c.reduce((s, row) => s + row[j]!, 0));
  return { gW, gb };
}

describe('createTrainer: Caffe SGD arithmetic', () => {
  test('momentum, weight decay on kernels only, 2× bias rate, over two updates', async () => {
    const m = linear();
    const lr = 0.1;
    const mu = 0.9;
    const decay = 0.01;
    const t = createTrainer(m, { learningRate: lr, momentum: mu, weightDecay: decay, loss });
    const r1 = await t.step(tf.tensor2d(x1), tf.tensor2d(c1));
    const r2 = await t.step(tf.tensor2d(x2), tf.tensor2d(c2));
    expect([r1.updated, r2.updated, t.updates]).toEqual([true, true, 2]);
    // By hand: v1 = lr(g1 + λW0), W1 = W0 − v1; v2 = μv1 + lr(g2 + λW1), W2 = W1 − v2. Biases: rate 2lr, no decay.
    const g1 = grad(x1, c1);
    const g2 = grad(x2, c2);
    const v1 = W0.map((row, i) => row.map((w, j) => lr * (g1.gW[i]![j]! + decay * w)));
    const W1 = W0.map((row, i) => row.map((w, j) => w - v1[i]![j]!));
    const v2 = W1.map((row, i) => row.map((w, j) => mu * v1[i]![j]! + lr * (g2.gW[i]![j]! + decay * w)));
    const W2 = W1.map((row, i) => row.map((w, j) => w - v2[i]![j]!));
    const vb1 = g1.gb.map((g) => 2 * lr * g);
    const b2 = B0.map((b, j) => b - vb1[j]! - (mu * vb1[j]! + 2 * lr * g2.gb[j]!));
    const [w, b] = m.getWeights();
    w!.dataSync().forEach((v, k) => {
      expect(v).toBeCloseTo(W2[Math.floor(k / 2)]![k % 2]!, 5);
    });
    b!.dataSync().forEach((v, k) => {
      expect(v).toBeCloseTo(b2[k]!, 5);
    });
    // The reported loss is that of the pass, before its update.
    expect(r1.loss).toBeCloseTo(
      [0, 1].reduce((s, j) => s + (x1[0]!.reduce((a, xv, i) => a + xv * W0[i]![j]!, 0) + B0[j]!) * c1[0]![j]!, 0),
      5,
    );
    t.dispose();
  });

  test('accumulate: one update with the mean gradient every N passes; step schedule', async () => {
    const m = linear();
    const t = createTrainer(m, { learningRate: 0.1, momentum: 0.9, weightDecay: 0, accumulate: 2, loss });
    const r1 = await t.step(tf.tensor2d(x1), tf.tensor2d(c1));
    expect(r1.updated).toBe(false);
    expect(Array.from(m.getWeights()[0]!.dataSync())).toEqual(Array.from(new Float32Array(W0.flat())));
    const r2 = await t.step(tf.tensor2d(x2), tf.tensor2d(c2));
    expect(r2).toMatchObject({ updated: true, updates: 1 });
    const g1 = grad(x1, c1);
    const g2 = grad(x2, c2);
    m.getWeights()[0]!
      .dataSync()
      .forEach((v, k) => {
        const [i, j] = [Math.floor(k / 2), k % 2];
        expect(v).toBeCloseTo(W0[i]![j]! - 0.1 * ((g1.gW[i]![j]! + g2.gW[i]![j]!) / 2), 5);
      });
    t.dispose();
    expect(() => createTrainer(m, { learningRate: 0.1, accumulate: 0 })).toThrow(/accumulate must be an integer ≥ 1/);
    const s = stepSchedule(0.01, 0.1, 9000);
    expect([s(0), s(8999), s(9000), s(18000)].map((v) => +v.toPrecision(6))).toEqual([0.01, 0.01, 0.001, 0.0001]);
  });
});
