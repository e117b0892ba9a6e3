import * as tf from '@tensorflow/tfjs-core';
import { input, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test-setup.js';
import { setBatchNormAffine } from './batch-norm-affine.js';

beforeAll(() => useBackend('cpu'));

describe('setBatchNormAffine', () => {
  test('inference becomes y = scale·x + shift per channel (Caffe INFERENCE BN)', () => {
    for (const epsilon of [1e-9, 1e-3]) {
      const x = input({ shape: [2, 2, 3] });
      const m = model({
        inputs: x,
        outputs: layers.batchNormalization({ name: 'bn', epsilon }).apply(x) as SymbolicTensor,
      });
      setBatchNormAffine(m, 'bn', [2, -1, 0.5], [0.1, 0, -3]);
      const data = Array.from({ length: 12 }, (_, i) => i - 5);
      const y = (m.predict(tf.tensor4d(data, [1, 2, 2, 3])) as tf.Tensor).dataSync();
      data.forEach((v, i) => {
        expect(y[i]).toBeCloseTo([2, -1, 0.5][i % 3]! * v + [0.1, 0, -3][i % 3]!, 5);
      });
    }
  });

  test('errors name the layer', () => {
    const x = input({ shape: [2, 2, 3] });
    const m = model({ inputs: x, outputs: layers.batchNormalization({ name: 'bn' }).apply(x) as SymbolicTensor });
    expect(() => setBatchNormAffine(m, 'bn', [1, 2], [0, 0])).toThrow(/bn: has 3 channels, got 2 scales/);
    expect(() => setBatchNormAffine(m, 'nope', [1], [0])).toThrow(/has no layer nope/);
  });
});
