import { ImageError } from '@deconvnet/image';
import sharp from 'sharp';

/** Straight (non-premultiplied) RGBA art, row-major. */
export interface Sprite {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Rasterises an SVG document with sharp (librsvg), keeping alpha. */
export async function renderSvg(svg: string): Promise<Sprite> {
  try {
    const { data, info } = await sharp(Buffer.from(svg), { limitInputPixels: 1e8 })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`expected RGBA, got ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (e) {
    throw new ImageError('synthetic art', `cannot rasterise SVG (${(e as Error).message})`, { cause: e });
  }
}

/** The tight box of pixels with alpha > 0 as [x0, y0, x1, y1] (inclusive), or null for an empty sprite. */
export function alphaBounds(s: Sprite): [number, number, number, number] | null {
  let x0 = s.width;
  let y0 = s.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      if (s.rgba[(y * s.width + x) * 4 + 3]! > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : [x0, y0, x1, y1];
}

/** Crops a sprite to its alpha bounds; null when fully transparent. */
export function cropToAlpha(s: Sprite): Sprite | null {
  const b = alphaBounds(s);
  if (!b) return null;
  const [x0, y0, x1, y1] = b;
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    rgba.set(s.rgba.subarray(((y + y0) * s.width + x0) * 4, ((y + y0) * s.width + x0 + width) * 4), y * width * 4);
  }
  return { width, height, rgba };
}

/** Clears alpha outside the largest 8-connected component of alpha > 0 (in place). */
export function keepLargestComponent(s: Sprite): Sprite {
  const n = s.width * s.height;
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let best = -1;
  let bestSize = 0;
  let id = 0;
  for (let start = 0; start < n; start++) {
    if (comp[start] !== -1 || s.rgba[start * 4 + 3] === 0) continue;
    let top = 0;
    stack[top++] = start;
    comp[start] = id;
    let size = 0;
    while (top) {
      const p = stack[--top]!;
      size++;
      const px = p % s.width;
      const py = (p - px) / s.width;
      for (let dy = -1; dy <= 1; dy++) {
        const y = py + dy;
        if (y < 0 || y >= s.height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          if (x < 0 || x >= s.width) continue;
          const q = y * s.width + x;
          if (comp[q] === -1 && s.rgba[q * 4 + 3]! > 0) {
            comp[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = id;
    }
    id++;
  }
  for (let p = 0; p < n; p++) if (comp[p] !== best) s.rgba[p * 4 + 3] = 0;
  return s;
}

export interface ArtPose {
  /** Output canvas size in pixels (square). */
  size: number;
  /** Degrees, clockwise. */
  rotation?: number;
  /** Horizontal / vertical stretch (aspect jitter). */
  scaleX?: number;
  scaleY?: number;
  flip?: boolean;
}

/** Margin (viewBox units) around the 128-unit art so rotation and stretching do not clip it. */
const MARGIN = 24;

/** Wraps a 128×128-viewBox SVG body (Noto emoji, the procedural table) in a posed SVG document. */
export function posedSvg(body: string, pose: ArtPose): string {
  const sx = (pose.scaleX ?? 1) * (pose.flip ? -1 : 1);
  const sy = pose.scaleY ?? 1;
  const vb = 128 + 2 * MARGIN;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${pose.size}" height="${pose.size}" viewBox="${-MARGIN} ${-MARGIN} ${vb} ${vb}">` +
    `<g transform="translate(64 64) rotate(${(pose.rotation ?? 0).toFixed(3)}) scale(${sx.toFixed(4)} ${sy.toFixed(4)}) translate(-64 -64)">${body}</g></svg>`
  );
}

/** Fraction of the canvas side that posed art occupies when rendered without rotation or stretch. */
export const ART_CANVAS_UNITS = 128 + 2 * MARGIN;
