/** Test-only helpers: a tiny segmentation net (conv → BN → ReLU → 1×1 conv) that runs in milliseconds. */
import type { LabelMap, RgbImage } from '@deconvnet/image';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SegNet } from './net.js';

export function tinyNet(
  inputSize: number,
  numClasses: number,
  seed = 1,
  kind: 'deconvnet' | 'fcn' = 'deconvnet',
): SegNet {
  const input = tfl.input({ shape: [inputSize, inputSize, 3] });
  let x = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      name: 'c1',
      kernelInitializer: tfl.initializers.glorotNormal({ seed }),
    })
    .apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: 'c1_bn' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  const y = tfl.layers
    .conv2d({
      filters: numClasses,
      kernelSize: 1,
      name: 'score',
      kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 1 }),
    })
    .apply(x) as tfl.SymbolicTensor;
  return { kind, model: tfl.model({ inputs: input, outputs: y }), inputSize, numClasses };
}

/**
 * A net whose scores are a fixed function of colour: class 1 scores (R − 128)/8, class 2 scores (G − 128)/8,
 * background scores 0 (exact, no training).
 */
export function colourNet(inputSize: number, numClasses = 3, kind: 'deconvnet' | 'fcn' = 'deconvnet'): SegNet {
  const input = tfl.input({ shape: [inputSize, inputSize, 3] });
  const conv = tfl.layers.conv2d({ filters: numClasses, kernelSize: 1, name: `colour_${kind}` });
  const y = conv.apply(input) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: y });
  // Input is BGR minus the Caffe means: channel 2 is R − 122.68, channel 1 is G − 116.67.
  const k = new Float32Array(3 * numClasses);
  const b = new Float32Array(numClasses);
  k[2 * numClasses + 1] = 1 / 8;
  b[1] = (122.67891434 - 128) / 8;
  k[1 * numClasses + 2] = 1 / 8;
  b[2] = (116.66876762 - 128) / 8;
  conv.setWeights([tf.tensor4d(k, [1, 1, 3, numClasses]), tf.tensor1d(b)]);
  return { kind, model, inputSize, numClasses };
}

/** An image with a red rectangle and a green rectangle on grey, and its label map (1 red, 2 green). */
export function twoBoxScene(width = 48, height = 40): { image: RgbImage; label: LabelMap } {
  const image: RgbImage = { width, height, data: new Uint8Array(width * height * 3).fill(100) };
  const label: LabelMap = { width, height, data: new Uint8Array(width * height) };
  const paint = (x0: number, y0: number, x1: number, y1: number, rgb: [number, number, number], c: number) => {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        image.data.set(rgb, (y * width + x) * 3);
        label.data[y * width + x] = c;
      }
    }
  };
  paint(4, 4, 20, 20, [230, 40, 40], 1);
  paint(26, 14, 44, 36, [40, 230, 40], 2);
  return { image, label };
}
