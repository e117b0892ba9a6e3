import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { CAFFE_MEAN_BGR, labelsToTensor, preprocess, toScoreMaps } from './preprocess.js';
import { useBackend } from './test-setup.js';

beforeAll(() => useBackend('cpu'));

describe('preprocess', () => {
  test('RGB uint8 → BGR minus the Caffe means, NHWC', () => {
    const img = { width: 2, height: 1, data: new Uint8Array([10, 20, 30, 200, 100, 0]) };
    const t = preprocess([img, img]);
    expect(t.shape).toEqual([2, 1, 2, 3]);
    const v = t.dataSync();
    expect(v[0]).toBeCloseTo(30 - 104.00698793, 4); // B
    expect(v[1]).toBeCloseTo(20 - 116.66876762, 4); // G
    expect(v[2]).toBeCloseTo(10 - 122.67891434, 4); // R
    expect(v[3]).toBeCloseTo(0 - 104.00698793, 4);
    expect(v[5]).toBeCloseTo(200 - 122.67891434, 4);
    expect(CAFFE_MEAN_BGR).toEqual([104.00698793, 116.66876762, 122.67891434]);
    const rgb = preprocess(img, { channelOrder: 'rgb', mean: [0, 0, 0], scale: 1 / 255 }).dataSync();
    expect(rgb[0]).toBeCloseTo(10 / 255, 6);
    expect(rgb[3]).toBeCloseTo(200 / 255, 6);
  });

  test('errors name the offending image; labels and score maps convert', () => {
    const a = { width: 2, height: 2, data: new Uint8Array(12) };
    const b = { width: 3, height: 2, data: new Uint8Array(18) };
    expect(() => preprocess([a, b])).toThrow(/preprocess: image 1 is 3×2, image 0 is 2×2/);
    expect(() => preprocess([])).toThrow(/no images/);
    const lab = { width: 2, height: 1, data: new Uint8Array([3, 255]) };
    expect(Array.from(labelsToTensor(lab, { numClasses: 4 }).dataSync())).toEqual([3, 255]);
    expect(() => labelsToTensor(lab, { numClasses: 3 })).toThrow(/label map 0 has label 3 at \(0, 0\)/);
    const maps = toScoreMaps(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 2, 2]));
    expect(maps).toHaveLength(2);
    expect(maps[1]).toEqual({ width: 2, height: 1, channels: 2, data: new Float32Array([5, 6, 7, 8]) });
  });
});
