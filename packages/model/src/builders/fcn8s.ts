import { dispose, zeros } from '@tensorflow/tfjs-core';
import { initializers, input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { CropToReference } from '../layers/crop-to-reference.js';
import { registerLayers } from '../layers/register.js';
import { bilinearKernel } from './bilinear.js';
import { FCN8S_PRESETS, type Fcn8sConfig, type PresetName, VGG16_BLOCK_DEPTHS } from './presets.js';
import { checkPositiveInt, checkWidths, resolvePreset } from './resolve-config.js';

export interface Fcn8sOptions extends Partial<Fcn8sConfig> {
  preset?: PresetName;
  /** Fixed [height, width] of the input, or omit for any size (the crops follow the input). */
  inputShape?: [number, number];
  seed?: number;
  name?: string;
}

export interface Fcn8sCropOffsets {
  /** score_pool4 → upscore2 (5 in FCN-8s). */
  pool4: number;
  /** score_pool3 → upscore_pool4 (9). */
  pool3: number;
  /** upscore8 → input (31). */
  final: number;
}

/**
 * Crop offsets that align each map with the one it is fused with, from the coordinate map of every layer (Caffe
 * `coord_map.py`): a conv/pool (k, s, p) maps output y to input s·y + (k−1)/2 − p, a deconv inverts that. Following
 * the centre of output cell i back to the input image: pool4 → 16i − p + 8.5, upscore2 → 16j + 16K − p − 23.5 (K =
 * fc6 kernel), so pool4 is cropped by K − 2; likewise pool3 by 2K − 5 and the final map by p − 16K + 43.
 */
export function fcn8sCropOffsets(pad: number, fc6Kernel: number): Fcn8sCropOffsets {
  const offsets = { pool4: fc6Kernel - 2, pool3: 2 * fc6Kernel - 5, final: pad - 16 * fc6Kernel + 43 };
  for (const [name, v] of Object.entries(offsets)) {
    if (v < 0) {
      throw new ModelError(
        'fcn8s',
        `pad ${pad} and fc6Kernel ${fc6Kernel} give a negative ${name} crop offset (${v}); need fc6Kernel ≥ 3 and pad ≥ ${16 * fc6Kernel - 43}`,
      );
    }
  }
  return offsets;
}

export function fcn8sConfig(options: Fcn8sOptions = {}): Fcn8sConfig {
  const { preset, inputShape: _s, seed: _seed, name: _name, ...overrides } = options;
  const config = resolvePreset('fcn8s', FCN8S_PRESETS, preset, overrides);
  checkPositiveInt('fcn8s', 'numClasses', config.numClasses);
  checkPositiveInt('fcn8s', 'fcUnits', config.fcUnits);
  checkPositiveInt('fcn8s', 'fc6Kernel', config.fc6Kernel);
  checkWidths('fcn8s', config.widths);
  if (!Number.isInteger(config.pad) || config.pad < 0)
    throw new ModelError('fcn8s', `pad must be an integer ≥ 0, got ${config.pad}`);
  if (!(config.dropout >= 0 && config.dropout < 1))
    throw new ModelError('fcn8s', `dropout must be in [0, 1), got ${config.dropout}`);
  fcn8sCropOffsets(config.pad, config.fc6Kernel);
  return config;
}

/**
 * FCN-8s (Long et al. 2015) as used by DeconvNet's ensemble (deconvnet.md §7): VGG16 with conv1_1 zero-padded by
 * `pad`, ReLU, no BN; fc6/fc7 convolutions with dropout; `score_fr`; `upscore2` (k4 s2, learnt with bias),
 * `score_pool4` cropped and fused; `upscore_pool4` (k4 s2, learnt, no bias); `score_pool3` fused; `upscore8` (k16 s8,
 * fixed) cropped to the input. Transposed convolutions start as channel-diagonal bilinear filters; score layers start
 * at zero as in FCN's surgery. Pooling is Caffe's ceil mode ('same' padding at the bottom/right).
 */
export function fcn8s(options: Fcn8sOptions = {}): LayersModel {
  const config = fcn8sConfig(options);
  registerLayers();
  const { widths, fcUnits, fc6Kernel, pad, dropout, numClasses } = config;
  const offsets = fcn8sCropOffsets(pad, fc6Kernel);
  const shape = options.inputShape;
  if (shape !== undefined) {
    if (!Array.isArray(shape) || shape.length !== 2)
      throw new ModelError('fcn8s', 'inputShape must be [height, width]');
    shape.forEach((d, i) => {
      checkPositiveInt('fcn8s', `inputShape[${i}]`, d);
    });
  }
  let seed = options.seed;
  const nextSeed = () => (seed === undefined ? undefined : seed++);

  const data = input({ shape: [shape?.[0] ?? null, shape?.[1] ?? null, 3], name: 'data' });
  let x = layers.zeroPadding2d({ name: 'conv1_1_pad', padding: pad }).apply(data) as SymbolicTensor;
  const pools: SymbolicTensor[] = [];
  VGG16_BLOCK_DEPTHS.forEach((depth, b) => {
    for (let i = 1; i <= depth; i++) {
      x = layers
        .conv2d({
          name: `conv${b + 1}_${i}`,
          filters: widths[b]!,
          kernelSize: 3,
          padding: b === 0 && i === 1 ? 'valid' : 'same',
          activation: 'relu',
          kernelInitializer: initializers.heNormal({ seed: nextSeed() }),
        })
        .apply(x) as SymbolicTensor;
    }
    x = layers
      .maxPooling2d({ name: `pool${b + 1}`, poolSize: 2, strides: 2, padding: 'same' })
      .apply(x) as SymbolicTensor;
    pools.push(x);
  });
  const fc = (inp: SymbolicTensor, name: string, kernelSize: number) => {
    const y = layers
      .conv2d({
        name,
        filters: fcUnits,
        kernelSize,
        activation: 'relu',
        kernelInitializer: initializers.heNormal({ seed: nextSeed() }),
      })
      .apply(inp) as SymbolicTensor;
    return dropout > 0
      ? (layers.dropout({ name: `drop${name.slice(2)}`, rate: dropout }).apply(y) as SymbolicTensor)
      : y;
  };
  x = fc(fc(x, 'fc6', fc6Kernel), 'fc7', 1);
  const score = (inp: SymbolicTensor, name: string) =>
    layers
      .conv2d({ name, filters: numClasses, kernelSize: 1, kernelInitializer: 'zeros' })
      .apply(inp) as SymbolicTensor;
  const kernels = [bilinearKernel(4, numClasses), bilinearKernel(4, numClasses), bilinearKernel(16, numClasses)];
  const bias = zeros([numClasses]);
  try {
    const up = (
      inp: SymbolicTensor,
      name: string,
      k: number,
      s: number,
      useBias: boolean,
      trainable: boolean,
      w: number,
    ) =>
      layers
        .conv2dTranspose({
          name,
          filters: numClasses,
          kernelSize: k,
          strides: s,
          padding: 'valid',
          useBias,
          trainable,
          weights: useBias ? [kernels[w]!, bias] : [kernels[w]!],
        })
        .apply(inp) as SymbolicTensor;
    const upscore2 = up(score(x, 'score_fr'), 'upscore2', 4, 2, true, true, 0);
    const scorePool4 = new CropToReference({ name: 'score_pool4c', offset: [offsets.pool4, offsets.pool4] }).apply([
      score(pools[3]!, 'score_pool4'),
      upscore2,
    ]) as SymbolicTensor;
    const fusePool4 = layers.add({ name: 'fuse_pool4' }).apply([upscore2, scorePool4]) as SymbolicTensor;
    const upscorePool4 = up(fusePool4, 'upscore_pool4', 4, 2, false, true, 1);
    const scorePool3 = new CropToReference({ name: 'score_pool3c', offset: [offsets.pool3, offsets.pool3] }).apply([
      score(pools[2]!, 'score_pool3'),
      upscorePool4,
    ]) as SymbolicTensor;
    const fusePool3 = layers.add({ name: 'fuse_pool3' }).apply([upscorePool4, scorePool3]) as SymbolicTensor;
    const upscore8 = up(fusePool3, 'upscore8', 16, 8, false, false, 2);
    const out = new CropToReference({ name: 'score', offset: [offsets.final, offsets.final] }).apply([
      upscore8,
      data,
    ]) as SymbolicTensor;
    return model({ inputs: data, outputs: out, name: options.name ?? 'fcn8s' });
  } finally {
    dispose([...kernels, bias]);
  }
}
