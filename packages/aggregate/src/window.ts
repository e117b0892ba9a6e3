import {
  type Box,
  cropAndWarpRgb,
  enlargeBox,
  ImageError,
  isValidBox,
  type Mapping,
  makeSquare,
  type RgbImage,
  roundBoxOut,
} from '@deconvnet/image';

/**
 * Crop geometry of one proposal. A *window* is the box, in image coordinates (the continuous frame of
 * `@deconvnet/image`: pixel x covers [x, x+1)), that is warped to the model input and onto which the model's score
 * map is stretched back. Windows may extend past the image: the image behaves as if zero-padded (deconvnet.md §3).
 */
export interface WindowOptions {
  /** Scale about the box centre. Training used 1.2× (deconvnet.md §4.1); the test-time rule is unconfirmed. Default 1.2. */
  scale?: number;
  /** Square window whose side is the (scaled) longer side, object centred, as in training. Default true. */
  square?: boolean;
  /** Round outwards to whole pixels, like the original's integer boxes. Default true. */
  round?: boolean;
}

/** The window for one proposal: enlarge about the centre, optionally square it and round it out. Keeps `score`. */
export function proposalWindow(box: Box, options: WindowOptions = {}): Box {
  const { scale = 1.2, square = true, round = true } = options;
  if (!isValidBox(box))
    throw new ImageError(
      'proposalWindow',
      `box must have finite coordinates and positive size, got ${JSON.stringify(box)}`,
    );
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new ImageError('proposalWindow', `options.scale must be a positive number, got ${scale}`);
  let w = enlargeBox(box, scale);
  if (square) w = makeSquare(w);
  if (round) w = roundBoxOut(w);
  return w;
}

/**
 * The mapping `cropAndWarp*` uses for `window` → an outWidth×outHeight crop (see `resample` in @deconvnet/image):
 * crop pixel (u, v) samples image position (window.x + (u + 0.5)·window.width/outWidth − 0.5, …) in pixel centres.
 */
export function cropMapping(window: Box, outWidth: number, outHeight: number): Mapping {
  return { scaleX: window.width / outWidth, scaleY: window.height / outHeight, offsetX: window.x, offsetY: window.y };
}

/** Integer pixel range [x0, x1) × [y0, y1) of the image that a window covers, clipped to the image. */
export interface PixelRegion {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Image pixels whose centre lies inside the window ([x, x+w) contains x+0.5), clipped to width×height; null when the
 * window misses the image. For an integral window this is exactly columns x … x+w−1 and rows y … y+h−1.
 */
export function windowRegion(window: Box, width: number, height: number): PixelRegion | null {
  const x0 = Math.max(0, Math.ceil(window.x - 0.5));
  const y0 = Math.max(0, Math.ceil(window.y - 0.5));
  const x1 = Math.min(width, Math.ceil(window.x + window.width - 0.5));
  const y1 = Math.min(height, Math.ceil(window.y + window.height - 0.5));
  if (x1 <= x0 || y1 <= y0) return null;
  return { x0, y0, x1, y1 };
}

/**
 * The exact inverse of {@link cropMapping}: the `resample` mapping that takes a mapWidth×mapHeight score map of the
 * crop back to the image pixels of `region` (output pixel (ox, oy) = image pixel (region.x0 + ox, region.y0 + oy)).
 * Resizing the map to the window's size and copying it in place gives the same values (half-pixel centres).
 */
export function pasteMapping(window: Box, mapWidth: number, mapHeight: number, region: PixelRegion): Mapping {
  const sx = mapWidth / window.width;
  const sy = mapHeight / window.height;
  return { scaleX: sx, scaleY: sy, offsetX: (region.x0 - window.x) * sx, offsetY: (region.y0 - window.y) * sy };
}

/** Continuous crop coordinates (u, v) of a crop warped to mapWidth×mapHeight → continuous image coordinates. */
export function cropToImage(
  window: Box,
  mapWidth: number,
  mapHeight: number,
  u: number,
  v: number,
): { x: number; y: number } {
  return { x: window.x + (u * window.width) / mapWidth, y: window.y + (v * window.height) / mapHeight };
}

/** Inverse of {@link cropToImage}: continuous image coordinates → continuous crop coordinates. */
export function imageToCrop(
  window: Box,
  mapWidth: number,
  mapHeight: number,
  x: number,
  y: number,
): { u: number; v: number } {
  return { u: ((x - window.x) * mapWidth) / window.width, v: ((y - window.y) * mapHeight) / window.height };
}

export interface CropWindowOptions {
  /** Model input size (square). Default 224. */
  size?: number;
  /** RGB value outside the image. Default 0: the original zero-pads the image *before* mean subtraction. */
  fill?: number | ArrayLike<number>;
}

/** Crops `window` (possibly past the image) and warps it to size×size, bilinear, aspect not preserved (deconvnet.md §3). */
export function cropWindow(image: RgbImage, window: Box, options: CropWindowOptions = {}): RgbImage {
  const { size = 224, fill = 0 } = options;
  return cropAndWarpRgb(image, window, size, size, { interpolation: 'bilinear', fill });
}
