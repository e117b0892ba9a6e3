/**
 * Evaluation of every variant in one pass over a split: confusion matrices (VOC devkit definitions, from
 * @deconvnet/voc), the paper's table (mIoU and per-class IoU per variant), and an object-size breakdown — the place
 * where the paper says instance-wise inference helps.
 */
import type { Box, LabelMap, RgbImage } from '@deconvnet/image';
import { VOID } from '@deconvnet/image';
import { ConfusionMatrix } from '@deconvnet/voc';
import type { ProgressListener } from './progress.js';
import {
  type EvaluationResult,
  SIZE_BUCKETS,
  type SizeBucket,
  type SizeScores,
  type VariantName,
  type VariantScores,
} from './results.js';
import type { Segmenter } from './segmenter.js';

export interface EvalInstance {
  classIndex: number;
  box: Box;
  mask: LabelMap;
  area: number;
}

export interface EvalSample {
  id: string;
  image: RgbImage;
  label: LabelMap;
  instances?: EvalInstance[];
}

export interface EvaluateOptions {
  segmenter: Segmenter;
  samples: AsyncIterable<EvalSample> | Iterable<EvalSample>;
  variants: readonly VariantName[];
  classes: readonly string[];
  split?: string;
  /** Instance area as a fraction of the image area: below [0] small, above [1] large. Default [0.02, 0.15]. */
  sizeThresholds?: [number, number];
  /** Called with each sample's predictions (e.g. to keep a few for the report). */
  onPrediction?: (sample: EvalSample, labels: Partial<Record<VariantName, LabelMap>>, proposals: Box[]) => void;
  onProgress?: ProgressListener;
  total?: number;
}

export function sizeBucket(areaFraction: number, thresholds: [number, number]): SizeBucket {
  return areaFraction < thresholds[0] ? 'small' : areaFraction > thresholds[1] ? 'large' : 'medium';
}

/**
 * IoU of one instance with the prediction, inside the instance's box: pixels of the instance vs pixels predicted as
 * its class. Void pixels and pixels of other instances of the same class are ignored (they are not errors of this
 * instance). Also returns recall (fraction of the instance predicted as its class).
 */
export function instanceScores(inst: EvalInstance, gt: LabelMap, pred: LabelMap): { iou: number; recall: number } {
  const W = gt.width;
  const x0 = Math.max(0, Math.floor(inst.box.x));
  const y0 = Math.max(0, Math.floor(inst.box.y));
  const x1 = Math.min(W, Math.ceil(inst.box.x + inst.box.width));
  const y1 = Math.min(gt.height, Math.ceil(inst.box.y + inst.box.height));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * W + x;
      const g = gt.data[i]!;
      if (g === VOID) continue;
      const inMask = inst.mask.data[i] === 1;
      if (!inMask && g === inst.classIndex) continue;
      const hit = pred.data[i] === inst.classIndex;
      if (inMask && hit) tp++;
      else if (inMask) fn++;
      else if (hit) fp++;
    }
  }
  const union = tp + fp + fn;
  return { iou: union > 0 ? tp / union : 0, recall: tp + fn > 0 ? tp / (tp + fn) : 0 };
}

export function toVariantScores(cm: ConfusionMatrix, classes: readonly string[]): VariantScores {
  const m = cm.metrics([...classes]);
  const perClass: Record<string, number | null> = {};
  classes.forEach((c, i) => {
    const v = m.iou[i]!;
    perClass[c] = Number.isFinite(v) ? v : null;
  });
  return {
    miou: Number.isFinite(m.meanIoU) ? m.meanIoU : 0,
    pixelAccuracy: Number.isFinite(m.pixelAccuracy) ? m.pixelAccuracy : 0,
    perClass,
  };
}

export async function evaluateVariants(options: EvaluateOptions): Promise<EvaluationResult> {
  const { segmenter, variants, classes } = options;
  const thresholds = options.sizeThresholds ?? [0.02, 0.15];
  const emit = options.onProgress ?? (() => {});
  const cms = new Map<VariantName, ConfusionMatrix>();
  const sizes = new Map<VariantName, Record<SizeBucket, { n: number; iou: number; recall: number }>>();
  for (const v of variants) {
    cms.set(v, new ConfusionMatrix(classes.length));
    sizes.set(v, {
      small: { n: 0, iou: 0, recall: 0 },
      medium: { n: 0, iou: 0, recall: 0 },
      large: { n: 0, iou: 0, recall: 0 },
    });
  }
  const seconds: Record<string, number> = {};
  let images = 0;
  emit({ kind: 'start', task: 'evaluate', ...(options.total !== undefined ? { total: options.total } : {}) });
  const t0 = performance.now();
  for await (const s of options.samples as AsyncIterable<EvalSample>) {
    const out = await segmenter.segmentVariants(s.image, variants);
    for (const [k, v] of Object.entries(out.timings)) seconds[k] = (seconds[k] ?? 0) + v;
    for (const v of variants) {
      const pred = out.labels[v];
      if (!pred) continue;
      cms.get(v)!.add(s.label, pred, `${s.id} (${v})`);
      for (const inst of s.instances ?? []) {
        const b = sizeBucket(inst.area / (s.label.width * s.label.height), thresholds);
        const r = instanceScores(inst, s.label, pred);
        const acc = sizes.get(v)![b];
        acc.n++;
        acc.iou += r.iou;
        acc.recall += r.recall;
      }
    }
    options.onPrediction?.(s, out.labels, out.proposals);
    images++;
    emit({
      kind: 'update',
      task: 'evaluate',
      current: images,
      ...(options.total !== undefined ? { total: options.total } : {}),
    });
  }
  emit({ kind: 'end', task: 'evaluate', seconds: (performance.now() - t0) / 1000, metrics: { images } });
  const result: EvaluationResult = {
    variants: {},
    sizes: { thresholds, variants: {} },
    split: options.split ?? 'val',
    images,
    classes: [...classes],
    seconds,
  };
  for (const v of variants) {
    // A variant with no predictions (e.g. FCN variants without an FCN) is left out rather than reported as 0.
    if (cms.get(v)!.metrics().pixels === 0) continue;
    result.variants[v] = toVariantScores(cms.get(v)!, classes);
    const s = sizes.get(v)!;
    const entry = {} as Record<SizeBucket, SizeScores>;
    for (const b of SIZE_BUCKETS) {
      entry[b] = {
        instances: s[b].n,
        meanIou: s[b].n ? s[b].iou / s[b].n : null,
        meanRecall: s[b].n ? s[b].recall / s[b].n : null,
      };
    }
    result.sizes.variants[v] = entry;
  }
  return result;
}

/** The paper's table as text: one row per variant, mIoU then per-class IoU (percent). */
export function formatEvaluation(r: EvaluationResult): string {
  const names = Object.keys(r.variants);
  const w = Math.max(8, ...names.map((n) => n.length));
  const pct = (v: number | null | undefined) =>
    v === null || v === undefined ? '   –' : (v * 100).toFixed(1).padStart(5);
  const lines: string[] = [];
  lines.push(`${r.split}: ${r.images} images`);
  lines.push(`${'variant'.padEnd(w)}  mIoU  pixAcc`);
  for (const n of names) lines.push(`${n.padEnd(w)} ${pct(r.variants[n]!.miou)}  ${pct(r.variants[n]!.pixelAccuracy)}`);
  lines.push('');
  const cw = Math.max(12, ...r.classes.map((c) => c.length));
  lines.push(`${'class'.padEnd(cw)} ${names.map((n) => n.padStart(Math.max(6, n.length))).join(' ')}`);
  for (const c of r.classes) {
    lines.push(
      `${c.padEnd(cw)} ${names.map((n) => pct(r.variants[n]!.perClass[c]).padStart(Math.max(6, n.length))).join(' ')}`,
    );
  }
  lines.push('');
  const [t0, t1] = r.sizes.thresholds;
  lines.push(
    `instance IoU by object size (small < ${(t0 * 100).toFixed(0)} % of the image area, large > ${(t1 * 100).toFixed(0)} %):`,
  );
  lines.push(`${'variant'.padEnd(w)}  ${SIZE_BUCKETS.map((b) => b.padStart(12)).join('')}`);
  for (const n of Object.keys(r.sizes.variants)) {
    const s = r.sizes.variants[n]!;
    lines.push(
      `${n.padEnd(w)}  ${SIZE_BUCKETS.map((b) => `${pct(s[b].meanIou)} (${s[b].instances})`.padStart(12)).join('')}`,
    );
  }
  return lines.join('\n');
}

/** The JSON `deconvnet evaluate --json` prints: {variants: {name: {miou, pixelAccuracy, perClass}}, sizes, …}. */
export function evaluationToJson(r: EvaluationResult): Record<string, unknown> {
  return { variants: r.variants, sizes: r.sizes, split: r.split, images: r.images };
}
