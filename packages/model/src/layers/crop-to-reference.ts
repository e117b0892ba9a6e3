import type * as tf from '@tensorflow/tfjs-core';
import { slice } from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

export interface CropToReferenceArgs extends LayerArgs {
  /** Rows and columns skipped at the top-left before taking the reference's height and width. */
  offset: [number, number];
}

/**
 * Caffe's Crop layer (axis 2): inputs `[x, reference]`, output x[:, oy : oy+H_ref, ox : ox+W_ref, :]. The offsets are
 * fixed by the network's geometry, the sizes follow the reference, so the net runs on any input size (FCN-8s).
 */
export class CropToReference extends layers.Layer {
  static className = 'CropToReference';
  readonly offset: [number, number];

  constructor(args: CropToReferenceArgs) {
    super(args);
    const o = args.offset;
    if (!Array.isArray(o) || o.length !== 2 || !o.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ModelError(
        args.name ?? 'CropToReference',
        `offset must be two non-negative integers, got ${JSON.stringify(o)}`,
      );
    }
    this.offset = [o[0], o[1]];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2)
      throw new ModelError(this.name, 'expects two inputs: [x, reference]');
    const [x, ref] = inputShape as Shape[];
    return [x![0] ?? null, ref![1] ?? null, ref![2] ?? null, x![3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2)
      throw new ModelError(this.name, 'expects two inputs: [x, reference]');
    const x = inputs[0] as tf.Tensor4D;
    const [, rh, rw] = inputs[1]!.shape as number[];
    const [n, h, w, c] = x.shape;
    const [oy, ox] = this.offset;
    if (oy + rh! > h || ox + rw! > w) {
      throw new ModelError(
        this.name,
        `cannot crop ${rh}×${rw} at offset (${oy}, ${ox}) from a ${h}×${w} map: the input is too small for this network`,
      );
    }
    return slice(x, [0, oy, ox, 0], [n, rh!, rw!, c]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), offset: this.offset };
  }
}
