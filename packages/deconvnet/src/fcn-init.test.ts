import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initFcnFromDeconvNet } from './fcn-init.js';
import { buildNet } from './model-glue.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('initFcnFromDeconvNet', () => {
  it('FCN conv+ReLU equals DeconvNet conv+BN(inference)+ReLU for every encoder conv; other layers untouched', () => {
    const d = buildNet('deconvnet', { preset: 'tiny', numClasses: 21, inputSize: 64, seed: 1 });
    const f = buildNet('fcn', { preset: 'tiny', numClasses: 21, inputSize: 64, seed: 2 });
    // Non-trivial BN parameters and statistics.
    for (const w of d.model.weights) {
      if (!/_bn\//.test(w.originalName)) continue;
      const n = w.shape[0]!;
      const v = Array.from({ length: n }, (_, i) =>
        w.originalName.endsWith('variance') ? 0.5 + ((i * 7) % 5) / 4 : Math.sin(i + w.originalName.length),
      );
      w.write(tf.tensor1d(v));
    }
    const fc6Before = f.model.getLayer('fc6').getWeights()[0]!.dataSync().slice();
    const copied = initFcnFromDeconvNet(f.model, d.model);
    expect(copied).toEqual([
      'conv1_1',
      'conv1_2',
      'conv2_1',
      'conv2_2',
      'conv3_1',
      'conv3_2',
      'conv3_3',
      'conv4_1',
      'conv4_2',
      'conv4_3',
      'conv5_1',
      'conv5_2',
      'conv5_3',
    ]);
    for (const name of ['conv1_1', 'conv3_2', 'conv5_3']) {
      const [k, b] = d.model.getLayer(name).getWeights();
      const [g, be, mu, va] = d.model.getLayer(`${name}_bn`).getWeights();
      const [k2, b2] = f.model.getLayer(name).getWeights();
      const cin = k!.shape[2]!;
      const x = tf.randomNormal([1, 5, 6, cin], 0, 1, 'float32', 3);
      // Reference: the BN inference formula applied to the original conv, written out independently.
      const ref = tf.add(
        tf.mul(
          tf.div(
            tf.sub(tf.add(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'), b!), mu!),
            tf.sqrt(tf.add(va!, 1e-9)),
          ),
          g!,
        ),
        be!,
      );
      const got = tf.add(tf.conv2d(x as tf.Tensor4D, k2 as tf.Tensor4D, 1, 'same'), b2!);
      expect(tf.max(tf.abs(tf.sub(ref, got))).dataSync()[0]).toBeLessThan(1e-4);
      tf.dispose([x, ref, got]);
    }
    expect(Array.from(f.model.getLayer('fc6').getWeights()[0]!.dataSync())).toEqual(Array.from(fc6Before));
    d.model.dispose();
    f.model.dispose();
  });
});
