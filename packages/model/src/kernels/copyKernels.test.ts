import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { registerFastKernels } from './registerFastKernels.js';
import { type Backend, type Operand, rand, run, use, withStock } from './testing.js';

const f32 = (shape: number[], seed: number): Operand => ({
  values: rand(
    shape.reduce((a, b) => a * b, 1),
    seed,
  ),
  shape,
});
const i32 = (shape: number[], seed: number): Operand => ({
  values: Int32Array.from(
    rand(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    (v) => Math.round(v * 1000),
  ),
  shape,
  dtype: 'int32',
});
const bool = (shape: number[], seed: number): Operand => ({
  values: Uint8Array.from(
    rand(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    (v) => (v > 0 ? 1 : 0),
  ),
  shape,
  dtype: 'bool',
});

interface Case {
  name: string;
  kernel: string;
  inputs: Record<string, Operand> | Operand[];
  attrs: object;
}

const ss = (begin: number[], end: number[], strides: number[], masks: Partial<Record<string, number>> = {}) => ({
  begin,
  end,
  strides,
  beginMask: 0,
  endMask: 0,
  ellipsisMask: 0,
  newAxisMask: 0,
  shrinkAxisMask: 0,
  ...masks,
});

const cases: Case[] = [
  // The pooling-with-switches taps: a rank-5 slice of [N, h, 2, w, 2C].
  {
    name: 'slice rank 5',
    kernel: 'Slice',
    inputs: { x: f32([2, 3, 2, 5, 14], 1) },
    attrs: { begin: [0, 0, 1, 0, 7], size: [2, 3, 1, 5, 7] },
  },
  {
    name: 'slice rank 4 interior',
    kernel: 'Slice',
    inputs: { x: f32([3, 9, 7, 5], 2) },
    attrs: { begin: [1, 2, 0, 1], size: [2, 5, 7, 3] },
  },
  {
    name: 'slice long rows',
    kernel: 'Slice',
    inputs: { x: f32([2, 5, 300], 3) },
    attrs: { begin: [1, 1, 0], size: [1, 3, 300] },
  },
  {
    name: 'slice int32',
    kernel: 'Slice',
    inputs: { x: i32([3, 4, 5], 4) },
    attrs: { begin: [1, 0, 2], size: [2, 4, 2] },
  },
  { name: 'slice bool', kernel: 'Slice', inputs: { x: bool([4, 6], 5) }, attrs: { begin: [1, 1], size: [2, -1] } },
  { name: 'slice empty', kernel: 'Slice', inputs: { x: f32([3, 4], 6) }, attrs: { begin: [1, 0], size: [0, 4] } },
  {
    name: 'stridedSlice 2x2 taps',
    kernel: 'StridedSlice',
    inputs: { x: f32([3, 9, 7, 5], 7) },
    attrs: ss([0, 1, 0, 0], [3, 9, 7, 5], [1, 2, 2, 1]),
  },
  {
    name: 'stridedSlice stride 3',
    kernel: 'StridedSlice',
    inputs: { x: f32([3, 9, 7, 5], 8) },
    attrs: ss([0, 1, 0, 0], [3, 9, 7, 5], [1, 3, 2, 2]),
  },
  {
    name: 'stridedSlice masks',
    kernel: 'StridedSlice',
    inputs: { x: f32([4, 6, 5], 9) },
    attrs: ss([1, 2, 1], [3, 5, 4], [1, 1, 2], { beginMask: 1, endMask: 4 }),
  },
  {
    name: 'concat channels',
    kernel: 'Concat',
    inputs: [f32([3, 9, 7, 5], 10), f32([3, 9, 7, 2], 11), f32([3, 9, 7, 5], 12)],
    attrs: { axis: 3 },
  },
  {
    name: 'concat rows',
    kernel: 'Concat',
    inputs: [f32([2, 4, 1, 40], 13), f32([2, 4, 1, 40], 14)],
    attrs: { axis: 2 },
  },
  { name: 'concat axis 0', kernel: 'Concat', inputs: [f32([2, 3, 4], 15), f32([1, 3, 4], 16)], attrs: { axis: 0 } },
  {
    name: 'concat int32 negative axis',
    kernel: 'Concat',
    inputs: [i32([2, 3], 17), i32([2, 5], 18)],
    attrs: { axis: -1 },
  },
  { name: 'tile BN broadcast', kernel: 'Tile', inputs: { x: f32([1, 1, 1, 5], 19) }, attrs: { reps: [3, 9, 7, 1] } },
  { name: 'tile all dims', kernel: 'Tile', inputs: { x: f32([3, 2, 2, 5], 20) }, attrs: { reps: [2, 1, 3, 2] } },
  { name: 'tile long rows', kernel: 'Tile', inputs: { x: f32([1, 1, 1, 100], 21) }, attrs: { reps: [2, 30, 3, 2] } },
  { name: 'tile bool', kernel: 'Tile', inputs: { x: bool([3, 4], 22) }, attrs: { reps: [2, 3] } },
];

describe('copy kernels (Slice, StridedSlice, Concat, Tile)', () => {
  let reference: Array<ReturnType<typeof run>>;
  beforeAll(async () => {
    await use('cpu');
    registerFastKernels('cpu');
    reference = withStock('cpu', () => cases.map((c) => run(c.kernel, c.inputs, c.attrs)));
  });

  for (const backend of ['wasm', 'cpu'] as Backend[]) {
    test(`${backend}: identical to the stock cpu kernels`, async () => {
      await use(backend);
      const names = registerFastKernels(backend);
      for (const c of cases) {
        expect(names).toContain(c.kernel);
        const got = run(c.kernel, c.inputs, c.attrs);
        expect(got.shape, c.name).toEqual(reference[cases.indexOf(c)]!.shape);
        expect(Array.from(got.values), c.name).toEqual(Array.from(reference[cases.indexOf(c)]!.values));
      }
    });
  }

  test('wasm Identity shares data: clones outlive their source, variables update, nothing leaks', async () => {
    await use('wasm');
    expect(registerFastKernels('wasm')).toContain('Identity');
    const ids = () => tf.engine().backend.numDataIds();
    const start = ids();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(ids()).toBe(start + 1); // no copy
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    const v = tf.variable(y);
    y.dispose();
    const next = tf.tidy(() => tf.add(v, 1)) as tf.Tensor1D;
    v.assign(next);
    next.dispose();
    expect(Array.from(v.dataSync())).toEqual([2, 3, 4]);
    v.dispose();
    expect(ids()).toBe(start);
  });

  test('wasm Cast to the same dtype shares data; real conversions still convert', async () => {
    await use('wasm');
    expect(registerFastKernels('wasm')).toContain('Cast');
    const ids = () => tf.engine().backend.numDataIds();
    const start = ids();
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const same = tf.cast(x, 'float32');
    expect(ids()).toBe(start + 1); // shared, not copied
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.25, 3]);
    const i = tf.cast(same, 'int32');
    const ints = tf.tensor1d([7, -1], 'int32');
    const back = tf.cast(ints, 'float32');
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, -2, 3]);
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.dataSync())).toEqual([7, -1]);
    tf.dispose([same, i, ints, back]);
    expect(ids()).toBe(start);
  });

  test('wasm: string tensors fall back to the stock kernels', async () => {
    await use('wasm');
    registerFastKernels('wasm');
    const s = tf.tensor(['a', 'b', 'c', 'd'], [2, 2]);
    const out = tf.tidy(() => tf.concat([tf.slice(s, [1, 0], [1, 2]), s], 0));
    expect(await out.array()).toEqual([
      ['c', 'd'],
      ['a', 'b'],
      ['c', 'd'],
    ]);
    tf.dispose([s, out]);
  });
});
