import { type Interpolation, resample } from './resample.js';
import {
  assertLabelMap,
  assertRgbImage,
  assertScoreMap,
  type Box,
  createLabelMap,
  createRgbImage,
  createScoreMap,
  ImageError,
  type LabelMap,
  type RgbImage,
  type ScoreMap,
  VOID,
} from './types.js';

export interface WarpOptions {
  /** 'bilinear' for images and score maps (default), 'nearest' for labels (forced). */
  interpolation?: Interpolation;
  /** Value of pixels that fall outside the source: a number for every channel, or one per channel. */
  fill?: number | ArrayLike<number>;
}

function fillVector(
  fill: number | ArrayLike<number> | undefined,
  channels: number,
  fallback: number,
  fn: string,
): Float32Array {
  const v = new Float32Array(channels);
  if (fill === undefined || typeof fill === 'number') {
    const f = fill ?? fallback;
    if (!Number.isFinite(f)) throw new ImageError(fn, `fill must be finite, got ${f}`);
    v.fill(f);
  } else {
    if (fill.length !== channels)
      throw new ImageError(fn, `fill has ${fill.length} values, expected ${channels} (one per channel)`);
    for (let c = 0; c < channels; c++) v[c] = fill[c]!;
  }
  return v;
}

function checkBox(fn: string, box: Box): void {
  if (
    !(
      Number.isFinite(box.x) &&
      Number.isFinite(box.y) &&
      box.width > 0 &&
      box.height > 0 &&
      Number.isFinite(box.width) &&
      Number.isFinite(box.height)
    )
  ) {
    throw new ImageError(fn, `box must have finite coordinates and positive size, got ${JSON.stringify(box)}`);
  }
}

function checkOut(fn: string, w: number, h: number): void {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0)
    throw new ImageError(fn, `output size must be positive integers, got ${w}×${h}`);
}

/**
 * Crops `box` (any real box, also partly or wholly outside the image) and warps it to outWidth×outHeight without
 * keeping the aspect ratio — the DeconvNet proposal crop (deconvnet.md §3). Outside pixels read `fill`
 * (default 0, i.e. the zero-padded image of the original code).
 */
export function cropAndWarpRgb(
  image: RgbImage,
  box: Box,
  outWidth: number,
  outHeight: number,
  options: WarpOptions = {},
): RgbImage {
  assertRgbImage(image);
  checkBox('cropAndWarpRgb', box);
  checkOut('cropAndWarpRgb', outWidth, outHeight);
  const out = createRgbImage(outWidth, outHeight);
  resample({
    src: image.data,
    srcWidth: image.width,
    srcHeight: image.height,
    channels: 3,
    dst: out.data,
    dstWidth: outWidth,
    dstHeight: outHeight,
    mapping: { scaleX: box.width / outWidth, scaleY: box.height / outHeight, offsetX: box.x, offsetY: box.y },
    interpolation: options.interpolation ?? 'bilinear',
    fill: fillVector(options.fill, 3, 0, 'cropAndWarpRgb'),
  });
  return out;
}

/** Label version of {@link cropAndWarpRgb}: nearest-neighbour, outside pixels are {@link VOID} unless `fill` says otherwise. */
export function cropAndWarpLabel(
  label: LabelMap,
  box: Box,
  outWidth: number,
  outHeight: number,
  fill: number = VOID,
): LabelMap {
  assertLabelMap(label);
  checkBox('cropAndWarpLabel', box);
  checkOut('cropAndWarpLabel', outWidth, outHeight);
  const out = createLabelMap(outWidth, outHeight);
  resample({
    src: label.data,
    srcWidth: label.width,
    srcHeight: label.height,
    channels: 1,
    dst: out.data,
    dstWidth: outWidth,
    dstHeight: outHeight,
    mapping: { scaleX: box.width / outWidth, scaleY: box.height / outHeight, offsetX: box.x, offsetY: box.y },
    interpolation: 'nearest',
    fill: fillVector(fill, 1, VOID, 'cropAndWarpLabel'),
  });
  return out;
}

/** Score-map version of {@link cropAndWarpRgb} (bilinear by default, outside = 0). */
export function cropAndWarpScoreMap(
  map: ScoreMap,
  box: Box,
  outWidth: number,
  outHeight: number,
  options: WarpOptions = {},
): ScoreMap {
  assertScoreMap(map);
  checkBox('cropAndWarpScoreMap', box);
  checkOut('cropAndWarpScoreMap', outWidth, outHeight);
  const out = createScoreMap(outWidth, outHeight, map.channels);
  resample({
    src: map.data,
    srcWidth: map.width,
    srcHeight: map.height,
    channels: map.channels,
    dst: out.data,
    dstWidth: outWidth,
    dstHeight: outHeight,
    mapping: { scaleX: box.width / outWidth, scaleY: box.height / outHeight, offsetX: box.x, offsetY: box.y },
    interpolation: options.interpolation ?? 'bilinear',
    fill: fillVector(options.fill, map.channels, 0, 'cropAndWarpScoreMap'),
  });
  return out;
}

function integralBox(fn: string, box: Box): { x: number; y: number; w: number; h: number } {
  checkBox(fn, box);
  const x = Math.round(box.x);
  const y = Math.round(box.y);
  const w = Math.round(box.x + box.width) - x;
  const h = Math.round(box.y + box.height) - y;
  if (w <= 0 || h <= 0) throw new ImageError(fn, `box ${JSON.stringify(box)} rounds to an empty pixel range`);
  return { x, y, w, h };
}

/** Copies the pixels of `box` (rounded to whole pixels) with padding: pixels outside the image get `fill` per channel. */
export function cropRgb(image: RgbImage, box: Box, fill: number | ArrayLike<number> = 0): RgbImage {
  assertRgbImage(image);
  const b = integralBox('cropRgb', box);
  const f = fillVector(fill, 3, 0, 'cropRgb');
  const out = createRgbImage(b.w, b.h);
  copyPadded(image.data, image.width, image.height, 3, out.data, b, f);
  return out;
}

/** {@link cropRgb} for label maps; outside pixels are {@link VOID} by default. */
export function cropLabel(label: LabelMap, box: Box, fill: number = VOID): LabelMap {
  assertLabelMap(label);
  const b = integralBox('cropLabel', box);
  const out = createLabelMap(b.w, b.h);
  copyPadded(label.data, label.width, label.height, 1, out.data, b, fillVector(fill, 1, VOID, 'cropLabel'));
  return out;
}

/** {@link cropRgb} for score maps; outside values are 0 by default. */
export function cropScoreMap(map: ScoreMap, box: Box, fill: number | ArrayLike<number> = 0): ScoreMap {
  assertScoreMap(map);
  const b = integralBox('cropScoreMap', box);
  const out = createScoreMap(b.w, b.h, map.channels);
  copyPadded(
    map.data,
    map.width,
    map.height,
    map.channels,
    out.data,
    b,
    fillVector(fill, map.channels, 0, 'cropScoreMap'),
  );
  return out;
}

function copyPadded(
  src: Uint8Array | Float32Array,
  sw: number,
  sh: number,
  C: number,
  dst: Uint8Array | Float32Array,
  b: { x: number; y: number; w: number; h: number },
  fill: Float32Array,
): void {
  for (let oy = 0; oy < b.h; oy++) {
    const sy = b.y + oy;
    for (let ox = 0; ox < b.w; ox++) {
      const sx = b.x + ox;
      const o = (oy * b.w + ox) * C;
      if (sy < 0 || sy >= sh || sx < 0 || sx >= sw) {
        for (let c = 0; c < C; c++) dst[o + c] = fill[c]!;
      } else {
        const s = (sy * sw + sx) * C;
        for (let c = 0; c < C; c++) dst[o + c] = src[s + c]!;
      }
    }
  }
}

/** Mirrors any container left–right (training augmentation). Returns a new container of the same kind. */
export function flipHorizontal<T extends RgbImage | LabelMap | ScoreMap>(img: T): T {
  const C = 'channels' in img ? img.channels : img.data.length / (img.width * img.height);
  const { width: w, height: h } = img;
  const src = img.data;
  const dst = new (src.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * C;
      const d = (y * w + (w - 1 - x)) * C;
      for (let c = 0; c < C; c++) dst[d + c] = src[s + c]!;
    }
  }
  return { ...img, data: dst };
}
