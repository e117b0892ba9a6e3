/** Shape of a VGG16-style encoder and its mirrored decoder: one width per block (5 blocks of 2, 2, 3, 3, 3 convs). */
export type BlockWidths = readonly [number, number, number, number, number];

/** Convolutions per VGG16 block. */
export const VGG16_BLOCK_DEPTHS = [2, 2, 3, 3, 3] as const;

export type PresetName = 'paper' | 'small' | 'tiny';

export interface DeconvNetConfig {
  /** Square input side; a multiple of 32 (five 2×2 poolings). fc6's kernel is inputSize/32 (7 at 224). */
  inputSize: number;
  /** Output classes, background included (21 for PASCAL VOC). */
  numClasses: number;
  /** Encoder widths per block; the decoder mirrors them (deconvnet.md §2). */
  widths: BlockWidths;
  /** fc6/fc7 width (4096 in the paper). */
  fcUnits: number;
  /** BN epsilon: Caffe's BN layer used 1e-9. */
  bnEpsilon: number;
  /** Momentum of the moving statistics kept for inference (re-estimate them with `reestimateBatchNorm`). */
  bnMomentum: number;
  /** BN shift initialisation: 0.001 in the original. */
  bnBetaInit: number;
}

export interface Fcn8sConfig {
  numClasses: number;
  widths: BlockWidths;
  fcUnits: number;
  /** fc6 kernel (7 in VGG16). */
  fc6Kernel: number;
  /**
   * Zero padding of conv1_1 (100 in FCN). With ceil-mode pooling every input size from 1 px up works when
   * fc6Kernel = 7 and pad ≥ 97, or fc6Kernel = 4 and pad ≥ 49 (checked by size arithmetic up to 5000 px).
   */
  pad: number;
  /** Dropout after fc6 and fc7 in training (0.5 in FCN). */
  dropout: number;
}

const VGG16_WIDTHS: BlockWidths = [64, 128, 256, 512, 512];

/** DeconvNet presets: `paper` is the released net (251,805,653 trainable parameters); the others are CPU-sized. */
export const DECONVNET_PRESETS: Readonly<Record<PresetName, Readonly<DeconvNetConfig>>> = {
  paper: {
    inputSize: 224,
    numClasses: 21,
    widths: VGG16_WIDTHS,
    fcUnits: 4096,
    bnEpsilon: 1e-9,
    bnMomentum: 0.99,
    bnBetaInit: 0.001,
  },
  small: {
    inputSize: 128,
    numClasses: 21,
    widths: [16, 32, 64, 96, 96],
    fcUnits: 256,
    bnEpsilon: 1e-9,
    bnMomentum: 0.9,
    bnBetaInit: 0.001,
  },
  tiny: {
    inputSize: 64,
    numClasses: 21,
    widths: [8, 16, 24, 32, 32],
    fcUnits: 64,
    bnEpsilon: 1e-9,
    bnMomentum: 0.9,
    bnBetaInit: 0.001,
  },
};

/**
 * FCN-8s presets: `paper` is VGG16 FCN-8s (fc6 7×7, pad 100); the others share the DeconvNet presets' widths with a
 * 4×4 fc6 and pad 49, the smallest pad that accepts every input size for that kernel.
 */
export const FCN8S_PRESETS: Readonly<Record<PresetName, Readonly<Fcn8sConfig>>> = {
  paper: { numClasses: 21, widths: VGG16_WIDTHS, fcUnits: 4096, fc6Kernel: 7, pad: 100, dropout: 0.5 },
  small: { numClasses: 21, widths: [16, 32, 64, 96, 96], fcUnits: 256, fc6Kernel: 4, pad: 49, dropout: 0.5 },
  tiny: { numClasses: 21, widths: [8, 16, 24, 32, 32], fcUnits: 64, fc6Kernel: 4, pad: 49, dropout: 0.5 },
};
