import { ImageError, type LabelMap, VOID } from '@deconvnet/image';
import { VOC_CLASSES } from './classes.js';

/** Scores in the VOC devkit's sense (VOCevalseg.m), as fractions in [0, 1]; NaN where undefined (see below). */
export interface SegmentationMetrics {
  classNames: string[];
  /** IoU_c = TP / (TP + FP + FN) per class; NaN when the class is in neither ground truth nor prediction. */
  iou: number[];
  /** Mean of the defined per-class IoUs (the devkit's "average accuracy"; equals the plain mean on VOC val). */
  meanIoU: number;
  /** Correct pixels / labelled (non-void) pixels. */
  pixelAccuracy: number;
  /** Recall per class TP / (TP + FN); NaN when the class has no ground-truth pixel. */
  classAccuracy: number[];
  /** Mean of the defined per-class accuracies (FCN's "mean accuracy"). */
  meanClassAccuracy: number;
  /** Σ_c freq_c · IoU_c with freq_c the ground-truth pixel share (FCN's "f.w. IU"). */
  frequencyWeightedIoU: number;
  /** Labelled pixels counted. */
  pixels: number;
  /** Ground-truth pixels per class. */
  support: number[];
}

/**
 * Confusion matrix over label maps: rows are ground truth, columns predictions, pixels whose ground truth is the
 * ignore label (255) are skipped — exactly the devkit's accumulation. Counts are exact integers up to 2^53.
 */
export class ConfusionMatrix {
  readonly numClasses: number;
  readonly ignoreLabel: number;
  /** Row-major numClasses × numClasses: counts[gt * numClasses + pred]. */
  readonly counts: Float64Array;

  constructor(numClasses: number = VOC_CLASSES.length, ignoreLabel: number = VOID) {
    if (!(Number.isInteger(numClasses) && numClasses >= 1 && numClasses <= 256)) {
      throw new ImageError('numClasses', `must be an integer in 1..256, got ${numClasses}`);
    }
    this.numClasses = numClasses;
    this.ignoreLabel = ignoreLabel;
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds one image. Sizes must match; a ground-truth or predicted label ≥ numClasses (other than ignore) throws. */
  add(groundTruth: LabelMap, prediction: LabelMap, name = 'prediction'): this {
    if (groundTruth.width !== prediction.width || groundTruth.height !== prediction.height) {
      throw new ImageError(
        name,
        `size ${prediction.width}×${prediction.height} differs from the ground truth's ${groundTruth.width}×${groundTruth.height}`,
      );
    }
    return this.addArrays(groundTruth.data, prediction.data, name);
  }

  /** Adds paired label arrays of equal length. */
  addArrays(gt: ArrayLike<number>, pred: ArrayLike<number>, name = 'prediction'): this {
    if (gt.length !== pred.length)
      throw new ImageError(name, `has ${pred.length} pixels, ground truth has ${gt.length}`);
    const n = this.numClasses;
    const ign = this.ignoreLabel;
    // Integer histogram first (fast path), then folded into the float64 totals.
    const local = new Uint32Array(n * n);
    for (let i = 0; i < gt.length; i++) {
      const g = gt[i]!;
      if (g === ign) continue;
      const p = pred[i]!;
      if (g >= n || p >= n || g < 0 || p < 0) {
        const which = g >= n || g < 0 ? `ground-truth label ${g}` : `predicted label ${p}`;
        throw new ImageError(name, `${which} at pixel ${i} is outside 0..${n - 1}`);
      }
      local[g * n + p]!++;
    }
    for (let k = 0; k < local.length; k++) this.counts[k]! += local[k]!;
    return this;
  }

  /** Adds another matrix's counts (e.g. from a worker). */
  merge(other: ConfusionMatrix): this {
    if (other.numClasses !== this.numClasses)
      throw new ImageError('merge', `class counts differ: ${other.numClasses} vs ${this.numClasses}`);
    for (let k = 0; k < this.counts.length; k++) this.counts[k]! += other.counts[k]!;
    return this;
  }

  reset(): this {
    this.counts.fill(0);
    return this;
  }

  /** Count of pixels with ground truth `gt` predicted as `pred`. */
  get(gt: number, pred: number): number {
    return this.counts[gt * this.numClasses + pred] ?? 0;
  }

  metrics(classNames: readonly string[] = defaultNames(this.numClasses)): SegmentationMetrics {
    const n = this.numClasses;
    const gtSum = new Float64Array(n);
    const predSum = new Float64Array(n);
    let total = 0;
    let correct = 0;
    for (let g = 0; g < n; g++) {
      for (let p = 0; p < n; p++) {
        const c = this.counts[g * n + p]!;
        gtSum[g]! += c;
        predSum[p]! += c;
        total += c;
        if (g === p) correct += c;
      }
    }
    const iou: number[] = [];
    const classAccuracy: number[] = [];
    let fw = 0;
    for (let c = 0; c < n; c++) {
      const tp = this.counts[c * n + c]!;
      const union = gtSum[c]! + predSum[c]! - tp;
      iou.push(union > 0 ? tp / union : Number.NaN);
      classAccuracy.push(gtSum[c]! > 0 ? tp / gtSum[c]! : Number.NaN);
      if (union > 0 && total > 0) fw += (gtSum[c]! / total) * (tp / union);
    }
    return {
      classNames: Array.from({ length: n }, (_, i) => classNames[i] ?? `class ${i}`),
      iou,
      meanIoU: nanMean(iou),
      pixelAccuracy: total > 0 ? correct / total : Number.NaN,
      classAccuracy,
      meanClassAccuracy: nanMean(classAccuracy),
      frequencyWeightedIoU: total > 0 ? fw : Number.NaN,
      pixels: total,
      support: Array.from(gtSum),
    };
  }

  toJSON(): { numClasses: number; ignoreLabel: number; counts: number[] } {
    return { numClasses: this.numClasses, ignoreLabel: this.ignoreLabel, counts: Array.from(this.counts) };
  }

  static fromJSON(json: { numClasses: number; ignoreLabel?: number; counts: number[] }): ConfusionMatrix {
    const m = new ConfusionMatrix(json.numClasses, json.ignoreLabel ?? VOID);
    if (!Array.isArray(json.counts) || json.counts.length !== m.counts.length) {
      throw new ImageError('confusion JSON', `counts must have ${m.counts.length} entries`);
    }
    m.counts.set(json.counts);
    return m;
  }
}

function defaultNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (n === VOC_CLASSES.length ? VOC_CLASSES[i]! : `class ${i}`));
}

function nanMean(v: number[]): number {
  let s = 0;
  let k = 0;
  for (const x of v) {
    if (!Number.isNaN(x)) {
      s += x;
      k++;
    }
  }
  return k ? s / k : Number.NaN;
}

const pct = (x: number) => (Number.isNaN(x) ? '    –' : (100 * x).toFixed(2).padStart(6));

/** A fixed-width text table like the devkit's printout: per-class IoU and accuracy in %, then the summary lines. */
export function formatMetricsTable(m: SegmentationMetrics): string {
  const w = Math.max(12, ...m.classNames.map((s) => s.length));
  const lines = [`${'class'.padEnd(w)}    IoU %  acc %   gt pixels`];
  for (let c = 0; c < m.classNames.length; c++) {
    lines.push(
      `${m.classNames[c]!.padEnd(w)}  ${pct(m.iou[c]!)} ${pct(m.classAccuracy[c]!)}  ${String(m.support[c]).padStart(10)}`,
    );
  }
  lines.push(
    '-'.repeat(w + 32),
    `${'mean IoU'.padEnd(w)}  ${pct(m.meanIoU)}`,
    `${'pixel acc.'.padEnd(w)}  ${pct(m.pixelAccuracy)}`,
    `${'mean acc.'.padEnd(w)}  ${pct(m.meanClassAccuracy)}`,
    `${'f.w. IoU'.padEnd(w)}  ${pct(m.frequencyWeightedIoU)}`,
  );
  return lines.join('\n');
}

/** Metrics as plain JSON (NaN → null), with per-class entries keyed by class name. */
export function metricsToJSON(m: SegmentationMetrics): Record<string, unknown> {
  const j = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    meanIoU: j(m.meanIoU),
    pixelAccuracy: j(m.pixelAccuracy),
    meanClassAccuracy: j(m.meanClassAccuracy),
    frequencyWeightedIoU: j(m.frequencyWeightedIoU),
    pixels: m.pixels,
    perClass: Object.fromEntries(
      m.classNames.map((name, c) => [
        name,
        { iou: j(m.iou[c]!), accuracy: j(m.classAccuracy[c]!), support: m.support[c]! },
      ]),
    ),
  };
}
