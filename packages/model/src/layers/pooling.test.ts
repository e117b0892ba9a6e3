import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { rng, useBackend } from '../test-setup.js';
import { maxPoolWithSwitches } from './max-pool-with-switches.js';
import { switchesToPlaneIndex } from './switches.js';
import { unpool } from './unpooling.js';

beforeAll(() => useBackend('cpu'));

/** Plain-JS reference: Caffe's loop with strict `>` (first maximum wins), ceil mode. NHWC arrays. */
function refPool(x: Float32Array, [n, h, w, c]: number[]) {
  const oh = Math.ceil(h! / 2);
  const ow = Math.ceil(w! / 2);
  const pooled = new Float32Array(n! * oh * ow * c!);
  const mask = new Int32Array(pooled.length); // Caffe's per-plane index h·W + w
  for (let b = 0; b < n!; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let k = 0; k < c!; k++) {
          let best = -Infinity;
          let arg = -1;
          for (let dy = 0; dy < 2; dy++)
            for (let dx = 0; dx < 2; dx++) {
              const iy = 2 * y + dy;
              const ix = 2 * xx + dx;
              if (iy >= h! || ix >= w!) continue;
              const v = x[((b * h! + iy) * w! + ix) * c! + k]!;
              if (v > best) {
                best = v;
                arg = iy * w! + ix;
              }
            }
          const o = ((b * oh + y) * ow + xx) * c! + k;
          pooled[o] = best;
          mask[o] = arg;
        }
  return { pooled, mask, oh, ow };
}

describe('maxPoolWithSwitches', () => {
  test('hand-worked 4×4 plane with ties and negatives', () => {
    // prettier-ignore
    const plane = [1, 3, 2, 2, 3, 0, 2, 2, -5, -2, -1, -1, -3, -2, -4, -1];
    const x = tf.tensor4d(plane, [1, 4, 4, 1]);
    const { pooled, switches } = maxPoolWithSwitches(x);
    // Windows: {1,3,3,0} → 3, first at top-right (1); {2,2,2,2} → 2 at top-left (0);
    // {-5,-2,-3,-2} → -2 at top-right (1); {-1,-1,-4,-1} → -1 at top-left (0).
    expect(Array.from(pooled.dataSync())).toEqual([3, 2, -2, -1]);
    expect(Array.from(switches.dataSync())).toEqual([1, 0, 1, 0]);
    expect(Array.from(switchesToPlaneIndex(switches, 4).dataSync())).toEqual([1, 2, 9, 10]);
    const up = unpool(pooled, switches);
    // prettier-ignore
    expect(Array.from(up.dataSync())).toEqual([0, 3, 2, 0, 0, 0, 0, 0, 0, -2, -1, 0, 0, 0, 0, 0]);
    tf.dispose([x, pooled, switches, up]);
  });

  test('hand-worked: two channels, two batch items, bottom-right maxima', () => {
    // item 0: channel 0 = [[0,0],[0,4]], channel 1 = [[-1,-1],[-1,-1]]; item 1: channel 0 = [[0,5],[5,0]], channel 1 = [[-7,-8],[-6,-9]]
    const x = tf.tensor4d([0, -1, 0, -1, 0, -1, 4, -1, 0, -7, 5, -8, 5, -6, 0, -9], [2, 2, 2, 2]);
    const { pooled, switches } = maxPoolWithSwitches(x);
    expect(Array.from(pooled.dataSync())).toEqual([4, -1, 5, -6]);
    expect(Array.from(switches.dataSync())).toEqual([3, 0, 1, 2]);
    const up = unpool(tf.tensor4d([10, 20, 30, 40], [2, 1, 1, 2]), switches);
    expect(Array.from(up.dataSync())).toEqual([0, 20, 0, 0, 0, 0, 10, 0, 0, 0, 30, 0, 0, 40, 0, 0]);
    tf.dispose([x, pooled, switches, up]);
  });

  test('matches the Caffe loop on random maps with many ties, several channels and batch items, odd sizes', () => {
    const r = rng(7);
    for (const shape of [
      [2, 6, 8, 3],
      [3, 5, 7, 4],
      [1, 9, 4, 5],
    ]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: size }, () => Math.floor(r() * 4) - 2); // values in {-2..1}: ties everywhere
      const x = tf.tensor4d(data, shape as [number, number, number, number]);
      const { pooled, switches } = maxPoolWithSwitches(x);
      const ref = refPool(data, shape);
      expect(pooled.shape).toEqual([shape[0], ref.oh, ref.ow, shape[3]]);
      expect(Array.from(pooled.dataSync())).toEqual(Array.from(ref.pooled));
      expect(Array.from(switchesToPlaneIndex(switches, shape[2]!).dataSync())).toEqual(Array.from(ref.mask));
      // Unpooling writes each pooled value at its mask position of a zero map of the pre-pool size.
      const up = unpool(pooled, switches, [shape[1]!, shape[2]!]);
      const expected = new Float32Array(size);
      const [n, h, w, c] = shape as [number, number, number, number];
      for (let b = 0; b < n; b++)
        for (let i = 0; i < ref.oh * ref.ow; i++)
          for (let k = 0; k < c; k++) {
            const o = (b * ref.oh * ref.ow + i) * c + k;
            const m = ref.mask[o]!;
            expected[((b * h + Math.floor(m / w)) * w + (m % w)) * c + k] = ref.pooled[o]!;
          }
      expect(Array.from(up.dataSync())).toEqual(Array.from(expected));
      tf.dispose([x, pooled, switches, up]);
    }
  });

  test('gradients match finite differences (pooling and unpooling)', () => {
    const r = rng(11);
    const shape: [number, number, number, number] = [2, 4, 6, 2];
    const size = shape.reduce((a, b) => a * b, 1);
    // Distinct values spaced ≥ 0.05 apart, so a ±1e-2 step never changes which element is the maximum.
    const perm = Array.from({ length: size }, (_, i) => i).sort(() => r() - 0.5);
    const data = Float32Array.from(perm, (p) => p * 0.05 - 2);
    const weights = tf.tensor4d(
      Float32Array.from({ length: size / 4 }, () => r() * 2 - 1),
      [2, 2, 3, 2],
    );
    const poolLoss = (x: tf.Tensor) =>
      tf.tidy(() => {
        const { pooled, switches } = maxPoolWithSwitches(x as tf.Tensor4D);
        switches.dispose();
        return tf.sum(tf.mul(pooled, weights)) as tf.Scalar;
      });
    const x = tf.tensor4d(data, shape);
    const g = tf.grad(poolLoss)(x).dataSync();
    const eps = 1e-2;
    for (let i = 0; i < size; i++) {
      const plus = data.slice();
      plus[i]! += eps;
      const minus = data.slice();
      minus[i]! -= eps;
      const fd =
        (poolLoss(tf.tensor4d(plus, shape)).dataSync()[0]! - poolLoss(tf.tensor4d(minus, shape)).dataSync()[0]!) /
        (2 * eps);
      expect(g[i]).toBeCloseTo(fd, 3);
    }
    // Unpooling: d/dv Σ unpool(v, s)·u = u gathered at the switches.
    const { switches } = maxPoolWithSwitches(x);
    const u = tf.tensor4d(
      Float32Array.from({ length: size }, () => r() * 2 - 1),
      shape,
    );
    const unpoolLoss = (v: tf.Tensor) =>
      tf.tidy(() => tf.sum(tf.mul(unpool(v as tf.Tensor4D, switches), u)) as tf.Scalar);
    const v0 = Float32Array.from({ length: size / 4 }, () => r() * 2 - 1);
    const gv = tf
      .grad(unpoolLoss)(tf.tensor4d(v0, [2, 2, 3, 2]))
      .dataSync();
    for (let i = 0; i < v0.length; i++) {
      const plus = v0.slice();
      plus[i]! += eps;
      const minus = v0.slice();
      minus[i]! -= eps;
      const fd =
        (unpoolLoss(tf.tensor4d(plus, [2, 2, 3, 2])).dataSync()[0]! -
          unpoolLoss(tf.tensor4d(minus, [2, 2, 3, 2])).dataSync()[0]!) /
        (2 * eps);
      expect(gv[i]).toBeCloseTo(fd, 3);
    }
  });

  test('odd sizes: gradients land on the Caffe mask positions (pooling) and read them back (unpooling)', () => {
    const r = rng(5);
    const shape = [2, 5, 7, 3];
    const [n, h, w, c] = shape as [number, number, number, number];
    const size = n * h * w * c;
    const data = Float32Array.from({ length: size }, () => Math.floor(r() * 5) - 2);
    const ref = refPool(data, shape);
    const wts = Float32Array.from({ length: ref.pooled.length }, () => r() * 2 - 1);
    const weights = tf.tensor4d(wts, [n, ref.oh, ref.ow, c]);
    const x = tf.tensor4d(data, shape as [number, number, number, number]);
    const gx = tf
      .grad((t: tf.Tensor) => {
        const { pooled, switches } = maxPoolWithSwitches(t as tf.Tensor4D);
        switches.dispose();
        return tf.sum(tf.mul(pooled, weights));
      })(x)
      .dataSync();
    const want = new Float32Array(size);
    for (let b = 0; b < n; b++)
      for (let i = 0; i < ref.oh * ref.ow; i++)
        for (let k = 0; k < c; k++) {
          const o = (b * ref.oh * ref.ow + i) * c + k;
          const m = ref.mask[o]!;
          want[((b * h + Math.floor(m / w)) * w + (m % w)) * c + k] = wts[o]!;
        }
    expect(Array.from(gx)).toEqual(Array.from(want));
    // Unpooling to the odd pre-pool size: d/dv Σ unpool(v)·u = u read at the mask positions.
    const { switches } = maxPoolWithSwitches(x);
    const u = Float32Array.from({ length: size }, () => r() * 2 - 1);
    const ut = tf.tensor4d(u, shape as [number, number, number, number]);
    const gv = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(unpool(v as tf.Tensor4D, switches, [h, w]), ut)))(tf.onesLike(weights))
      .dataSync();
    for (let b = 0; b < n; b++)
      for (let i = 0; i < ref.oh * ref.ow; i++)
        for (let k = 0; k < c; k++) {
          const o = (b * ref.oh * ref.ow + i) * c + k;
          const m = ref.mask[o]!;
          expect(gv[o]).toBe(u[((b * h + Math.floor(m / w)) * w + (m % w)) * c + k]);
        }
  });

  test('on ties the pooling gradient goes to the first maximum only', () => {
    // Left window all 2, right window all 3: the top-left cell of each gets the gradient.
    const x = tf.tensor4d([2, 2, 3, 3, 2, 2, 3, 3], [1, 2, 4, 1]);
    const g = tf.grad((t: tf.Tensor) => {
      const { pooled, switches } = maxPoolWithSwitches(t as tf.Tensor4D);
      switches.dispose();
      return tf.sum(pooled);
    })(x);
    expect(Array.from(g.dataSync())).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
  });

  test('errors: wrong rank, mismatched switches, impossible output size', () => {
    expect(() => maxPoolWithSwitches(tf.zeros([4, 4]) as unknown as tf.Tensor4D)).toThrow(/rank 4/);
    expect(() => unpool(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 2, 3, 1]))).toThrow(/same shape/);
    expect(() => unpool(tf.zeros([1, 2, 2, 1]), tf.zeros([1, 2, 2, 1]), [7, 4])).toThrow(/output height 7/);
  });
});
