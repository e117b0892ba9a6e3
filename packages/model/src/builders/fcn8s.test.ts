import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test-setup.js';
import { bilinearFilter } from './bilinear.js';
import { fcn8s, fcn8sCropOffsets } from './fcn8s.js';

beforeAll(() => useBackend('cpu'));

/**
 * Independent coordinate bookkeeping: push the centre of output cell 0 of every map back to image coordinates with
 * a conv/pool (k, s, p): y_in = s·y_out + (k−1)/2 − p, and a deconv: y_in = (y_out − (k−1)/2 + p)/s.
 */
function centre(pad: number, k6: number) {
  const steps = (list: Array<[string, number, number, number]>) => {
    let a = 1;
    let b = 0; // image = a·y + b
    for (const [kind, k, s, p] of list) {
      if (kind === 'conv') {
        b += a * ((k - 1) / 2 - p);
        a *= s;
      } else {
        a /= s;
        b -= a * ((k - 1) / 2 - p);
      }
    }
    return { a, b };
  };
  const convs = (n: number): Array<[string, number, number, number]> => Array(n).fill(['conv', 3, 1, 1]);
  const pool: [string, number, number, number] = ['conv', 2, 2, 0];
  const toPool3: Array<[string, number, number, number]> = [
    ['conv', 3, 1, pad],
    ...convs(1),
    pool,
    ...convs(2),
    pool,
    ...convs(3),
    pool,
  ];
  const toPool4 = [...toPool3, ...convs(3), pool];
  const toFc = [...toPool4, ...convs(3), pool, ['conv', k6, 1, 0], ['conv', 1, 1, 0], ['conv', 1, 1, 0]] as Array<
    [string, number, number, number]
  >;
  const up2 = [...toFc, ['deconv', 4, 2, 0]] as Array<[string, number, number, number]>;
  const up4 = [...up2, ['deconv', 4, 2, 0]] as Array<[string, number, number, number]>;
  const up8 = [...up4, ['deconv', 16, 8, 0]] as Array<[string, number, number, number]>;
  return { pool3: steps(toPool3), pool4: steps(toPool4), up2: steps(up2), up4: steps(up4), up8: steps(up8) };
}

describe('fcn8s', () => {
  test('crop offsets: 5, 9, 31 for FCN-8s, and aligned centres for other pads and fc6 kernels', () => {
    expect(fcn8sCropOffsets(100, 7)).toEqual({ pool4: 5, pool3: 9, final: 31 });
    for (const [pad, k] of [
      [100, 7],
      [16, 3],
      [40, 4],
      [5, 3],
    ] as const) {
      const c = centre(pad, k);
      const o = fcn8sCropOffsets(pad, k);
      // Cropped cell 0 of pool4 (cell o.pool4) sits where upscore2's cell 0 sits, etc.
      expect(c.pool4.a * o.pool4 + c.pool4.b).toBeCloseTo(c.up2.b, 9);
      expect(c.pool4.a).toBe(c.up2.a);
      expect(c.pool3.a * o.pool3 + c.pool3.b).toBeCloseTo(c.up4.b, 9);
      expect(c.up8.a).toBe(1);
      expect(o.final + c.up8.b).toBeCloseTo(0, 9);
    }
    expect(() => fcn8sCropOffsets(10, 7)).toThrow(/negative final crop offset/);
  });

  test('output matches the input size for any input size (tiny preset and paper geometry)', () => {
    const tiny = fcn8s({ preset: 'tiny', numClasses: 3, seed: 1 });
    const paperGeometry = fcn8s({ preset: 'paper', widths: [2, 2, 2, 2, 2], fcUnits: 4, numClasses: 2, seed: 1 });
    for (const [m, sizes] of [
      [
        tiny,
        [
          [17, 17],
          [32, 45],
          [64, 33],
          [71, 20],
        ],
      ],
      [
        paperGeometry,
        [
          [1, 1],
          [30, 47],
          [64, 64],
        ],
      ],
    ] as const) {
      for (const [h, w] of sizes) {
        const y = tf.tidy(() => m.predict(tf.randomNormal([1, h, w, 3])) as tf.Tensor);
        expect(y.shape).toEqual([1, h, w, m.outputs[0]!.shape[3]]);
        y.dispose();
      }
    }
    tiny.dispose();
    paperGeometry.dispose();
  });

  test('transposed convolutions start as channel-diagonal bilinear filters', () => {
    // Hand-worked FCN filters: k=4 → f=2, c=1.5, taps (1−|i−1.5|/2) = .25 .75 .75 .25; k=3 → f=2, c=1: .5 1 .5
    expect(Array.from(bilinearFilter(4).slice(0, 4))).toEqual([0.0625, 0.1875, 0.1875, 0.0625]);
    expect(Array.from(bilinearFilter(3))).toEqual([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
    const m = fcn8s({ preset: 'tiny', numClasses: 3, seed: 1 });
    for (const [name, k] of [
      ['upscore2', 4],
      ['upscore_pool4', 4],
      ['upscore8', 16],
    ] as const) {
      const w = m.getLayer(name).getWeights()[0]!;
      expect(w.shape).toEqual([k, k, 3, 3]);
      const v = w.dataSync();
      const f = bilinearFilter(k);
      for (let p = 0; p < k * k; p++)
        for (let o = 0; o < 3; o++) for (let i = 0; i < 3; i++) expect(v[(p * 3 + o) * 3 + i]).toBe(o === i ? f[p] : 0);
    }
    expect(m.getLayer('upscore8').trainable).toBe(false);
    expect(m.getLayer('upscore2').getWeights()).toHaveLength(2); // learnt bias
    expect(m.getLayer('upscore_pool4').getWeights()).toHaveLength(1);
    // A constant map upsampled by the ×2 bilinear deconv stays constant away from the borders.
    const up = tf.tidy(() => {
      const layer = m.getLayer('upscore2');
      return layer.apply(tf.ones([1, 5, 5, 3])) as tf.Tensor;
    });
    const u = up.dataSync();
    const side = up.shape[1]!;
    for (let y = 2; y < side - 2; y++)
      for (let x = 2; x < side - 2; x++) expect(u[(y * side + x) * 3 + 1]).toBeCloseTo(1, 6);
    up.dispose();
    m.dispose();
  });

  test('too-small inputs for a fixed geometry give a clear error', () => {
    const m = fcn8s({ preset: 'tiny', fc6Kernel: 3, pad: 5, numClasses: 2, seed: 1 }); // not a preset geometry
    expect(() => tf.tidy(() => m.predict(tf.zeros([1, 8, 8, 3])))).toThrow(/cannot crop|fc6|input/i);
    m.dispose();
  });
});
