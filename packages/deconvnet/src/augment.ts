/**
 * Turns a training window into one network input (deconvnet.md §4.1, both stages): crop the window (padding image 0,
 * label 255), resize it to input·250/224, take a random input×input crop and flip left–right with p = 0.5.
 */
import {
  type Box,
  cropAndWarpLabel,
  cropAndWarpRgb,
  cropLabel,
  cropRgb,
  flipHorizontal,
  type LabelMap,
  type RgbImage,
  VOID,
} from '@deconvnet/image';
import type { Rng } from './rng.js';

export interface AugmentOptions {
  /** Network input side (square). */
  inputSize: number;
  /** Resize side before the random crop; default round(inputSize·250/224). */
  resizeTo?: number;
  /** Random crop (default true; false takes the centre). */
  randomCrop?: boolean;
  /** Random horizontal flip (default true). */
  flip?: boolean;
}

export interface TrainingSample {
  image: RgbImage;
  label: LabelMap;
}

export function resizeSide(inputSize: number): number {
  return Math.round((inputSize * 250) / 224);
}

/**
 * Stage-1 relabelling of a cropped window: only the instance's pixels (mask = 1) keep `classId`; every other object
 * becomes background; void (255) stays void (VOC's boundary band and the padding).
 */
export function stage1Relabel(cls: LabelMap, mask: LabelMap, classId: number): LabelMap {
  const out = new Uint8Array(cls.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = cls.data[i]!;
    out[i] = c === VOID ? VOID : mask.data[i] === 1 ? classId : 0;
  }
  return { width: cls.width, height: cls.height, data: out };
}

/**
 * Builds one sample. `stage1` (the instance's full-image mask and class) selects stage-1 labelling; otherwise all
 * labels are kept.
 * Always draws exactly three random numbers (x offset, y offset, flip) so the RNG stream does not depend on options.
 */
export function makeSample(
  image: RgbImage,
  classes: LabelMap,
  window: Box,
  rng: Rng,
  options: AugmentOptions,
  stage1?: { mask: LabelMap; classId: number },
): TrainingSample {
  const n = options.inputSize;
  const s = options.resizeTo ?? resizeSide(n);
  if (s < n) throw new RangeError(`resizeTo (${s}) must be at least the input size (${n})`);
  const rx = rng.next();
  const ry = rng.next();
  const rf = rng.next();
  const win = cropAndWarpRgb(image, window, s, s, { fill: 0 });
  let lab = cropAndWarpLabel(classes, window, s, s, VOID);
  if (stage1) {
    const mask = cropAndWarpLabel(stage1.mask, window, s, s, 0);
    lab = stage1Relabel(lab, mask, stage1.classId);
  }
  const random = options.randomCrop ?? true;
  const ox = random ? Math.floor(rx * (s - n + 1)) : Math.floor((s - n) / 2);
  const oy = random ? Math.floor(ry * (s - n + 1)) : Math.floor((s - n) / 2);
  let img = s === n ? win : cropRgb(win, { x: ox, y: oy, width: n, height: n });
  let lbl = s === n ? lab : cropLabel(lab, { x: ox, y: oy, width: n, height: n });
  if ((options.flip ?? true) && rf < 0.5) {
    img = flipHorizontal(img);
    lbl = flipHorizontal(lbl);
  }
  return { image: img, label: lbl };
}
