import * as tf from '@tensorflow/tfjs-core';

/**
 * Switch codes of 2×2 stride-2 max pooling: the window position that held the maximum, in row-major order
 * (0 = top-left, 1 = top-right, 2 = bottom-left, 3 = bottom-right), stored as float32 so a layers model can carry it.
 * Caffe stores the flat index h·W+w within the (n,c) plane instead (deconvnet.md §2.1); `switchesToPlaneIndex`
 * converts.
 *
 * Everything here is composed from Reshape, Slice, Maximum, Equal, Select, Fill and Concat, which exist on
 * the tensorflow (tfjs-node), wasm and cpu backends; tfjs `maxPoolWithArgmax` does not exist on tensorflow.
 */

/** The four window taps of an even-sized NHWC map, each [N, H/2, W/2, C], in row-major window order. */
export function windowTaps(x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const [n, h, w, c] = x.shape;
  const h2 = h / 2;
  const w2 = w / 2;
  // [N, H, W, C] is laid out as [N, H/2, 2 (dy), W/2, 2·C (dx·C + c)]: each tap is one contiguous slice.
  const r = tf.reshape(x, [n, h2, 2, w2, 2 * c]);
  const tap = (dy: number, dx: number) =>
    tf.reshape(tf.slice(r, [0, 0, dy, 0, dx * c], [n, h2, 1, w2, c]), [n, h2, w2, c]) as tf.Tensor4D;
  return [tap(0, 0), tap(0, 1), tap(1, 0), tap(1, 1)];
}

/** Interleaves four [N, h, w, C] maps back into [N, 2h, 2w, C], the inverse of `windowTaps`. */
export function interleaveTaps(t0: tf.Tensor4D, t1: tf.Tensor4D, t2: tf.Tensor4D, t3: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = t0.shape;
  // concat on C gives [N, h, w, 2C] = [N, h, 2w, C] (row dy); concat of the two rows on W gives [N, h, 2·2w, C].
  const top = tf.concat([t0, t1], 3);
  const bottom = tf.concat([t2, t3], 3);
  const rows = tf.concat([tf.reshape(top, [n, h, 1, 2 * w * c]), tf.reshape(bottom, [n, h, 1, 2 * w * c])], 2);
  return tf.reshape(rows, [n, 2 * h, 2 * w, c]);
}

/** Switch codes (0..3, first maximum in row-major window order on ties, as Caffe's strict `>`) of 2×2/2 pooling. */
export function computeSwitches(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [a, b, c, d] = windowTaps(x);
    const m = tf.maximum(tf.maximum(a, b), tf.maximum(c, d)) as tf.Tensor4D;
    const code = (k: number) => tf.fill(m.shape, k) as tf.Tensor4D;
    // Tested from the last tap to the first so the earliest tap that equals the maximum wins.
    let s = tf.where(tf.equal(c, m), code(2), code(3));
    s = tf.where(tf.equal(b, m), code(1), s);
    return tf.where(tf.equal(a, m), code(0), s) as tf.Tensor4D;
  });
}

function isSwitch(switches: tf.Tensor4D): tf.Tensor[] {
  return [0, 1, 2, 3].map((k) => tf.equal(switches, k));
}

// Select rather than multiplying by a 0/1 mask: exact +0 off the switches (not −0 for negative values), and no NaN
// from −Infinity·0.

/** out[i] = x[window(i) at switch(i)]: the pooled values (and the unpooling gradient). */
export function gatherAtSwitches(x: tf.Tensor4D, switches: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const taps = windowTaps(x);
    const at = isSwitch(switches);
    // Exactly one tap is selected per position: nest the selects instead of summing.
    let out = tf.where(at[2]!, taps[2], taps[3]);
    out = tf.where(at[1]!, taps[1], out);
    return tf.where(at[0]!, taps[0], out) as tf.Tensor4D;
  });
}

/** Writes each value at its switch position in a zero map twice the size (unpooling, and the pooling gradient). */
export function scatterToSwitches(values: tf.Tensor4D, switches: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const zero = tf.zerosLike(values);
    const [p0, p1, p2, p3] = isSwitch(switches).map((at) => tf.where(at, values, zero)) as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    return interleaveTaps(p0, p1, p2, p3);
  });
}

/**
 * Caffe's mask from switch codes: the flat index h·W_in + w of the maximum within its (n, c) plane of the pooling
 * input of width `inputWidth` (deconvnet.md §2.1). Returned as int32, same shape as the switches.
 */
export function switchesToPlaneIndex(switches: tf.Tensor4D, inputWidth: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = switches.shape;
    const s = tf.cast(switches, 'int32');
    const dy = tf.floorDiv(s, 2);
    const dx = tf.sub(s, tf.mul(dy, 2));
    const y = tf.add(tf.mul(tf.reshape(tf.range(0, h, 1, 'int32'), [1, h, 1, 1]), 2), dy);
    const x = tf.add(tf.mul(tf.reshape(tf.range(0, w, 1, 'int32'), [1, 1, w, 1]), 2), dx);
    return tf.add(tf.mul(y, inputWidth), x) as tf.Tensor4D;
  });
}
