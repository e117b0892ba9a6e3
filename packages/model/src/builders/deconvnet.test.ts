import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test-setup.js';
import { deconvNet, deconvNetParamCount } from './deconvnet.js';

beforeAll(() => useBackend('cpu'));

const trainable = (m: ReturnType<typeof deconvNet>) =>
  m.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);

describe('deconvNet', () => {
  test('paper preset: exactly 251,805,653 trainable parameters (deconvnet.md §2), counted without building it', () => {
    expect(deconvNetParamCount({ preset: 'paper' })).toBe(251_805_653);
    // Rows of the reference table: conv/deconv weights + biases + 2 BN values per channel.
    expect(deconvNetParamCount({ preset: 'paper' }) - deconvNetParamCount({ preset: 'paper', fcUnits: 4095 })).toBe(
      // fc6 (7·7·512 + 1 + 2) + fc7 row/column (2·4096 − 1 + 1 + 2) + fc6_deconv (7·7·512)
      7 * 7 * 512 + 3 + (2 * 4096 - 1 + 3) + 7 * 7 * 512,
    );
  });

  test.each(['tiny', 'small'] as const)(
    '%s preset: built parameter count equals the formula, shapes, names',
    (preset) => {
      const m = deconvNet({ preset, seed: 1 });
      expect(trainable(m)).toBe(deconvNetParamCount({ preset }));
      const s = m.inputs[0]!.shape[1] as number;
      expect(m.outputs[0]!.shape).toEqual([null, s, s, 21]);
      const names = m.layers.map((l) => l.name);
      for (const n of [
        'data',
        'conv1_1',
        'conv1_1_bn',
        'conv5_3',
        'pool5',
        'fc6',
        'fc6_bn',
        'fc7',
        'fc6_deconv',
        'fc6_deconv_bn',
      ]) {
        expect(names).toContain(n);
      }
      for (const n of [
        'unpool5',
        'deconv5_1',
        'deconv5_3',
        'deconv4_3',
        'deconv3_3',
        'deconv2_2',
        'deconv1_2',
        'seg_score',
      ]) {
        expect(names).toContain(n);
      }
      // 15 conv/fc + 1 fc6_deconv + 13 deconvs = 29 BN layers; none after seg_score.
      expect(names.filter((n) => n.endsWith('_bn'))).toHaveLength(29);
      expect(names).not.toContain('seg_score_bn');
      expect(names.at(-1)).toBe('seg_score');
      // fc6's kernel covers the whole pool5 map: inputSize/32.
      expect(m.getLayer('fc6').getWeights()[0]!.shape.slice(0, 2)).toEqual([s / 32, s / 32]);
      // Decoder widths shrink at the last deconv of a block.
      expect(m.getLayer('deconv4_3').outputShape).toEqual([
        null,
        s / 8,
        s / 8,
        m.getLayer('conv3_1').getWeights()[0]!.shape[3],
      ]);
      m.dispose();
    },
  );

  test('predicts [N, S, S, classes] for a batch; custom classes and widths', () => {
    const m = deconvNet({ preset: 'tiny', inputSize: 32, numClasses: 5, widths: [4, 4, 8, 8, 8], fcUnits: 8, seed: 2 });
    const x = tf.randomNormal([3, 32, 32, 3]);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 32, 32, 5]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, y]);
    m.dispose();
  });

  test('clear errors for bad options', () => {
    expect(() => deconvNet({ inputSize: 100 })).toThrow(
      /deconvNet: inputSize must be a multiple of 32.*got 100; nearest: 96/,
    );
    expect(() => deconvNetParamCount({ inputSize: 0 })).toThrow(/inputSize must be a positive integer/);
    expect(() => deconvNet({ preset: 'huge' as 'paper' })).toThrow(/unknown preset "huge"/);
    expect(() => deconvNet({ widths: [1, 2, 3] as unknown as [1, 2, 3, 4, 5] })).toThrow(/widths must list 5/);
    expect(() => deconvNet({ numClasses: 2.5 })).toThrow(/numClasses/);
  });
});
