import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { registerFastKernels } from './registerFastKernels.js';
import { type Backend, rand, relErr, run, use, withStock } from './testing.js';

interface Case {
  x: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number;
  ties?: boolean;
}

const cases: Case[] = [
  { x: [2, 8, 10, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 9, 7, 4], filterSize: [2, 2], strides: [2, 2], pad: 'same' },
  { x: [1, 9, 9, 5], filterSize: [3, 3], strides: [2, 2], pad: 'same' }, // overlapping windows
  { x: [3, 7, 8, 2], filterSize: [3, 2], strides: [1, 2], pad: 1 },
  { x: [2, 6, 6, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid', ties: true }, // first max wins
];

function inputs(c: Case, seed: number) {
  const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
  const n = c.x.reduce((a, b) => a * b);
  const xv = c.ties ? rand(n, seed).map((v) => Math.round(v * 2)) : rand(n, seed);
  const dyShape = [c.x[0], info.outHeight, info.outWidth, c.x[3]];
  const output = { values: new Float32Array(dyShape.reduce((a, b) => a * b)), shape: dyShape }; // unused by the kernels
  return {
    dy: {
      values: rand(
        dyShape.reduce((a, b) => a * b),
        seed + 5,
      ),
      shape: dyShape,
    },
    input: { values: xv, shape: [...c.x] },
    output,
  };
}

const attrs = (c: Case) => ({ filterSize: c.filterSize, strides: c.strides, pad: c.pad });

describe('MaxPoolGrad', () => {
  let reference: Array<ReturnType<typeof run>>;
  beforeAll(async () => {
    await use('cpu');
    registerFastKernels('cpu');
    reference = withStock('cpu', () => cases.map((c, i) => run('MaxPoolGrad', inputs(c, i + 1), attrs(c))));
  });

  for (const backend of ['wasm', 'cpu'] as Backend[]) {
    test(`${backend} matches the stock cpu kernel (2×2/2, same/valid/explicit, overlapping windows, ties)`, async () => {
      await use(backend);
      expect(registerFastKernels(backend)).toContain('MaxPoolGrad');
      cases.forEach((c, i) => {
        const got = run('MaxPoolGrad', inputs(c, i + 1), attrs(c));
        expect(got.shape).toEqual(c.x);
        expect(relErr(got.values, reference[i]!.values), JSON.stringify(c)).toBeLessThan(1e-6);
      });
    });
  }
});
