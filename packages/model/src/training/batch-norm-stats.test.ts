import * as tf from '@tensorflow/tfjs-core';
import { model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { deconvNet } from '../builders/deconvnet.js';
import { useBackend } from '../test-setup.js';
import { reestimateBatchNorm } from './batch-norm-stats.js';

beforeAll(() => useBackend('cpu'));

const build = () =>
  deconvNet({ preset: 'tiny', inputSize: 32, widths: [4, 4, 8, 8, 8], fcUnits: 8, numClasses: 3, seed: 5 });

describe('reestimateBatchNorm', () => {
  test('conv1_1_bn gets the average batch mean and the m/(m−1)-corrected average variance of conv1_1', async () => {
    const m = build();
    const batches = [0, 1, 2].map((s) => tf.randomNormal([2, 32, 32, 3], 0, 40, 'float32', s) as tf.Tensor4D);
    const result = await reestimateBatchNorm(m, batches);
    expect(result.layers).toHaveLength(29);
    expect(result.batches).toBe(3);
    // conv1_1's output does not depend on any BN layer: compute its statistics by brute force.
    const conv = model({ inputs: m.inputs, outputs: m.getLayer('conv1_1').output as SymbolicTensor });
    const c = 4;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    for (const x of batches) {
      const v = (conv.predict(x) as tf.Tensor).dataSync();
      const count = v.length / c;
      for (let k = 0; k < c; k++) {
        let s = 0;
        let s2 = 0;
        for (let i = k; i < v.length; i += c) s += v[i]!;
        const mu = s / count;
        for (let i = k; i < v.length; i += c) s2 += (v[i]! - mu) ** 2;
        mean[k]! += mu / 3;
        variance[k]! += s2 / (count - 1) / 3;
      }
    }
    const [, , mm, mv] = m.getLayer('conv1_1_bn').getWeights();
    const gotMean = mm!.dataSync();
    const gotVar = mv!.dataSync();
    for (let k = 0; k < c; k++) {
      expect(gotMean[k]).toBeCloseTo(mean[k]!, 2);
      expect(gotVar[k]! / variance[k]!).toBeCloseTo(1, 4);
    }
    tf.dispose(batches);
  });

  test('re-estimated on one batch without correction, inference output equals the training-mode output', async () => {
    const m = build();
    const x = tf.randomNormal([4, 32, 32, 3], 0, 40, 'float32', 9) as tf.Tensor4D;
    const numTensors = tf.memory().numTensors;
    await reestimateBatchNorm(m, [x], { unbiased: false });
    expect(tf.memory().numTensors).toBe(numTensors);
    const train = tf.tidy(() => m.apply(x, { training: true }) as tf.Tensor);
    const infer = m.predict(x) as tf.Tensor;
    const a = train.dataSync();
    const b = infer.dataSync();
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
      maxAbs = Math.max(maxAbs, Math.abs(a[i]!));
    }
    expect(maxAbs).toBeGreaterThan(0);
    expect(maxDiff / maxAbs).toBeLessThan(1e-3);
    // Before re-estimation (fresh moving statistics) the two differ a lot.
    const fresh = build();
    const f = (fresh.predict(x) as tf.Tensor).dataSync();
    const t = tf.tidy(() => fresh.apply(x, { training: true }) as tf.Tensor).dataSync();
    let freshDiff = 0;
    for (let i = 0; i < f.length; i++) freshDiff = Math.max(freshDiff, Math.abs(f[i]! - t[i]!));
    expect(freshDiff / maxAbs).toBeGreaterThan(1e-2);
  });
});
