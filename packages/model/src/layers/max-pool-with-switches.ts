import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { computeSwitches, gatherAtSwitches, scatterToSwitches } from './switches.js';

// Pads odd sizes at the bottom/right (Caffe's ceil mode); a padded cell never wins, each window holds a real pixel.
const PAD_VALUE = Number.NEGATIVE_INFINITY;

/**
 * 2×2 stride-2 max pooling that also returns the switches (deconvnet.md §2.1): `pooled` [N, ⌈H/2⌉, ⌈W/2⌉, C] and
 * `switches`, the window position of the maximum (0..3, row-major, first maximum on ties; see switches.ts).
 * The gradient of `pooled` goes to the switch position only; `switches` carries no gradient.
 */
export function maxPoolWithSwitches(x: tf.Tensor4D): { pooled: tf.Tensor4D; switches: tf.Tensor4D } {
  if (x.rank !== 4)
    throw new ModelError('maxPoolWithSwitches', `expected an NHWC tensor of rank 4, got shape [${x.shape}]`);
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const padded =
      h % 2 || w % 2
        ? tf.pad(
            x,
            [
              [0, 0],
              [0, h % 2],
              [0, w % 2],
              [0, 0],
            ],
            PAD_VALUE,
          )
        : x;
    const switches = computeSwitches(padded);
    const pool = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([switches]);
      return {
        value: gatherAtSwitches(input as tf.Tensor4D, switches),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => scatterToSwitches(dy as tf.Tensor4D, saved[0] as tf.Tensor4D),
      };
    });
    return { pooled: pool(padded) as tf.Tensor4D, switches };
  });
}

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Layer form of {@link maxPoolWithSwitches}: one input, two outputs `[pooled, switches]`. */
export class MaxPoolWithSwitches extends layers.Layer {
  static className = 'MaxPoolWithSwitches';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (s.length !== 4) throw new ModelError(this.name, `expects a rank-4 NHWC input, got shape [${s}]`);
    const half = (d: number | null) => (d == null ? null : Math.ceil(d / 2));
    const out: Shape = [s[0] ?? null, half(s[1] ?? null), half(s[2] ?? null), s[3] ?? null];
    return [out, [...out]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const { pooled, switches } = maxPoolWithSwitches(x);
    return [pooled, switches];
  }
}
