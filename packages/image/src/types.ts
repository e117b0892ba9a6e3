/**
 * Pixel containers shared by every deconvnet package. All are row-major; coordinates are 0-based.
 *
 * Edge convention: pixel (x, y) covers the unit square [x, x+1) × [y, y+1); its centre is (x + 0.5, y + 0.5).
 * A {@link Box} uses the same continuous frame, so an integral box {x, y, width, height} covers exactly the pixel
 * columns x … x+width−1 and rows y … y+height−1 (right/bottom edges exclusive), and its area is width·height.
 * VOC XML boxes (1-based, inclusive) convert as x = xmin − 1, width = xmax − xmin + 1.
 */

/** Interleaved 8-bit RGB, `data[(y*width + x)*3 + c]`. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One class (or instance) index per pixel; {@link VOID} (255) marks pixels to ignore. */
export interface LabelMap {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Per-pixel scores, HWC like tfjs NHWC without the batch: `data[(y*width + x)*channels + c]`. */
export interface ScoreMap {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** Axis-aligned box in the continuous pixel frame described above; `score` is optional (proposals carry one). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  score?: number;
}

/** The VOC "void" label: boundary bands and padding, ignored by losses and metrics. */
export const VOID = 255;

/** Error raised for bad input; `source` names the file or argument at fault. */
export class ImageError extends Error {
  readonly source: string;
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.name = 'ImageError';
    this.source = source;
  }
}

function checkDims(what: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(what, `size must be positive integers, got ${width}×${height}`);
  }
}

export function createRgbImage(width: number, height: number, fill = 0): RgbImage {
  checkDims('createRgbImage', width, height);
  const data = new Uint8Array(width * height * 3);
  if (fill) data.fill(fill);
  return { width, height, data };
}

export function createLabelMap(width: number, height: number, fill = 0): LabelMap {
  checkDims('createLabelMap', width, height);
  const data = new Uint8Array(width * height);
  if (fill) data.fill(fill);
  return { width, height, data };
}

export function createScoreMap(width: number, height: number, channels: number, fill = 0): ScoreMap {
  checkDims('createScoreMap', width, height);
  if (!Number.isInteger(channels) || channels <= 0)
    throw new ImageError('createScoreMap', `channels must be a positive integer, got ${channels}`);
  const data = new Float32Array(width * height * channels);
  if (fill) data.fill(fill);
  return { width, height, channels, data };
}

/** Throws unless `image` is a well-formed RgbImage; `name` is used in the message. */
export function assertRgbImage(image: RgbImage, name = 'image'): void {
  if (!image || !(image.data instanceof Uint8Array))
    throw new ImageError(name, 'expected an RgbImage with a Uint8Array data buffer');
  checkDims(name, image.width, image.height);
  if (image.data.length !== image.width * image.height * 3) {
    throw new ImageError(
      name,
      `data has ${image.data.length} bytes, expected ${image.width}×${image.height}×3 = ${image.width * image.height * 3}`,
    );
  }
}

export function assertLabelMap(label: LabelMap, name = 'label map'): void {
  if (!label || !(label.data instanceof Uint8Array))
    throw new ImageError(name, 'expected a LabelMap with a Uint8Array data buffer');
  checkDims(name, label.width, label.height);
  if (label.data.length !== label.width * label.height) {
    throw new ImageError(
      name,
      `data has ${label.data.length} bytes, expected ${label.width}×${label.height} = ${label.width * label.height}`,
    );
  }
}

export function assertScoreMap(map: ScoreMap, name = 'score map'): void {
  if (!map || !(map.data instanceof Float32Array))
    throw new ImageError(name, 'expected a ScoreMap with a Float32Array data buffer');
  checkDims(name, map.width, map.height);
  if (!Number.isInteger(map.channels) || map.channels <= 0)
    throw new ImageError(name, `channels must be a positive integer, got ${map.channels}`);
  const n = map.width * map.height * map.channels;
  if (map.data.length !== n)
    throw new ImageError(
      name,
      `data has ${map.data.length} values, expected ${map.width}×${map.height}×${map.channels} = ${n}`,
    );
}

/** Throws unless two containers have the same width and height. */
export function assertSameSize(
  a: { width: number; height: number },
  b: { width: number; height: number },
  what = 'inputs',
): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new ImageError(what, `size mismatch: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
}
