import { createKernel } from './simd-kernel.js';
import { createScoreMap, type ScoreMap } from './types.js';

/**
 * A ScoreMap whose data lives in its own WebAssembly memory, so `resample` merges into it in place with the SIMD
 * kernel (no per-row copies): the canvas for aggregating many pasted maps. Where WebAssembly SIMD is unavailable it
 * is a plain {@link createScoreMap}. `data` is a getter: the memory may grow during a resample (for scratch rows),
 * which detaches earlier views — read `canvas.data` again after each resample instead of keeping the array.
 */
export function createScoreCanvas(width: number, height: number, channels: number, fill = 0): ScoreMap {
  const plain = createScoreMap(width, height, channels, fill); // validates the arguments
  const n = width * height * channels;
  const kernel = createKernel(n * 4);
  if (!kernel) return plain;
  let view = new Float32Array(kernel.buffer, 0, n);
  if (fill) view.fill(fill);
  return {
    width,
    height,
    channels,
    get data(): Float32Array {
      if (view.buffer !== kernel.buffer) view = new Float32Array(kernel.buffer, 0, n);
      return view;
    },
  };
}
