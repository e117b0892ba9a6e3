import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { deconvNet } from './builders/deconvnet.js';
import { fcn8s } from './builders/fcn8s.js';
import { useBackend } from './test-setup.js';

// wasm keeps this quick; tensor bookkeeping is backend-independent.
beforeAll(() => useBackend('wasm'));

describe('no tensor leaks', () => {
  test('tf.memory().numTensors stays flat across 50 predictions (DeconvNet and FCN-8s)', () => {
    const d = deconvNet({ preset: 'tiny', seed: 1 });
    const f = fcn8s({ preset: 'tiny', widths: [4, 4, 4, 4, 4], fcUnits: 8, seed: 1 });
    const x64 = tf.randomNormal([1, 64, 64, 3]);
    const x32 = tf.randomNormal([1, 32, 40, 3]); // FCN-8s takes any size
    for (const [m, x] of [
      [d, x64],
      [f, x32],
    ] as const) {
      (m.predict(x) as tf.Tensor).dispose(); // warm-up may create lasting state
      const before = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) {
        const y = m.predict(x) as tf.Tensor;
        expect(y.shape).toEqual([...x.shape.slice(0, 3), 21]);
        y.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    }
    tf.dispose([x64, x32]);
  });
});
