import type { LabelMap, RgbImage, ScoreMap } from '@deconvnet/image';
import { type Tensor3D, type Tensor4D, tensor3d, tensor4d } from '@tensorflow/tfjs-core';
import { ModelError } from './errors.js';

/** Caffe ImageNet means in BGR order, as DeconvNet's MATLAB inference (deconvnet.md §3). */
export const CAFFE_MEAN_BGR: readonly [number, number, number] = [104.00698793, 116.66876762, 122.67891434];

export interface PreprocessOptions {
  /** Channel order fed to the net: 'bgr' (Caffe, default) or 'rgb'. */
  channelOrder?: 'bgr' | 'rgb';
  /** Per-channel mean subtracted, in the output channel order. Default {@link CAFFE_MEAN_BGR} (reordered for 'rgb'). */
  mean?: readonly [number, number, number];
  /** Multiplier applied after the mean subtraction (Caffe: 1, values stay in 0–255). */
  scale?: number;
}

/**
 * Caffe preprocessing: RGB uint8 → float32 NHWC, channels reordered to BGR, minus the mean, times `scale`.
 * All images must have the same size (crop/warp them first with @deconvnet/image).
 */
export function preprocess(images: RgbImage | readonly RgbImage[], options: PreprocessOptions = {}): Tensor4D {
  const list = Array.isArray(images) ? (images as readonly RgbImage[]) : [images as RgbImage];
  if (list.length === 0) throw new ModelError('preprocess', 'no images given');
  const order = options.channelOrder ?? 'bgr';
  if (order !== 'bgr' && order !== 'rgb')
    throw new ModelError('preprocess', `channelOrder must be 'bgr' or 'rgb', got ${order}`);
  const src = order === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  const mean =
    options.mean ?? (order === 'bgr' ? CAFFE_MEAN_BGR : [CAFFE_MEAN_BGR[2], CAFFE_MEAN_BGR[1], CAFFE_MEAN_BGR[0]]);
  if (mean.length !== 3 || !mean.every(Number.isFinite))
    throw new ModelError('preprocess', 'mean must be three finite numbers');
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale)) throw new ModelError('preprocess', `scale must be finite, got ${scale}`);
  const { width, height } = list[0]!;
  const plane = width * height;
  const out = new Float32Array(list.length * plane * 3);
  list.forEach((img, i) => {
    if (img.width !== width || img.height !== height) {
      throw new ModelError(
        'preprocess',
        `image ${i} is ${img.width}×${img.height}, image 0 is ${width}×${height}: sizes must match`,
      );
    }
    if (img.data.length !== plane * 3)
      throw new ModelError('preprocess', `image ${i}: data holds ${img.data.length} bytes, expected ${plane * 3}`);
    const d = img.data;
    const base = i * plane * 3;
    for (let p = 0; p < plane; p++) {
      for (let k = 0; k < 3; k++) out[base + p * 3 + k] = (d[p * 3 + src[k]!]! - mean[k]!) * scale;
    }
  });
  return tensor4d(out, [list.length, height, width, 3]);
}

/**
 * Label maps → int32 [N, H, W]. With `numClasses`, any label other than 0…numClasses−1 and `ignoreLabel` (255) is an
 * error that names the map and the value.
 */
export function labelsToTensor(
  labels: LabelMap | readonly LabelMap[],
  options: { numClasses?: number; ignoreLabel?: number } = {},
): Tensor3D {
  const list = Array.isArray(labels) ? (labels as readonly LabelMap[]) : [labels as LabelMap];
  if (list.length === 0) throw new ModelError('labelsToTensor', 'no label maps given');
  const { width, height } = list[0]!;
  const ignore = options.ignoreLabel ?? 255;
  const out = new Int32Array(list.length * width * height);
  list.forEach((l, i) => {
    if (l.width !== width || l.height !== height || l.data.length !== width * height) {
      throw new ModelError(
        'labelsToTensor',
        `label map ${i} is ${l.width}×${l.height}, map 0 is ${width}×${height}: sizes must match`,
      );
    }
    if (options.numClasses !== undefined) {
      for (let p = 0; p < l.data.length; p++) {
        const v = l.data[p]!;
        if (v >= options.numClasses && v !== ignore) {
          throw new ModelError(
            'labelsToTensor',
            `label map ${i} has label ${v} at (${p % width}, ${Math.floor(p / width)}), but there are ${options.numClasses} classes`,
          );
        }
      }
    }
    out.set(l.data, i * width * height);
  });
  return tensor3d(out, [list.length, height, width], 'int32');
}

/** Splits NHWC scores (e.g. the model's output) into one ScoreMap per batch item (reads the tensor synchronously). */
export function toScoreMaps(scores: Tensor4D): ScoreMap[] {
  if (scores.rank !== 4)
    throw new ModelError('toScoreMaps', `expected [N, H, W, C] scores, got shape [${scores.shape}]`);
  const [n, height, width, channels] = scores.shape;
  const all = scores.dataSync() as Float32Array;
  const size = height * width * channels;
  return Array.from({ length: n }, (_, i) => ({ width, height, channels, data: all.slice(i * size, (i + 1) * size) }));
}
