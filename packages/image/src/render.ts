import { type Palette, VOC_PALETTE } from './palette.js';
import {
  assertLabelMap,
  assertRgbImage,
  assertSameSize,
  type Box,
  createRgbImage,
  type LabelMap,
  type RgbImage,
  VOID,
} from './types.js';

/** Paints each label with its palette colour (the VOC colormap by default). */
export function colorizeLabels(label: LabelMap, palette: Palette = VOC_PALETTE): RgbImage {
  assertLabelMap(label);
  const out = createRgbImage(label.width, label.height);
  for (let i = 0; i < label.data.length; i++) {
    const c = palette[label.data[i]!] ?? [0, 0, 0];
    out.data[i * 3] = c[0];
    out.data[i * 3 + 1] = c[1];
    out.data[i * 3 + 2] = c[2];
  }
  return out;
}

export interface OverlayOptions {
  /** Opacity of the label colours, 0…1 (default 0.5). */
  alpha?: number;
  palette?: Palette;
  /** Labels left transparent (default: background 0 and void 255). */
  skip?: readonly number[];
}

/** Alpha-blends the colourised labels over the image. */
export function overlayLabels(image: RgbImage, label: LabelMap, options: OverlayOptions = {}): RgbImage {
  assertRgbImage(image);
  assertLabelMap(label);
  assertSameSize(image, label, 'overlayLabels');
  const alpha = Math.min(Math.max(options.alpha ?? 0.5, 0), 1);
  const palette = options.palette ?? VOC_PALETTE;
  const skip = new Set(options.skip ?? [0, VOID]);
  const out = createRgbImage(image.width, image.height);
  out.data.set(image.data);
  for (let i = 0; i < label.data.length; i++) {
    const l = label.data[i]!;
    if (skip.has(l)) continue;
    const c = palette[l] ?? [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      const o = i * 3 + k;
      out.data[o] = Math.round(image.data[o]! * (1 - alpha) + c[k]! * alpha);
    }
  }
  return out;
}

/** Draws box outlines (clipped to the image) into a copy of the image. */
export function drawBoxes(
  image: RgbImage,
  boxes: readonly Box[],
  color: readonly [number, number, number] = [255, 255, 0],
  thickness = 2,
): RgbImage {
  assertRgbImage(image);
  const out = createRgbImage(image.width, image.height);
  out.data.set(image.data);
  const { width: W, height: H } = image;
  const put = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const o = (y * W + x) * 3;
    out.data[o] = color[0];
    out.data[o + 1] = color[1];
    out.data[o + 2] = color[2];
  };
  for (const b of boxes) {
    const x0 = Math.round(b.x);
    const y0 = Math.round(b.y);
    const x1 = Math.round(b.x + b.width) - 1;
    const y1 = Math.round(b.y + b.height) - 1;
    for (let t = 0; t < thickness; t++) {
      for (let x = x0; x <= x1; x++) {
        put(x, y0 + t);
        put(x, y1 - t);
      }
      for (let y = y0; y <= y1; y++) {
        put(x0 + t, y);
        put(x1 - t, y);
      }
    }
  }
  return out;
}
