import { initializers, input, type LayersModel, layers, model, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { MaxPoolWithSwitches } from '../layers/max-pool-with-switches.js';
import { registerLayers } from '../layers/register.js';
import { Unpooling } from '../layers/unpooling.js';
import { DECONVNET_PRESETS, type DeconvNetConfig, type PresetName, VGG16_BLOCK_DEPTHS } from './presets.js';
import { checkPositiveInt, checkWidths, resolvePreset } from './resolve-config.js';

export interface DeconvNetOptions extends Partial<DeconvNetConfig> {
  /** Base configuration, default `paper`; the other options override its fields. */
  preset?: PresetName;
  /** Seed for the weight initialisers (reproducible models); random when omitted. */
  seed?: number;
  /** Model name (default `deconvnet`). */
  name?: string;
}

/** The full configuration of a DeconvNet built with `options` (preset overlaid with the explicit fields), validated. */
export function deconvNetConfig(options: DeconvNetOptions = {}): DeconvNetConfig {
  const { preset, seed: _seed, name: _name, ...overrides } = options;
  const config = resolvePreset('deconvNet', DECONVNET_PRESETS, preset, overrides);
  checkPositiveInt('deconvNet', 'inputSize', config.inputSize);
  if (config.inputSize % 32 !== 0) {
    throw new ModelError(
      'deconvNet',
      `inputSize must be a multiple of 32 (five 2×2 poolings down to fc6), got ${config.inputSize}; nearest: ${Math.max(
        32,
        Math.round(config.inputSize / 32) * 32,
      )}`,
    );
  }
  checkPositiveInt('deconvNet', 'numClasses', config.numClasses);
  checkPositiveInt('deconvNet', 'fcUnits', config.fcUnits);
  checkWidths('deconvNet', config.widths);
  if (!(config.bnEpsilon > 0)) throw new ModelError('deconvNet', `bnEpsilon must be > 0, got ${config.bnEpsilon}`);
  if (!(config.bnMomentum >= 0 && config.bnMomentum < 1)) {
    throw new ModelError('deconvNet', `bnMomentum must be in [0, 1), got ${config.bnMomentum}`);
  }
  return config;
}

/**
 * Output channels of each decoder layer of block b (1-based): the block's own width, except the last layer, which
 * shrinks to the next block's width (deconv4_3: 256, deconv3_3: 128, deconv2_2: 64; deconvnet.md §2).
 */
export function decoderWidths(widths: readonly number[], block: number): number[] {
  const depth = VGG16_BLOCK_DEPTHS[block - 1]!;
  const own = widths[block - 1]!;
  const next = widths[Math.max(0, block - 2)]!;
  return Array.from({ length: depth }, (_, i) => (i === depth - 1 ? next : own));
}

/**
 * Trainable parameters of a DeconvNet from its configuration alone (no allocation): conv/deconv weights and biases
 * plus BN scale and shift. 251,805,653 for the paper preset.
 */
export function deconvNetParamCount(options: DeconvNetOptions = {}): number {
  const { inputSize, widths, fcUnits, numClasses } = deconvNetConfig(options);
  const k = inputSize / 32;
  const convBn = (kk: number, cin: number, cout: number) => kk * kk * cin * cout + cout + 2 * cout;
  let total = 0;
  let cin = 3;
  VGG16_BLOCK_DEPTHS.forEach((depth, b) => {
    for (let i = 0; i < depth; i++) {
      total += convBn(3, cin, widths[b]!);
      cin = widths[b]!;
    }
  });
  total += convBn(k, widths[4], fcUnits) + convBn(1, fcUnits, fcUnits) + convBn(k, fcUnits, widths[4]);
  for (let block = 5; block >= 1; block--) {
    cin = widths[block - 1]!;
    for (const cout of decoderWidths(widths, block)) {
      total += convBn(3, cin, cout);
      cin = cout;
    }
  }
  return total + widths[0] * numClasses + numClasses;
}

/**
 * DeconvNet (Noh et al. 2015) as a tfjs layers model, faithful to the Caffe deploy net (deconvnet.md §2):
 * VGG16 encoder with 2×2 max pooling that keeps its switches, fc6 (k = inputSize/32) and fc7 as convolutions,
 * fc6_deconv, a mirrored decoder of unpooling + 3×3 transposed convolutions, BN + ReLU after every conv/deconv except
 * the 1×1 `seg_score`. Input `data` [N, S, S, 3] (BGR, mean-subtracted: see `preprocess`), output raw class scores
 * [N, S, S, numClasses]. Layer names follow Caffe (conv1_1 … seg_score, BN as `<name>_bn`).
 */
export function deconvNet(options: DeconvNetOptions = {}): LayersModel {
  const config = deconvNetConfig(options);
  registerLayers();
  const { inputSize, widths, fcUnits, numClasses, bnEpsilon, bnMomentum, bnBetaInit } = config;
  let seed = options.seed;
  const nextSeed = () => (seed === undefined ? undefined : seed++);
  // Encoder: He init (or VGG16 weights via importKerasVgg16); decoder and score: Gaussian(0, 0.01) as the original.
  const heInit = () => initializers.heNormal({ seed: nextSeed() });
  const gaussInit = () => initializers.randomNormal({ mean: 0, stddev: 0.01, seed: nextSeed() });

  const bnRelu = (x: SymbolicTensor, name: string): SymbolicTensor => {
    const bn = layers.batchNormalization({
      name: `${name}_bn`,
      epsilon: bnEpsilon,
      momentum: bnMomentum,
      betaInitializer: initializers.constant({ value: bnBetaInit }),
    });
    return layers.reLU({ name: `${name}_relu` }).apply(bn.apply(x)) as SymbolicTensor;
  };
  const conv = (x: SymbolicTensor, name: string, filters: number, kernelSize: number, padding: 'same' | 'valid') =>
    bnRelu(
      layers.conv2d({ name, filters, kernelSize, padding, kernelInitializer: heInit() }).apply(x) as SymbolicTensor,
      name,
    );
  const deconv = (x: SymbolicTensor, name: string, filters: number, kernelSize: number, padding: 'same' | 'valid') =>
    bnRelu(
      layers
        .conv2dTranspose({ name, filters, kernelSize, padding, kernelInitializer: gaussInit() })
        .apply(x) as SymbolicTensor,
      name,
    );

  const data = input({ shape: [inputSize, inputSize, 3], name: 'data' });
  let x: SymbolicTensor = data;
  const switches: SymbolicTensor[] = [];
  const sizes: number[] = [];
  VGG16_BLOCK_DEPTHS.forEach((depth, b) => {
    for (let i = 1; i <= depth; i++) x = conv(x, `conv${b + 1}_${i}`, widths[b]!, 3, 'same');
    sizes.push(x.shape[1] as number);
    const [pooled, sw] = new MaxPoolWithSwitches({ name: `pool${b + 1}` }).apply(x) as SymbolicTensor[];
    x = pooled!;
    switches.push(sw!);
  });
  const k = inputSize / 32;
  x = conv(x, 'fc6', fcUnits, k, 'valid');
  x = conv(x, 'fc7', fcUnits, 1, 'valid');
  x = deconv(x, 'fc6_deconv', widths[4], k, 'valid');
  for (let block = 5; block >= 1; block--) {
    const size = sizes[block - 1]!;
    x = new Unpooling({ name: `unpool${block}`, outputSize: [size, size] }).apply([
      x,
      switches[block - 1]!,
    ]) as SymbolicTensor;
    decoderWidths(widths, block).forEach((filters, i) => {
      x = deconv(x, `deconv${block}_${i + 1}`, filters, 3, 'same');
    });
  }
  const score = layers
    .conv2d({ name: 'seg_score', filters: numClasses, kernelSize: 1, kernelInitializer: gaussInit() })
    .apply(x) as SymbolicTensor;
  return model({ inputs: data, outputs: score, name: options.name ?? 'deconvnet' });
}
