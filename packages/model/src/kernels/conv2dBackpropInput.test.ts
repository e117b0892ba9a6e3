import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { registerFastKernels } from './registerFastKernels.js';
import { type Backend, rand, relErr, run, use, withStock } from './testing.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: [number, number];
  pad: Pad;
}

// Strides > 1: matMul + col2im.
const cases: Case[] = [
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: [1, 1], pad: 'same' },
  { x: [3, 11, 10, 4], f: [3, 2, 4, 6], s: [1, 1], pad: 'valid' },
  { x: [2, 8, 9, 5], f: [4, 4, 5, 2], s: [1, 1], pad: 'same' },
  { x: [1, 7, 7, 8], f: [7, 7, 8, 16], s: [1, 1], pad: 'valid' },
  {
    x: [2, 7, 9, 6],
    f: [3, 3, 6, 4],
    s: [1, 1],
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
  { x: [1, 6, 5, 64], f: [3, 3, 64, 48], s: [1, 1], pad: 'same' },
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: [2, 2], pad: 'same' },
  { x: [2, 10, 11, 4], f: [4, 4, 4, 3], s: [2, 2], pad: 'valid' },
  { x: [1, 19, 21, 5], f: [16, 16, 5, 5], s: [8, 8], pad: 'same' },
  {
    x: [2, 9, 8, 3],
    f: [2, 3, 3, 4],
    s: [3, 2],
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

function inputs(c: Case, seed: number) {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
  const dyShape = [c.x[0], info.outHeight, info.outWidth, c.f[3]];
  return {
    dy: {
      values: rand(
        dyShape.reduce((a, b) => a * b),
        seed,
      ),
      shape: dyShape,
    },
    filter: {
      values: rand(
        c.f.reduce((a, b) => a * b),
        seed + 3,
      ),
      shape: [...c.f],
    },
  };
}

const attrs = (c: Case) => ({ strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x });

describe('Conv2DBackpropInput', () => {
  let reference: Array<ReturnType<typeof run>>;
  beforeAll(async () => {
    await use('cpu');
    registerFastKernels('cpu');
    reference = withStock('cpu', () => cases.map((c, i) => run('Conv2DBackpropInput', inputs(c, i + 1), attrs(c))));
  });

  for (const backend of ['wasm'] as Backend[]) {
    test(`${backend} matches the stock cpu kernel (odd sizes, strides 1/2, same/valid/explicit, batch > 1)`, async () => {
      await use(backend);
      expect(registerFastKernels(backend)).toContain('Conv2DBackpropInput');
      cases.forEach((c, i) => {
        const got = run('Conv2DBackpropInput', inputs(c, i + 1), attrs(c));
        expect(got.shape).toEqual(c.x);
        expect(relErr(got.values, reference[i]!.values), JSON.stringify(c)).toBeLessThan(1e-5);
      });
    });
  }

  test('wasm: gradients of conv2dTranspose (input and filter) agree with central finite differences', async () => {
    await use('wasm');
    registerFastKernels('wasm');
    const x = tf.tensor4d(rand(2 * 5 * 4 * 3, 11), [2, 5, 4, 3]);
    const w = tf.tensor4d(rand(3 * 3 * 6 * 3, 12), [3, 3, 6, 3]); // [kh, kw, out, in]
    const r = tf.tensor4d(rand(2 * 5 * 4 * 6, 13), [2, 5, 4, 6]);
    const loss = (xt: tf.Tensor, wt: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2dTranspose(xt as tf.Tensor4D, wt as tf.Tensor4D, [2, 5, 4, 6], 1, 'same'), r));
    const before = tf.memory().numTensors;
    const [gx, gw] = tf.grads(loss)([x, w]) as [tf.Tensor, tf.Tensor];
    const h = 1e-2;
    const check = (t: tf.Tensor, g: tf.Tensor, at: number[], f: (p: tf.Tensor) => number) => {
      const v = t.dataSync();
      const gv = g.dataSync();
      for (const i of at) {
        const plus = v.slice();
        const minus = v.slice();
        plus[i] = (plus[i] as number) + h;
        minus[i] = (minus[i] as number) - h;
        const fd = (tf.tidy(() => f(tf.tensor(plus, t.shape))) - tf.tidy(() => f(tf.tensor(minus, t.shape)))) / (2 * h);
        expect(Math.abs(fd - (gv[i] as number))).toBeLessThan(2e-3 * (1 + Math.abs(gv[i] as number)));
      }
    };
    check(x, gx, [0, 7, 33, 119], (p) => loss(p, w).dataSync()[0] as number);
    check(w, gw, [0, 10, 77, 161], (p) => loss(x, p).dataSync()[0] as number);
    tf.dispose([gx, gw]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, r]);
  });
});
