import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { readModelArtifacts } from './file-handler.js';

export interface KerasVgg16ImportOptions {
  /**
   * Order of Keras' Flatten before fc1: 'hwc' (channels_last, the tfjs/TF default: row = (y·K + x)·C + c), 'chw'
   * (channels_first / Caffe: row = (c·K + y)·K + x), or 'auto' (read `data_format` from the Keras model.json).
   */
  flattenOrder?: 'auto' | 'hwc' | 'chw';
  /** Import fc1/fc2 into fc6/fc7 (default true); false imports the 13 convolutions only. */
  includeFc?: boolean;
}

export interface KerasVgg16ImportResult {
  /** Target layer names that received weights, in order. */
  assigned: string[];
  flattenOrder: 'hwc' | 'chw';
}

const KERAS_TO_CAFFE: ReadonlyArray<[string, string]> = [
  ...[2, 2, 3, 3, 3].flatMap((depth, b) =>
    Array.from(
      { length: depth },
      (_, i) => [`block${b + 1}_conv${i + 1}`, `conv${b + 1}_${i + 1}`] as [string, string],
    ),
  ),
  ['fc1', 'fc6'],
  ['fc2', 'fc7'],
];

function detectFlattenOrder(topology: unknown): 'hwc' | 'chw' {
  const text = JSON.stringify(topology);
  return /"data_format"\s*:\s*"channels_first"/.test(text) ? 'chw' : 'hwc';
}

/**
 * Copies ImageNet VGG16 weights from a Keras VGG16 converted to the tfjs layers format (model.json + shards in `dir`)
 * into a DeconvNet or FCN-8s built with VGG16 widths: block{b}_conv{i} → conv{b}_{i}, fc1 (K²·C × F) reshaped to
 * fc6 (K×K×C×F) following Keras' flatten order, fc2 → fc7 (1×1). Keras VGG16 expects Caffe-style BGR, mean-subtracted
 * input, as `preprocess` produces. Shapes are checked against the target; nothing is assigned if any mismatches.
 */
export async function importKerasVgg16(
  model: LayersModel,
  dir: string,
  options: KerasVgg16ImportOptions = {},
): Promise<KerasVgg16ImportResult> {
  const artifacts = await readModelArtifacts(dir);
  const order =
    options.flattenOrder === undefined || options.flattenOrder === 'auto'
      ? detectFlattenOrder(artifacts.modelTopology)
      : options.flattenOrder;
  const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const byKey = new Map<string, tf.Tensor>();
  for (const [name, t] of Object.entries(named)) {
    // "block1_conv1/kernel", "vgg16/block1_conv1/kernel:0", …
    const m = /(?:^|\/)(block\d_conv\d|fc1|fc2)\/(kernel|bias)(?::\d+)?$/.exec(name);
    if (m) byKey.set(`${m[1]}/${m[2]}`, t);
  }
  const pending: Array<{ layer: string; values: tf.Tensor[] }> = [];
  try {
    for (const [src, dst] of KERAS_TO_CAFFE) {
      if (options.includeFc === false && (src === 'fc1' || src === 'fc2')) continue;
      const kernel = byKey.get(`${src}/kernel`);
      const bias = byKey.get(`${src}/bias`);
      if (!kernel || !bias) throw new ModelError(dir, `Keras VGG16 weights lack ${src}/kernel or ${src}/bias`);
      let layer: ReturnType<LayersModel['getLayer']>;
      try {
        layer = model.getLayer(dst);
      } catch {
        throw new ModelError(model.name, `has no layer ${dst} to receive ${src}`);
      }
      const target = layer.getWeights(true);
      const [tk, tb] = [target[0]!.shape, target[1]!.shape];
      let k = kernel;
      if (src === 'fc1' || src === 'fc2') {
        const [kh, kw, cin, cout] = tk as [number, number, number, number];
        if (kernel.rank !== 2 || kernel.shape[0] !== kh * kw * cin || kernel.shape[1] !== cout) {
          throw new ModelError(
            dir,
            `${src}/kernel is [${kernel.shape}], ${dst} needs ${kh * kw * cin}×${cout} (${kh}×${kw}×${cin}×${cout})`,
          );
        }
        k =
          order === 'hwc'
            ? tf.reshape(kernel, [kh, kw, cin, cout])
            : tf.tidy(() => tf.transpose(tf.reshape(kernel, [cin, kh, kw, cout]), [1, 2, 0, 3]));
      }
      if (k.shape.join() !== tk.join() || bias.shape.join() !== tb.join()) {
        throw new ModelError(dir, `${src} is [${kernel.shape}] + [${bias.shape}], ${dst} needs [${tk}] + [${tb}]`);
      }
      pending.push({ layer: dst, values: [k, bias] });
    }
    for (const { layer, values } of pending) model.getLayer(layer).setWeights(values);
    return { assigned: pending.map((p) => p.layer), flattenOrder: order };
  } finally {
    tf.dispose(Object.values(named));
    tf.dispose(pending.flatMap((p) => p.values));
  }
}
