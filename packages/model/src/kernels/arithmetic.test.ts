import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { broadcastPlan } from './broadcastArithmetic.js';
import { registerFastKernels } from './registerFastKernels.js';
import type { Backend } from './testing.js';
import { type Operand, rand, relErr, run, use, withStock } from './testing.js';

const f32 = (shape: number[], seed: number, offset = 0): Operand => ({
  values: rand(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ).map((v) => v + offset),
  shape,
});

interface Case {
  kernel: string;
  inputs: Record<string, Operand>;
  attrs: object;
}

const shapes: Array<[number[], number[]]> = [
  [
    [2, 5, 3, 4],
    [2, 5, 3, 4],
  ],
  [[2, 5, 3, 4], [4]],
  [
    [1, 1, 1, 4],
    [2, 5, 3, 4],
  ],
  [
    [2, 5, 3, 7],
    [2, 5, 3, 1],
  ],
  [
    [3, 1, 4],
    [1, 5, 1],
  ],
  [[], [2, 3]],
  [[2, 3], []],
  // wasm tiles these (≥ 8192 outputs, whole innermost runs) before its equal-shape kernel.
  [[2, 32, 16, 8], [8]],
  [
    [1, 1, 1, 8],
    [2, 32, 16, 8],
  ],
  [
    [2, 32, 16, 8],
    [2, 1, 16, 8],
  ],
  [
    [4, 32, 16, 8],
    [4, 32, 16, 1],
  ],
];
const cases: Case[] = [
  ...['Add', 'Sub', 'Multiply', 'RealDiv'].flatMap((k) =>
    shapes.map(([a, b], i) => ({
      kernel: k,
      inputs: { a: f32(a, i + 1), b: f32(b, i + 50, k === 'RealDiv' ? 3 : 0) },
      attrs: {},
    })),
  ),
  { kernel: 'Sum', inputs: { x: f32([2, 5, 3, 4], 1) }, attrs: { axis: [0, 1, 2], keepDims: false } },
  { kernel: 'Sum', inputs: { x: f32([2, 5, 3, 4], 2) }, attrs: { axis: [0, 1, 2], keepDims: true } },
  { kernel: 'Sum', inputs: { x: f32([2, 5, 3, 7], 3) }, attrs: { axis: -1, keepDims: true } },
  { kernel: 'Sum', inputs: { x: f32([2, 5, 3, 7], 4) }, attrs: { axis: [1, 2], keepDims: false } },
  { kernel: 'Sum', inputs: { x: f32([2, 5, 3, 7], 5) }, attrs: { axis: [0, 2], keepDims: false } },
  { kernel: 'Sum', inputs: { x: f32([2, 1, 3, 7], 6) }, attrs: { axis: [0, 2], keepDims: false } },
  // Larger leading-axis reductions (bias gradients, batch-norm moments).
  { kernel: 'Sum', inputs: { x: f32([3, 17, 11, 5], 9) }, attrs: { axis: [0, 1, 2], keepDims: false } },
  { kernel: 'Sum', inputs: { x: f32([2, 40, 33, 16], 10, 0.5) }, attrs: { axis: [2, 0, 1], keepDims: true } },
  { kernel: 'Sum', inputs: { x: f32([300, 64], 11) }, attrs: { axis: 0, keepDims: false } },
  { kernel: 'Sum', inputs: { x: f32([4, 130, 3], 12) }, attrs: { axis: [0, 1], keepDims: false } },
  { kernel: 'Mean', inputs: { x: f32([2, 5, 3, 4], 7) }, attrs: { axis: [0, 1, 2], keepDims: true } },
  { kernel: 'Mean', inputs: { x: f32([4, 6], 8) }, attrs: { axis: [0, 1], keepDims: false } },
  { kernel: 'Mean', inputs: { x: f32([2, 40, 33, 16], 13, 0.5) }, attrs: { axis: [0, 1, 2], keepDims: true } },
  { kernel: 'Mean', inputs: { x: f32([3, 17, 11, 5], 14) }, attrs: { axis: [0, 1, 2], keepDims: false } },
];

describe('broadcasting arithmetic (cpu, wasm) and reductions (cpu)', () => {
  let reference: Array<ReturnType<typeof run>>;
  beforeAll(async () => {
    await use('cpu');
    registerFastKernels('cpu');
    reference = withStock('cpu', () => cases.map((c) => run(c.kernel, c.inputs, c.attrs)));
  });

  for (const backend of ['cpu', 'wasm'] as Backend[]) {
    test(`${backend}: same shapes and values as the stock cpu kernels`, async () => {
      await use(backend);
      expect(registerFastKernels(backend)).toEqual(expect.arrayContaining(['Multiply']));
      cases.forEach((c, i) => {
        if (backend === 'wasm' && (c.kernel === 'Sum' || c.kernel === 'Mean')) return;
        const got = run(c.kernel, c.inputs, c.attrs);
        const label = `${c.kernel} ${JSON.stringify(Object.values(c.inputs).map((o) => o.shape))} ${JSON.stringify(c.attrs)}`;
        expect(got.shape, label).toEqual(reference[i]!.shape);
        expect(relErr(got.values, reference[i]!.values), label).toBeLessThan(1e-6);
      });
    });
  }

  test('int32 arithmetic still goes to the stock kernels', async () => {
    await use('cpu');
    const r = tf.tidy(() => tf.add(tf.tensor1d([1, 2], 'int32'), tf.scalar(3, 'int32')));
    expect(r.dtype).toBe('int32');
    expect(Array.from(r.dataSync())).toEqual([4, 5]);
    r.dispose();
  });

  test('broadcastPlan merges dims that broadcast alike', () => {
    expect(broadcastPlan([1, 1, 1, 8], [2, 64, 64, 8])).toMatchObject({
      outShape: [2, 64, 64, 8],
      dims: [8192, 8],
      aStrides: [0, 1],
      bStrides: [8, 1],
    });
    expect(broadcastPlan([3, 1, 4], [1, 5, 1]).dims).toEqual([3, 5, 4]);
  });
});
