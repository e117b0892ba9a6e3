import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { im2colLimit } from './conv2dBackpropFilter.js';
import { registerFastKernels } from './registerFastKernels.js';
import { type Backend, rand, relErr, run, use, withStock } from './testing.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  x: [number, number, number, number];
  f: [number, number, number, number];
  s: [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: [1, 1], pad: 'same' },
  { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: [2, 2], pad: 'same' },
  { x: [3, 11, 10, 4], f: [3, 2, 4, 6], s: [2, 1], pad: 'valid' },
  { x: [1, 5, 5, 1], f: [5, 5, 1, 1], s: [1, 1], pad: 'valid' },
  { x: [2, 13, 11, 1], f: [1, 1, 1, 7], s: [1, 1], pad: 'valid' },
  { x: [2, 8, 9, 5], f: [4, 4, 5, 2], s: [1, 1], pad: 'same' },
  {
    x: [2, 7, 9, 6],
    f: [3, 3, 6, 4],
    s: [1, 1],
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  { x: [1, 5, 4, 64], f: [3, 3, 64, 48], s: [1, 1], pad: 'same' },
  { x: [2, 9, 7, 16], f: [3, 3, 16, 32], s: [2, 2], pad: 'same' },
  { x: [2, 19, 21, 5], f: [16, 16, 5, 3], s: [8, 8], pad: 'same' },
  {
    x: [2, 17, 18, 4],
    f: [2, 3, 4, 3],
    s: [3, 2],
    pad: [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  },
];

function outSize(c: Case): [number, number] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.s, 1, c.pad);
  return [info.outHeight, info.outWidth];
}

function inputs(c: Case, seed: number) {
  const [oh, ow] = outSize(c);
  const dyShape = [c.x[0], oh, ow, c.f[3]];
  return {
    x: {
      values: rand(
        c.x.reduce((a, b) => a * b),
        seed,
      ),
      shape: [...c.x],
    },
    dy: {
      values: rand(
        dyShape.reduce((a, b) => a * b),
        seed + 7,
      ),
      shape: dyShape,
    },
  };
}

const attrs = (c: Case) => ({ strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f });

describe('Conv2DBackpropFilter', () => {
  let reference: Array<ReturnType<typeof run>>;
  beforeAll(async () => {
    await use('cpu');
    registerFastKernels('cpu');
    reference = withStock('cpu', () => cases.map((c, i) => run('Conv2DBackpropFilter', inputs(c, i + 1), attrs(c))));
  });

  for (const backend of ['wasm', 'cpu'] as Backend[]) {
    test(`${backend} matches the stock cpu kernel (odd sizes, strides 1/2, same/valid/explicit, batch > 1, C 1…64)`, async () => {
      await use(backend);
      expect(registerFastKernels(backend)).toContain('Conv2DBackpropFilter');
      cases.forEach((c, i) => {
        const got = run('Conv2DBackpropFilter', inputs(c, i + 1), attrs(c));
        expect(got.shape).toEqual(c.f);
        expect(relErr(got.values, reference[i]!.values), JSON.stringify(c)).toBeLessThan(1e-5);
      });
    });
  }

  test('wasm: im2col split into chunks (accumulated) gives the same result', async () => {
    await use('wasm');
    registerFastKernels('wasm');
    const saved = im2colLimit.floats;
    // Both limits cut the stride-1 path's blocks mid-row and mid-image, and send the others through pixel chunks.
    try {
      for (const limit of [5000, 500]) {
        im2colLimit.floats = limit;
        cases.forEach((c, i) => {
          const got = run('Conv2DBackpropFilter', inputs(c, i + 1), attrs(c));
          expect(relErr(got.values, reference[i]!.values), `${limit} ${JSON.stringify(c)}`).toBeLessThan(1e-5);
        });
      }
    } finally {
      im2colLimit.floats = saved;
    }
  });

  test('wasm: tf.grad of conv2d w.r.t. the filter agrees with central finite differences', async () => {
    await use('wasm');
    registerFastKernels('wasm');
    const x = tf.tensor4d(rand(2 * 7 * 6 * 3, 3), [2, 7, 6, 3]);
    const w = tf.tensor4d(rand(3 * 3 * 3 * 4, 4), [3, 3, 3, 4]);
    const r = tf.tensor4d(rand(2 * 4 * 3 * 4, 5), [2, 4, 3, 4]);
    const loss = (wt: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, wt as tf.Tensor4D, 2, 'same'), r));
    const before = tf.memory().numTensors;
    const g = tf.grad(loss)(w);
    const gv = g.dataSync();
    const wv = w.dataSync();
    const h = 1e-2;
    for (const i of [0, 5, 17, 50, 107]) {
      const plus = wv.slice();
      const minus = wv.slice();
      plus[i] = (plus[i] as number) + h;
      minus[i] = (minus[i] as number) - h;
      const lp = tf.tidy(() => loss(tf.tensor4d(plus, w.shape)).dataSync()[0] as number);
      const lm = tf.tidy(() => loss(tf.tensor4d(minus, w.shape)).dataSync()[0] as number);
      expect(Math.abs((lp - lm) / (2 * h) - (gv[i] as number))).toBeLessThan(2e-3 * (1 + Math.abs(gv[i] as number)));
    }
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, r]);
  });
});
