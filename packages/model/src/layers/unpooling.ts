import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { gatherAtSwitches, scatterToSwitches } from './switches.js';

/**
 * Caffe's UNPOOLING (MAX) layer (deconvnet.md §2.1): each value is written at its switch position in a zero map of
 * twice the size, cropped to `outputSize` [H, W] when the pooled map had odd sizes (Caffe's explicit unpool_size).
 * Gradient: dValues = the upstream gradient gathered at the switch positions; the switches get none.
 */
export function unpool(
  values: tf.Tensor4D,
  switches: tf.Tensor4D,
  outputSize?: readonly [number, number],
): tf.Tensor4D {
  if (values.rank !== 4 || switches.rank !== 4 || values.shape.some((d, i) => d !== switches.shape[i])) {
    throw new ModelError(
      'unpool',
      `values [${values.shape}] and switches [${switches.shape}] must be NHWC of the same shape`,
    );
  }
  const [n, h, w, c] = values.shape;
  const [oh, ow] = outputSize ?? [2 * h, 2 * w];
  if (oh !== 2 * h && oh !== 2 * h - 1) throw new ModelError('unpool', `output height ${oh} does not unpool ${h} rows`);
  if (ow !== 2 * w && ow !== 2 * w - 1)
    throw new ModelError('unpool', `output width ${ow} does not unpool ${w} columns`);
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [v, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([switches]);
    const full = scatterToSwitches(v as tf.Tensor4D, switches);
    const value = oh === 2 * h && ow === 2 * w ? full : tf.tidy(() => tf.slice(full, [0, 0, 0, 0], [n, oh, ow, c]));
    if (value !== full) full.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const dyFull = tf.pad(dy as tf.Tensor4D, [
            [0, 0],
            [0, 2 * h - oh],
            [0, 2 * w - ow],
            [0, 0],
          ]);
          return gatherAtSwitches(dyFull, saved[0] as tf.Tensor4D);
        }),
    };
  });
  return f(values) as tf.Tensor4D;
}

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

export interface UnpoolingArgs extends LayerArgs {
  /** [H, W] of the map before pooling; default twice the input (must be given for odd pre-pool sizes). */
  outputSize?: [number, number] | null;
}

/** Layer form of {@link unpool}: inputs `[values, switches]` (the switches from a {@link MaxPoolWithSwitches}). */
export class Unpooling extends layers.Layer {
  static className = 'Unpooling';
  readonly outputSize: [number, number] | null;

  constructor(args: UnpoolingArgs = {}) {
    super(args);
    this.outputSize = args.outputSize ?? null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) {
      throw new ModelError(this.name, 'expects two inputs: [values, switches]');
    }
    const s = inputShape[0] as Shape;
    const twice = (d: number | null | undefined) => (d == null ? null : 2 * d);
    return [s[0] ?? null, this.outputSize?.[0] ?? twice(s[1]), this.outputSize?.[1] ?? twice(s[2]), s[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) {
      throw new ModelError(this.name, 'expects two inputs: [values, switches]');
    }
    return unpool(inputs[0] as tf.Tensor4D, inputs[1] as tf.Tensor4D, this.outputSize ?? undefined);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outputSize: this.outputSize };
  }
}
