/**
 * Training-window geometry of the two-stage schedule (deconvnet.md §4.1). Windows live in the continuous pixel
 * frame of @deconvnet/image and may run past the image: the crop pads (image 0, label 255) as the original did.
 */
import { type Box, enlargeBox, iou, isValidBox, makeSquare } from '@deconvnet/image';

/** One ground-truth object (structurally a subset of @deconvnet/voc's Instance): id, class 1…20, tight box. */
export interface GtInstance {
  id: number;
  classIndex: number;
  box: Box;
}

export interface TrainingWindow {
  /** Index of the source image in the training list. */
  image: number;
  /** Square window in image coordinates (may extend outside the image). */
  box: Box;
  /** The class used for balancing (stage 1: the object; stage 2: the best-matching object). */
  classId: number;
  /** Stage 1: the only instance that keeps its label; stage 2: undefined (all labels kept). */
  instanceId?: number;
  /** Stage 2: IoU of the proposal with its best ground-truth instance. */
  overlap?: number;
}

/** The 1.2× square window about a box: enlarge about the centre, then square on the longer side (object centred). */
export function squareWindow(box: Box, factor = 1.2): Box {
  const sq = makeSquare(enlargeBox(box, factor));
  return { x: sq.x, y: sq.y, width: sq.width, height: sq.height };
}

export interface Stage1Options {
  /** Enlargement of the tight box (default 1.2). */
  factor?: number;
  /** Skip instances whose tight box is smaller than this many pixels on its longer side (default 1). */
  minSide?: number;
}

/** Stage 1: one window per ground-truth instance, centred on it. */
export function stage1Windows(
  image: number,
  instances: readonly GtInstance[],
  options: Stage1Options = {},
): TrainingWindow[] {
  const factor = options.factor ?? 1.2;
  const minSide = options.minSide ?? 1;
  const out: TrainingWindow[] = [];
  for (const inst of instances) {
    if (!isValidBox(inst.box) || Math.max(inst.box.width, inst.box.height) < minSide) continue;
    out.push({ image, box: squareWindow(inst.box, factor), classId: inst.classIndex, instanceId: inst.id });
  }
  return out;
}

export interface Stage2Options {
  /** A proposal is used when its IoU with some ground-truth instance is at least this (default 0.5). */
  minIou?: number;
  factor?: number;
  /** Keep at most this many windows per image, best overlaps first (default unlimited). */
  maxPerImage?: number;
}

/**
 * Stage 2: proposal boxes that overlap a ground-truth instance with IoU ≥ minIou (IoU of the raw proposal with the
 * tight box), turned into 1.2× square windows. Ties between instances go to the first in the list.
 */
export function stage2Windows(
  image: number,
  proposals: readonly Box[],
  instances: readonly GtInstance[],
  options: Stage2Options = {},
): TrainingWindow[] {
  const minIou = options.minIou ?? 0.5;
  const factor = options.factor ?? 1.2;
  const out: TrainingWindow[] = [];
  for (const p of proposals) {
    if (!isValidBox(p)) continue;
    let best = -1;
    let bestIou = 0;
    for (let i = 0; i < instances.length; i++) {
      const v = iou(p, instances[i]!.box);
      if (v > bestIou) {
        bestIou = v;
        best = i;
      }
    }
    if (best < 0 || bestIou < minIou) continue;
    out.push({ image, box: squareWindow(p, factor), classId: instances[best]!.classIndex, overlap: bestIou });
  }
  if (options.maxPerImage !== undefined && out.length > options.maxPerImage) {
    // Stable: best overlaps first, proposal order breaks ties.
    const idx = out.map((w, i) => [w.overlap ?? 0, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return idx.slice(0, options.maxPerImage).map(([, i]) => out[i]!);
  }
  return out;
}

export interface BalanceOptions {
  /** Never repeat one window more than this many times (default 8). */
  maxRepeat?: number;
}

/**
 * Balances rare classes by repetition: class c with n_c windows is repeated r_c = min(maxRepeat, round(n_max / n_c))
 * times (at least once), so every class contributes about as many samples as the most frequent one.
 */
export function balanceByRepetition<T extends { classId: number }>(
  windows: readonly T[],
  options: BalanceOptions = {},
): T[] {
  const maxRepeat = options.maxRepeat ?? 8;
  const counts = new Map<number, number>();
  for (const w of windows) counts.set(w.classId, (counts.get(w.classId) ?? 0) + 1);
  let nMax = 0;
  for (const n of counts.values()) nMax = Math.max(nMax, n);
  const out: T[] = [];
  for (const w of windows) {
    const r = Math.max(1, Math.min(maxRepeat, Math.round(nMax / counts.get(w.classId)!)));
    for (let k = 0; k < r; k++) out.push(w);
  }
  return out;
}
