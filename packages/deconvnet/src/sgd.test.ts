import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SgdMomentum, stepLr } from './sgd.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('SgdMomentum', () => {
  it('matches Caffe’s update v ← μv + lr·mult·(g + λ·w), w ← w − v with a step schedule', () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'layer/kernel');
    const b = tf.variable(tf.tensor1d([0.5]), true, 'layer/bias');
    const opt = new SgdMomentum([w, b], { lr: 0.1, momentum: 0.9, weightDecay: 0.01, stepSize: 2, gamma: 0.5 });
    const gs = [
      [0.3, -0.1, 1],
      [-0.2, 0.4, -0.5],
      [0.1, 0.1, 0.2],
    ];
    // Reference in float64.
    const W = [1, -2];
    let B = 0.5;
    const vW = [0, 0];
    let vB = 0;
    gs.forEach((g, step) => {
      tf.tidy(() =>
        opt.apply({ 'layer/kernel': tf.tensor1d([g[0]!, g[1]!]), 'layer/bias': tf.tensor1d([g[2]!]) }, step),
      );
      const lr = 0.1 * 0.5 ** Math.floor(step / 2);
      for (let i = 0; i < 2; i++) {
        vW[i] = 0.9 * vW[i]! + lr * (g[i]! + 0.01 * W[i]!);
        W[i] = W[i]! - vW[i]!;
      }
      vB = 0.9 * vB + 2 * lr * g[2]!; // bias: lr ×2, no decay
      B -= vB;
    });
    const got = w.dataSync();
    expect(got[0]).toBeCloseTo(W[0]!, 6);
    expect(got[1]).toBeCloseTo(W[1]!, 6);
    expect(b.dataSync()[0]).toBeCloseTo(B, 6);
    // Velocities survive a state round trip.
    const state = opt.getState();
    expect(state[0]!.data[0]).toBeCloseTo(vW[0]!, 6);
    const opt2 = new SgdMomentum([w, b], { lr: 0.1 });
    opt2.setState(state);
    expect(Array.from(opt2.getState()[1]!.data)).toEqual(Array.from(state[1]!.data));
    expect(() => opt2.setState([])).toThrow(/no velocity for layer\/kernel/);
    opt.dispose();
    opt2.dispose();
    w.dispose();
    b.dispose();
  });
  it('step schedule', () => {
    expect(stepLr(0, 0.01, 9000, 0.1)).toBe(0.01);
    expect(stepLr(8999, 0.01, 9000, 0.1)).toBe(0.01);
    expect(stepLr(9000, 0.01, 9000, 0.1)).toBeCloseTo(0.001, 12);
    expect(stepLr(18000, 0.01, 9000, 0.1)).toBeCloseTo(0.0001, 12);
    expect(stepLr(5, 0.01, 0, 0.1)).toBe(0.01);
  });
});
