import { type Box, ImageError } from './types.js';

export function boxArea(b: Box): number {
  return Math.max(0, b.width) * Math.max(0, b.height);
}

/** The overlap of two boxes, or null when they do not overlap (touching edges do not overlap). */
export function intersection(a: Box, b: Box): Box | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Intersection over union in the continuous frame (see types.ts); 0 for disjoint or empty boxes. */
export function iou(a: Box, b: Box): number {
  const i = intersection(a, b);
  if (!i) return 0;
  const inter = i.width * i.height;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Clips a box to [0, width) × [0, height); null when nothing is left. Keeps `score`. */
export function clampBox(b: Box, width: number, height: number): Box | null {
  const x0 = Math.min(Math.max(b.x, 0), width);
  const y0 = Math.min(Math.max(b.y, 0), height);
  const x1 = Math.min(Math.max(b.x + b.width, 0), width);
  const y1 = Math.min(Math.max(b.y + b.height, 0), height);
  if (x1 <= x0 || y1 <= y0) return null;
  return withScore({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, b);
}

/** Scales a box about its centre by `factor` (DeconvNet enlarges proposals and GT boxes 1.2×). */
export function enlargeBox(b: Box, factor: number): Box {
  if (!(factor > 0) || !Number.isFinite(factor))
    throw new ImageError('enlargeBox', `factor must be a positive number, got ${factor}`);
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  const w = b.width * factor;
  const h = b.height * factor;
  return withScore({ x: cx - w / 2, y: cy - h / 2, width: w, height: h }, b);
}

/** The square with the same centre whose side is the box's longer side (object-centred training windows). */
export function makeSquare(b: Box): Box {
  const side = Math.max(b.width, b.height);
  const cx = b.x + b.width / 2;
  const cy = b.y + b.height / 2;
  return withScore({ x: cx - side / 2, y: cy - side / 2, width: side, height: side }, b);
}

/** Rounds a box outwards to whole pixels: the smallest integral box that contains it. */
export function roundBoxOut(b: Box): Box {
  const x0 = Math.floor(b.x + 1e-9);
  const y0 = Math.floor(b.y + 1e-9);
  const x1 = Math.ceil(b.x + b.width - 1e-9);
  const y1 = Math.ceil(b.y + b.height - 1e-9);
  return withScore({ x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) }, b);
}

/** Mirrors a box horizontally within an image of the given width. */
export function flipBoxHorizontal(b: Box, imageWidth: number): Box {
  return withScore({ x: imageWidth - b.x - b.width, y: b.y, width: b.width, height: b.height }, b);
}

/** True when the box has finite coordinates and positive size. */
export function isValidBox(b: Box): boolean {
  return (
    Number.isFinite(b.x) &&
    Number.isFinite(b.y) &&
    Number.isFinite(b.width) &&
    Number.isFinite(b.height) &&
    b.width > 0 &&
    b.height > 0
  );
}

function withScore(out: Box, src: Box): Box {
  if (src.score !== undefined) out.score = src.score;
  return out;
}
