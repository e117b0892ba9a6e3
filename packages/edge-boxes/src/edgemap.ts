import { ImageError } from '@deconvnet/image';

/**
 * An edge map as Edge Boxes consumes it, row-major (`i = y*width + x`).
 * - `magnitude`: edge strength in [0, 1], thinned (non-maximum suppressed) — edgeMinMag/clusterMinMag are absolute.
 * - `orientation`: edge *normal* angle in radians, [0, π), image axes (x right, y down).
 */
export interface EdgeMap {
  width: number;
  height: number;
  magnitude: Float32Array;
  orientation: Float32Array;
}

/** Orientation values may exceed π by this much (float32 rounding of `atan(..) + π`). */
const ORIENT_TOL = 1e-5;

/**
 * Throws an {@link ImageError} naming `name` unless `edges` is a well-formed EdgeMap: integer size ≥ minSize,
 * Float32Array buffers of width·height values, finite non-negative magnitudes, orientations in [0, π].
 */
export function assertEdgeMap(edges: EdgeMap, name = 'edges', minSize = 3): void {
  if (!edges || typeof edges !== 'object')
    throw new ImageError(name, 'expected an EdgeMap {width, height, magnitude, orientation}');
  const { width, height, magnitude, orientation } = edges;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(name, `size must be positive integers, got ${width}×${height}`);
  }
  if (width < minSize || height < minSize) {
    throw new ImageError(name, `image is ${width}×${height}; at least ${minSize}×${minSize} pixels are needed`);
  }
  const n = width * height;
  for (const [key, buf] of [
    ['magnitude', magnitude],
    ['orientation', orientation],
  ] as const) {
    if (!(buf instanceof Float32Array)) throw new ImageError(`${name}.${key}`, 'expected a Float32Array');
    if (buf.length !== n) {
      throw new ImageError(`${name}.${key}`, `has ${buf.length} values, expected ${width}×${height} = ${n}`);
    }
  }
  for (let i = 0; i < n; i++) {
    const m = magnitude[i]!;
    if (!(m >= 0) || m === Number.POSITIVE_INFINITY) {
      throw new ImageError(
        `${name}.magnitude`,
        `value ${m} at (x=${i % width}, y=${Math.floor(i / width)}) is not a finite number ≥ 0`,
      );
    }
    const o = orientation[i]!;
    if (!(o >= -ORIENT_TOL && o <= Math.PI + ORIENT_TOL)) {
      throw new ImageError(
        `${name}.orientation`,
        `value ${o} at (x=${i % width}, y=${Math.floor(i / width)}) is outside [0, π]: expected the edge normal angle in radians mod π`,
      );
    }
  }
}
