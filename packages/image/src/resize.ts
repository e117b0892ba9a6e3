import { type Interpolation, resample } from './resample.js';
import {
  assertLabelMap,
  assertRgbImage,
  assertScoreMap,
  createLabelMap,
  createRgbImage,
  createScoreMap,
  ImageError,
  type LabelMap,
  type RgbImage,
  type ScoreMap,
} from './types.js';

function checkTarget(fn: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(fn, `target size must be positive integers, got ${width}×${height}`);
  }
}

/** Resizes an RGB image (bilinear by default, half-pixel centres, edges replicated; no anti-aliasing). */
export function resizeRgb(
  image: RgbImage,
  width: number,
  height: number,
  interpolation: Interpolation = 'bilinear',
): RgbImage {
  assertRgbImage(image);
  checkTarget('resizeRgb', width, height);
  const out = createRgbImage(width, height);
  resample({
    src: image.data,
    srcWidth: image.width,
    srcHeight: image.height,
    channels: 3,
    dst: out.data,
    dstWidth: width,
    dstHeight: height,
    mapping: { scaleX: image.width / width, scaleY: image.height / height, offsetX: 0, offsetY: 0 },
    interpolation,
  });
  return out;
}

/** Resizes a label map; always nearest-neighbour, so no new label values appear. */
export function resizeLabel(label: LabelMap, width: number, height: number): LabelMap {
  assertLabelMap(label);
  checkTarget('resizeLabel', width, height);
  const out = createLabelMap(width, height);
  resample({
    src: label.data,
    srcWidth: label.width,
    srcHeight: label.height,
    channels: 1,
    dst: out.data,
    dstWidth: width,
    dstHeight: height,
    mapping: { scaleX: label.width / width, scaleY: label.height / height, offsetX: 0, offsetY: 0 },
    interpolation: 'nearest',
  });
  return out;
}

/** Resizes a score map of any channel count (bilinear by default). Pass `out` to reuse a buffer on hot paths. */
export function resizeScoreMap(
  map: ScoreMap,
  width: number,
  height: number,
  interpolation: Interpolation = 'bilinear',
  out?: ScoreMap,
): ScoreMap {
  assertScoreMap(map);
  checkTarget('resizeScoreMap', width, height);
  if (out && (out.width !== width || out.height !== height || out.channels !== map.channels)) {
    throw new ImageError(
      'resizeScoreMap',
      `out is ${out.width}×${out.height}×${out.channels}, expected ${width}×${height}×${map.channels}`,
    );
  }
  const dst = out ?? createScoreMap(width, height, map.channels);
  resample({
    src: map.data,
    srcWidth: map.width,
    srcHeight: map.height,
    channels: map.channels,
    dst: dst.data,
    dstWidth: width,
    dstHeight: height,
    mapping: { scaleX: map.width / width, scaleY: map.height / height, offsetX: 0, offsetY: 0 },
    interpolation,
  });
  return dst;
}
