import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, layers, model, type SymbolicTensor, sequential } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deconvNet } from '../builders/deconvnet.js';
import { useBackend } from '../test-setup.js';
import { fileHandler, readModelArtifacts } from './file-handler.js';
import { importKerasVgg16 } from './keras-vgg16.js';

let dir: string;
beforeAll(async () => {
  await useBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'deconvnet-keras-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const WIDTHS = [4, 8, 8, 16, 16] as const;
const S = 64; // pool5 is 2×2: fc1 is 2·2·16 = 64 rows, read in Keras' flatten order
const FC = 12;

/** A VGG16-shaped Keras model (Keras layer names, flatten, fc1, fc2, predictions) with random weights. */
function kerasVgg16(): LayersModel {
  const m = sequential({ name: 'vgg16' });
  let first = true;
  [2, 2, 3, 3, 3].forEach((depth, b) => {
    for (let i = 1; i <= depth; i++) {
      m.add(
        layers.conv2d({
          name: `block${b + 1}_conv${i}`,
          filters: WIDTHS[b]!,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          biasInitializer: 'randomNormal',
          ...(first ? { inputShape: [S, S, 3] } : {}),
        }),
      );
      first = false;
    }
    m.add(layers.maxPooling2d({ name: `block${b + 1}_pool`, poolSize: 2, strides: 2 }));
  });
  m.add(layers.flatten({ name: 'flatten' }));
  m.add(layers.dense({ name: 'fc1', units: FC, activation: 'relu', biasInitializer: 'randomNormal' }));
  m.add(layers.dense({ name: 'fc2', units: FC, activation: 'relu', biasInitializer: 'randomNormal' }));
  m.add(layers.dense({ name: 'predictions', units: 5, activation: 'softmax' }));
  return m;
}

/** fc7 activations of a DeconvNet whose BN layers are set to the identity (mean 0, variance 1, γ 1, β 0). */
function fc7Of(m: LayersModel, x: tf.Tensor): tf.Tensor {
  for (const l of m.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const c = l.getWeights()[0]!.shape[0]!;
    l.setWeights([tf.ones([c]), tf.zeros([c]), tf.zeros([c]), tf.ones([c])]);
  }
  const upToFc7 = model({ inputs: m.inputs, outputs: m.getLayer('fc7_relu').output as SymbolicTensor });
  return upToFc7.predict(x) as tf.Tensor;
}

describe('importKerasVgg16', () => {
  test('maps block*_conv* → conv*_*, fc1 → fc6 (flatten order), fc2 → fc7; activations agree with Keras', async () => {
    const keras = kerasVgg16();
    const src = join(dir, 'keras');
    await keras.save(fileHandler(src));
    const target = deconvNet({ inputSize: S, widths: [...WIDTHS], fcUnits: FC, numClasses: 3, seed: 1 });
    const result = await importKerasVgg16(target, src);
    expect(result.flattenOrder).toBe('hwc');
    expect(result.assigned).toEqual([
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
      'fc6',
      'fc7',
    ]);
    expect(Array.from(target.getLayer('conv3_2').getWeights()[0]!.dataSync())).toEqual(
      Array.from(keras.getLayer('block3_conv2').getWeights()[0]!.dataSync()),
    );
    // Functional check of the fc1 reshape: Keras' fc2 activations equal DeconvNet's fc7 activations.
    const x = tf.randomNormal([2, S, S, 3], 0, 30, 'float32', 7);
    const kerasFc2 = model({ inputs: keras.inputs, outputs: keras.getLayer('fc2').output as SymbolicTensor });
    const want = kerasFc2.predict(x) as tf.Tensor;
    const got = fc7Of(target, x);
    expect(got.shape).toEqual([2, 1, 1, FC]);
    const w = want.dataSync();
    const g = got.dataSync();
    expect(Math.max(...w)).toBeGreaterThan(0);
    for (let i = 0; i < w.length; i++) expect(g[i]).toBeCloseTo(w[i]!, 2);

    // The same weights stored channels_first (Caffe order) are detected from data_format and give the same fc6.
    const json = JSON.parse(await readFile(join(src, 'model.json'), 'utf8'));
    const chwDir = join(dir, 'keras-chw');
    const named = tf.io.decodeWeights((await readModelArtifacts(src)).weightData!, json.weightsManifest[0].weights);
    const fc1Name = Object.keys(named).find((k) => /fc1\/kernel/.test(k))!;
    const hwc = named[fc1Name]!.arraySync() as number[][];
    const [K, C] = [2, 16];
    const chw = hwc.map((_, r) => {
      const c = Math.floor(r / (K * K));
      const y = Math.floor((r % (K * K)) / K);
      const xx = r % K;
      return hwc[(y * K + xx) * C + c]!;
    });
    named[fc1Name] = tf.tensor2d(chw);
    const enc = await tf.io.encodeWeights(named);
    json.modelTopology = JSON.parse(
      JSON.stringify(json.modelTopology).replace(/"data_format":"channels_last"/g, '"data_format":"channels_first"'),
    );
    json.weightsManifest = [{ paths: ['weights.bin'], weights: enc.specs }];
    delete json.weightsChecksum;
    await mkdir(chwDir, { recursive: true });
    await writeFile(join(chwDir, 'model.json'), JSON.stringify(json));
    await writeFile(join(chwDir, 'weights.bin'), new Uint8Array(enc.data as ArrayBuffer));
    const target2 = deconvNet({ inputSize: S, widths: [...WIDTHS], fcUnits: FC, numClasses: 3, seed: 2 });
    expect((await importKerasVgg16(target2, chwDir)).flattenOrder).toBe('chw');
    expect(Array.from(target2.getLayer('fc6').getWeights()[0]!.dataSync())).toEqual(
      Array.from(target.getLayer('fc6').getWeights()[0]!.dataSync()),
    );
  });

  test('shape mismatches are reported and nothing is assigned', async () => {
    const keras = kerasVgg16();
    const src = join(dir, 'keras2');
    await keras.save(fileHandler(src));
    const target = deconvNet({ inputSize: S, widths: [...WIDTHS], fcUnits: FC + 1, numClasses: 3, seed: 1 });
    const before = target.getLayer('conv1_1').getWeights()[0]!.dataSync().slice();
    await expect(importKerasVgg16(target, src)).rejects.toThrow(/fc1\/kernel is \[64,12\], fc6 needs 64×13/);
    expect(Array.from(target.getLayer('conv1_1').getWeights()[0]!.dataSync())).toEqual(Array.from(before));
  });
});
