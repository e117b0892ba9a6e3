import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { deconvNet } from './builders/deconvnet.js';
import { fcn8s } from './builders/fcn8s.js';
import { useBackend } from './test-setup.js';
import { createTrainer } from './training/trainer.js';

// Kernel names of tfjs-node 4.22.0's 'tensorflow' backend (scripts/snapshot-tfjs-node-kernels.mjs).
const snapshot = JSON.parse(
  readFileSync(new URL('../data/tfjs-node-4.22.0-kernels.json', import.meta.url), 'utf8'),
) as {
  kernels: string[];
};
const onTensorflow = new Set(snapshot.kernels);

beforeAll(() => useBackend('cpu', { fastKernels: true }));

/** Kernels run by `f`, without tfjs' op-scope entries (`conv2d__op`) and customGrad's unnamed scopes. */
async function kernelsOf(f: () => unknown): Promise<string[]> {
  const info = await tf.profile(f as () => tf.TensorContainer);
  return [...new Set(info.kernelNames)].filter((k) => !k.endsWith('__op') && k !== 'unnamed scope').sort();
}

describe('kernels used by the models exist on tfjs-node (tensorflow backend)', () => {
  test('the snapshot is the 155-kernel list and lacks MaxPoolWithArgmax', () => {
    expect(snapshot.kernels).toHaveLength(155);
    expect(onTensorflow.has('MaxPoolWithArgmax')).toBe(false);
    expect(onTensorflow.has('Conv2DBackpropFilter')).toBe(true);
  });

  test.each([
    [
      'deconvNet',
      () => deconvNet({ preset: 'tiny', inputSize: 32, widths: [4, 4, 8, 8, 8], fcUnits: 8, numClasses: 3, seed: 1 }),
      32,
    ],
    ['fcn8s', () => fcn8s({ preset: 'tiny', widths: [4, 4, 4, 4, 4], fcUnits: 8, numClasses: 3, seed: 1 }), 24],
  ] as const)('%s: forward, backward and the SGD update', async (_name, build, size) => {
    const m = build();
    const x = tf.randomNormal([2, size, size, 3]);
    const y = tf.tensor3d(
      Int32Array.from({ length: 2 * size * size }, (_, i) => (i % 7 === 0 ? 255 : i % 3)),
      [2, size, size],
      'int32',
    );
    const forward = await kernelsOf(() => m.predict(x));
    const trainer = createTrainer(m, { learningRate: 0.01, accumulate: 2 });
    const training = await kernelsOf(async () => {
      await trainer.step(x as tf.Tensor4D, y);
      await trainer.step(x as tf.Tensor4D, y);
    });
    expect(forward.length).toBeGreaterThan(5);
    expect(training).toContain('Conv2DBackpropFilter');
    const missing = [...forward, ...training].filter((k) => !onTensorflow.has(k));
    expect(missing).toEqual([]);
    trainer.dispose();
    tf.dispose([x, y]);
    m.dispose();
  });
});
