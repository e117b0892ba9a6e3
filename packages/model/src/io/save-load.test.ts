import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deconvNet } from '../builders/deconvnet.js';
import { fcn8s } from '../builders/fcn8s.js';
import { useBackend } from '../test-setup.js';
import { fileHandler } from './file-handler.js';
import { loadModel, loadModelWithMetadata, saveModel } from './save-load.js';

let dir: string;
beforeAll(async () => {
  await useBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'deconvnet-model-io-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const small = () =>
  deconvNet({ preset: 'tiny', inputSize: 32, widths: [4, 4, 8, 8, 8], fcUnits: 8, numClasses: 3, seed: 3 });

describe('saveModel / loadModel', () => {
  test('a saved and reloaded DeconvNet predicts the same (custom layers, BN moving statistics, metadata)', async () => {
    const m = small();
    // Move the BN statistics away from their initial values so the test sees them restored.
    tf.tidy(() => m.apply(tf.randomNormal([2, 32, 32, 3], 0, 50, 'float32', 1), { training: true }) as tf.Tensor);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 50, 'float32', 2);
    const before = m.predict(x) as tf.Tensor;
    const out = join(dir, 'deconvnet');
    await saveModel(m, out, { preset: 'tiny', classes: ['bg', 'a', 'b'] });
    expect((await readdir(out)).sort()).toEqual(['model.json', 'weights.bin']); // no temp files left behind
    const { model: back, metadata } = await loadModelWithMetadata(out);
    expect(metadata).toEqual({ preset: 'tiny', classes: ['bg', 'a', 'b'] });
    const after = back.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    // Plain tfjs loads it too through the handler (layers registered by the builders).
    const viaTf = await loadLayersModel(fileHandler(out));
    expect(viaTf.layers.map((l) => l.getClassName())).toContain('Unpooling');
    tf.dispose([x, before, after]);
    for (const mm of [m, back, viaTf]) mm.dispose();
  });

  test('FCN-8s round-trips on an input size other than the one it was built for', async () => {
    const m = fcn8s({ preset: 'tiny', widths: [4, 4, 4, 4, 4], fcUnits: 8, numClasses: 3, seed: 4 });
    const out = join(dir, 'fcn');
    await saveModel(m, out);
    const back = await loadModel(out);
    const x = tf.randomNormal([1, 21, 27, 3], 0, 50, 'float32', 5);
    const a = m.predict(x) as tf.Tensor;
    const b = back.predict(x) as tf.Tensor;
    expect(b.shape).toEqual([1, 21, 27, 3]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    m.dispose();
    back.dispose();
  });

  test('truncated, foreign and missing files give clear errors', async () => {
    const m = small();
    const a = join(dir, 'a');
    await saveModel(m, a);
    const b = join(dir, 'b');
    await saveModel(
      deconvNet({ preset: 'tiny', inputSize: 32, widths: [4, 4, 8, 8, 8], fcUnits: 8, numClasses: 3, seed: 9 }),
      b,
    );
    // Same architecture, different weights: the sizes match, the checksum does not.
    await writeFile(join(a, 'weights.bin'), await readFile(join(b, 'weights.bin')));
    await expect(loadModel(a)).rejects.toThrow(/weights\.bin: checksum mismatch/);
    const size = (await readFile(join(b, 'weights.bin'))).byteLength;
    await truncate(join(b, 'weights.bin'), size - 10);
    await expect(loadModel(b)).rejects.toThrow(
      new RegExp(
        `weights\\.bin: holds ${size - 10} bytes but model\\.json lists \\d+ weights needing ${size} bytes: truncated`,
      ),
    );
    // Another model's weights (different architecture) under this model.json.
    const c = join(dir, 'c');
    await saveModel(
      deconvNet({ preset: 'tiny', inputSize: 32, widths: [4, 4, 8, 8, 8], fcUnits: 16, numClasses: 3, seed: 1 }),
      c,
    );
    await writeFile(join(c, 'weights.bin'), await readFile(join(dir, 'deconvnet', 'weights.bin')));
    await expect(loadModel(c)).rejects.toThrow(
      /weights\.bin: holds \d+ bytes .* (truncated|too long) or written for another model/,
    );
    await expect(loadModel(join(dir, 'nope'))).rejects.toThrow(/nope\/model\.json: not found/);
    await writeFile(join(dir, 'a', 'model.json'), '{"modelTopology": ');
    await expect(loadModel(a)).rejects.toThrow(/model\.json: not valid JSON/);
    m.dispose();
  });
});
