import { type Box, ImageError, intersection, iou, isValidBox } from '@deconvnet/image';

export interface SelectionOptions {
  /** Keep at most this many boxes (paper and code: 50). Default 50. */
  maxCount?: number;
  /**
   * Skip boxes whose shorter side is below this: pixels, or `{ relative }` as a fraction of the image's longer side
   * (needs imageWidth/imageHeight). The original skips min(w, h) < 112 px on ~500 px VOC images, i.e. relative 0.224.
   * Default 112.
   */
  minSide?: number | { relative: number };
  /** 'score': highest `score` first (stable; boxes without a score go last). 'input': keep the given order, as the original. Default 'score'. */
  order?: 'score' | 'input';
  /** Greedy NMS: skip a box whose IoU with an already kept box exceeds this. Default undefined (off, as the original). */
  nmsThreshold?: number;
  /** Image size: needed for a relative minSide; boxes that miss the image entirely are skipped when given. */
  imageWidth?: number;
  imageHeight?: number;
}

/** The VOC-scale default: 112 px on a 500 px image. */
export const ORIGINAL_MIN_SIDE = 112;

/**
 * Indices of the boxes to run, in processing order: the original iterates the boxes in order, skips those whose
 * shorter side is under 112 px and stops after 50 (deconvnet.md §5.1); optionally sorted by score and NMS-filtered.
 */
export function selectProposalIndices(boxes: readonly Box[], options: SelectionOptions = {}): number[] {
  const {
    maxCount = 50,
    minSide = ORIGINAL_MIN_SIDE,
    order = 'score',
    nmsThreshold,
    imageWidth,
    imageHeight,
  } = options;
  if (!Array.isArray(boxes)) throw new ImageError('selectProposals', 'boxes must be an array of Box');
  if (!(Number.isInteger(maxCount) && maxCount >= 0))
    throw new ImageError('selectProposals', `options.maxCount must be a non-negative integer, got ${maxCount}`);
  if (nmsThreshold !== undefined && !(nmsThreshold >= 0 && nmsThreshold <= 1)) {
    throw new ImageError('selectProposals', `options.nmsThreshold must be in [0, 1], got ${nmsThreshold}`);
  }
  const hasSize = imageWidth !== undefined || imageHeight !== undefined;
  if (
    hasSize &&
    !(Number.isInteger(imageWidth) && Number.isInteger(imageHeight) && imageWidth! > 0 && imageHeight! > 0)
  ) {
    throw new ImageError(
      'selectProposals',
      `options.imageWidth/imageHeight must be positive integers, got ${imageWidth}×${imageHeight}`,
    );
  }
  let min: number;
  if (typeof minSide === 'number') {
    if (!(minSide >= 0))
      throw new ImageError('selectProposals', `options.minSide must be a non-negative number, got ${minSide}`);
    min = minSide;
  } else {
    if (!minSide || !(minSide.relative >= 0))
      throw new ImageError(
        'selectProposals',
        `options.minSide.relative must be a non-negative number, got ${minSide?.relative}`,
      );
    if (!hasSize)
      throw new ImageError('selectProposals', 'a relative options.minSide needs options.imageWidth and imageHeight');
    min = minSide.relative * Math.max(imageWidth!, imageHeight!);
  }
  for (let i = 0; i < boxes.length; i++) {
    if (!isValidBox(boxes[i]!))
      throw new ImageError(
        `boxes[${i}]`,
        `must have finite coordinates and positive size, got ${JSON.stringify(boxes[i])}`,
      );
  }
  const idx = boxes.map((_, i) => i);
  if (order === 'score') {
    const key = (i: number) => {
      const s = boxes[i]!.score;
      return s === undefined || Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s;
    };
    idx.sort((a, b) => key(b) - key(a) || a - b);
  } else if (order !== 'input') {
    throw new ImageError('selectProposals', `options.order must be 'score' or 'input', got ${String(order)}`);
  }
  const image: Box | null = hasSize ? { x: 0, y: 0, width: imageWidth!, height: imageHeight! } : null;
  const kept: number[] = [];
  for (const i of idx) {
    if (kept.length >= maxCount) break;
    const b = boxes[i]!;
    if (Math.min(b.width, b.height) < min) continue;
    if (image && !intersection(b, image)) continue;
    if (nmsThreshold !== undefined && kept.some((k) => iou(boxes[k]!, b) > nmsThreshold)) continue;
    kept.push(i);
  }
  return kept;
}

/** The selected boxes themselves (see {@link selectProposalIndices}). */
export function selectProposals(boxes: readonly Box[], options: SelectionOptions = {}): Box[] {
  return selectProposalIndices(boxes, options).map((i) => boxes[i]!);
}
