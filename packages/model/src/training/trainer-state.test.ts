import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test-setup.js';
import { createTrainer, stepSchedule, type TrainerOptions } from './trainer.js';

beforeAll(() => useBackend('cpu'));

// Two dense layers with fixed initial weights (named so the state keys are predictable) and a squared-error loss.
function net(seed: number) {
  const r = (k: number) => Array.from({ length: k }, (_, i) => Math.sin(seed * 7.1 + i * 1.3));
  return sequential({
    layers: [
      layers.dense({
        name: 'd1',
        units: 3,
        inputShape: [4],
        activation: 'tanh',
        weights: [tf.tensor2d(r(12), [4, 3]), tf.tensor1d(r(3))],
      }),
      layers.dense({ name: 'd2', units: 2, weights: [tf.tensor2d(r(6), [3, 2]), tf.tensor1d(r(2))] }),
    ],
  });
}
const loss = (y: tf.Tensor, t: tf.Tensor) => tf.mean(tf.square(tf.sub(y, t))) as tf.Scalar;
const batch = (k: number) => ({
  x: tf.tensor2d(
    Array.from({ length: 8 }, (_, i) => Math.cos(k * 3.7 + i)),
    [2, 4],
  ),
  y: tf.tensor2d(
    Array.from({ length: 4 }, (_, i) => Math.sin(k * 1.9 + i)),
    [2, 2],
  ),
});
const weights = (m: ReturnType<typeof net>) => m.getWeights().map((w) => Array.from(w.dataSync()));
const opts: TrainerOptions = {
  learningRate: stepSchedule(0.1, 0.5, 2),
  momentum: 0.9,
  weightDecay: 0.01,
  accumulate: 2,
  loss,
};

async function run(t: ReturnType<typeof createTrainer>, from: number, to: number) {
  const out: number[] = [];
  for (let k = from; k < to; k++) {
    const { x, y } = batch(k);
    out.push((await t.step(x, y)).loss);
    tf.dispose([x, y]);
  }
  return out;
}

describe('createTrainer: state export/import', () => {
  test.each([
    [4, 'at an update boundary'],
    [5, 'in the middle of an accumulation round'],
  ])('restoring after %i passes (%s) into a fresh trainer and model continues bit-identically', async (cut) => {
    const a = net(1);
    const ta = createTrainer(a, opts);
    const lossA = await run(ta, 0, 11);

    const b = net(1);
    const tb = createTrainer(b, opts);
    const lossB = await run(tb, 0, cut);
    const state = tb.getState();
    const saved = b.getWeights().map((w) => w.clone());
    tb.dispose();
    b.dispose();
    // The state is plain data: survive a JSON-free byte copy as a checkpoint would do.
    const copy = { ...state, arrays: state.arrays.map((s) => ({ ...s, data: new Float32Array(s.data) })) };
    expect(copy.passes).toBe(cut);
    expect(copy.updates).toBe(Math.floor(cut / 2));
    expect(copy.arrays.some((s) => s.name.startsWith('accumulated/'))).toBe(cut % 2 === 1);
    expect(copy.arrays.map((s) => s.name)).toContain('velocity/d1/kernel');

    const c = net(99); // different initial weights: everything must come from the saved weights + state
    c.setWeights(saved);
    tf.dispose(saved);
    const before = tf.memory().numTensors;
    const tc = createTrainer(c, opts);
    tc.setState(copy);
    expect(tc.learningRate()).toBe(ta.learningRate(Math.floor(cut / 2)));
    const lossC = await run(tc, cut, 11);
    expect([...lossB, ...lossC]).toEqual(lossA);
    expect(weights(c)).toEqual(weights(a));
    expect(tc.getState().arrays.map((s) => Array.from(s.data))).toEqual(
      ta.getState().arrays.map((s) => Array.from(s.data)),
    );
    expect(tc.updates).toBe(ta.updates);
    tc.dispose();
    expect(tf.memory().numTensors).toBe(before); // setState, getState and the buffers leak nothing
    ta.dispose();
    a.dispose();
    c.dispose();
  });

  test('a state with a missing, misshapen or foreign buffer is refused and leaves the trainer untouched', async () => {
    const m = net(2);
    const t = createTrainer(m, opts);
    await run(t, 0, 2);
    const good = t.getState();
    const without = { ...good, arrays: good.arrays.filter((s) => s.name !== 'velocity/d2/bias') };
    expect(() => t.setState(without)).toThrow(/state has no velocity\/d2\/bias/);
    const bad = {
      ...good,
      arrays: good.arrays.map((s) => (s.name === 'velocity/d1/kernel' ? { ...s, shape: [3, 4] } : s)),
    };
    expect(() => t.setState(bad)).toThrow(/velocity\/d1\/kernel has shape \[3,4\].*\[4,3\]/);
    const extra = {
      ...good,
      arrays: [...good.arrays, { name: 'velocity/d9/kernel', shape: [1], data: new Float32Array(1) }],
    };
    expect(() => t.setState(extra)).toThrow(/velocity\/d9\/kernel, which this model does not/);
    expect(() => t.setState({ ...good, version: 2 as 1 })).toThrow(/not a deconvnet-sgd version 1 state/);
    expect(t.getState()).toEqual(good);
    t.dispose();
    expect(() => t.getState()).toThrow(/after dispose/);
    m.dispose();
  });

  test('per-weight lr and decay multipliers by name (Caffe lr_mult / decay_mult), worked by hand', async () => {
    const m = net(3);
    const w0 = weights(m);
    const lr = 0.1;
    const lambda = 0.01;
    // d1/kernel frozen; d2/kernel ×3 without decay; biases ×0.5 with decay ×2; d1/bias default.
    const t = createTrainer(m, {
      learningRate: lr,
      momentum: 0,
      weightDecay: lambda,
      loss,
      lrMultiplier: (n) => (n === 'd1/kernel' ? 0 : n === 'd2/kernel' ? 3 : 0.5),
      decayMultiplier: (n) => (n === 'd2/kernel' ? 0 : 2),
    });
    const { x, y } = batch(0);
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => loss(m.apply(x) as tf.Tensor, y), vars);
    const g = vars.map((v) => Array.from(grads[v.name]!.dataSync()));
    tf.dispose(grads);
    await t.step(x, y);
    const mult = [
      [0, 2],
      [0.5, 2],
      [3, 0],
      [0.5, 2],
    ];
    weights(m).forEach((w, i) => {
      w.forEach((v, k) => {
        const expected = w0[i]![k]! - lr * mult[i]![0]! * (g[i]![k]! + lambda * mult[i]![1]! * w0[i]![k]!);
        expect(v).toBeCloseTo(expected, 6);
      });
    });
    expect(weights(m)[0]).toEqual(w0[0]); // frozen exactly
    expect(() => createTrainer(m, { learningRate: 0.1, lrMultiplier: () => -1 })).toThrow(/multipliers of d1\/kernel/);
    tf.dispose([x, y]);
    t.dispose();
    m.dispose();
  });
});
