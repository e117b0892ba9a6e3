/**
 * Instance-wise inference (deconvnet.md §5): Edge Boxes proposals → top-N windows (1.2×, square) → crop and warp to
 * the net's input → batched DeconvNet → paste back and aggregate (max on a zero canvas) → optional FCN-8s ensemble →
 * softmax → optional dense CRF. Every stage can be switched off or replaced.
 */
import {
  type AggregationMode,
  createAggregator,
  cropWindow,
  type EnsembleMethod,
  ensembleWithFcn,
  type Fallback,
  planWindows,
  softmax,
  type WindowOptions,
} from '@deconvnet/aggregate';
import { proposeBoxes } from '@deconvnet/edge-boxes';
import { type Box, type LabelMap, makeSquare, type RgbImage, type ScoreMap } from '@deconvnet/image';
import { argmaxLabels, type CrfConfig, refineWithCrf } from './crf.js';
import { predictScoreBatch, type SegNet } from './net.js';
import type { VariantName } from './results.js';

export interface ProposalConfig {
  /** Replace Edge Boxes: any function returning scored boxes in image coordinates. */
  source?: (image: RgbImage) => Box[];
  /** Edge Boxes candidates before selection (paper: about 2000). */
  candidates?: number;
  /** Windows actually segmented (paper: 50). */
  count?: number;
  /** Skip windows whose shorter side is below this (pixels, or relative to the image's longer side). */
  minSide?: number | { relative: number };
  /** Optional greedy NMS threshold on the windows. */
  nms?: number;
  window?: WindowOptions;
}

export interface SegmenterConfig {
  /** The DeconvNet. */
  model: SegNet;
  /** FCN-8s for the ensemble (EDeconvNet variants). */
  fcn?: SegNet;
  /** Proposal settings, or false for whole-image DeconvNet (one square window about the image). */
  proposals?: ProposalConfig | false;
  aggregation?: { mode?: AggregationMode; fallback?: Fallback };
  /** 'mean' (paper), 'product' (released code) or 'none'. Default 'mean' when an FCN is given. */
  ensemble?: EnsembleMethod | 'none';
  /** Dense CRF settings, or false. Default: DeconvNet's settings. */
  crf?: CrfConfig | false;
  /** Crops per forward pass (default 8). */
  batchSize?: number;
}

export interface SegmentResult {
  labels: LabelMap;
  /** Class probabilities (CRF marginals when the CRF ran). */
  probabilities: ScoreMap;
  /** The proposals whose windows were segmented (image coordinates, with scores). */
  proposals: Box[];
  /** The windows actually cropped (1.2× square). */
  windows: Box[];
  /** Seconds per stage. */
  timings: Record<string, number>;
}

export interface Segmenter {
  readonly config: SegmenterConfig;
  /** The configured pipeline on one image. */
  segment(image: RgbImage): Promise<SegmentResult>;
  /**
   * Several variants at once, sharing the expensive stages (proposals, DeconvNet, FCN): what evaluation uses.
   * Variants that need the FCN are skipped when none was given.
   */
  segmentVariants(image: RgbImage, variants: readonly VariantName[]): Promise<VariantOutputs>;
  dispose(): void;
}

export interface VariantOutputs {
  labels: Partial<Record<VariantName, LabelMap>>;
  proposals: Box[];
  windows: Box[];
  timings: Record<string, number>;
}

const now = () => performance.now() / 1000;

/** The whole-image window: the image padded to a square, as FCN and whole-image DeconvNet see it. */
export function wholeImageWindow(image: { width: number; height: number }): Box {
  return makeSquare({ x: 0, y: 0, width: image.width, height: image.height });
}

export function createSegmenter(config: SegmenterConfig): Segmenter {
  if (!config?.model) throw new Error('createSegmenter: config.model (a DeconvNet) is required');
  const batch = config.batchSize ?? 8;
  const ensemble = config.ensemble ?? (config.fcn ? 'mean' : 'none');
  if (ensemble !== 'none' && !config.fcn) throw new Error(`createSegmenter: ensemble "${ensemble}" needs config.fcn`);
  if (config.fcn && config.fcn.numClasses !== config.model.numClasses) {
    throw new Error(`createSegmenter: FCN has ${config.fcn.numClasses} classes, DeconvNet ${config.model.numClasses}`);
  }
  let disposed = false;
  const C = config.model.numClasses;

  const proposalsFor = (image: RgbImage, timings: Record<string, number>): { proposals: Box[]; windows: Box[] } => {
    const p = config.proposals;
    if (p === false) return { proposals: [], windows: [wholeImageWindow(image)] };
    const t0 = now();
    const boxes = p?.source ? p.source(image) : proposeBoxes(image, { maxBoxes: p?.candidates ?? 2000 });
    const plan = planWindows(boxes, image.width, image.height, {
      maxCount: p?.count ?? 50,
      minSide: p?.minSide ?? { relative: 0.224 },
      ...(p?.nms !== undefined ? { nmsThreshold: p.nms } : {}),
      ...(p?.window ? { window: p.window } : {}),
    });
    timings.proposals = now() - t0;
    return { proposals: plan.map((w) => w.proposal), windows: plan.map((w) => w.window) };
  };

  /** Raw aggregated DeconvNet scores and coverage. */
  const deconvScores = (image: RgbImage, windows: Box[], timings: Record<string, number>) => {
    const t0 = now();
    const agg = createAggregator({
      width: image.width,
      height: image.height,
      channels: C,
      mode: config.aggregation?.mode ?? 'max',
    });
    const S = config.model.inputSize;
    for (let i = 0; i < windows.length; i += batch) {
      const ws = windows.slice(i, i + batch);
      const crops = ws.map((w) => cropWindow(image, w, { size: S }));
      agg.addBatch(predictScoreBatch(config.model, crops), ws);
    }
    timings.deconvnet = now() - t0;
    return agg;
  };

  const fcnScores = (image: RgbImage, timings: Record<string, number>): ScoreMap => {
    const net = config.fcn!;
    const t0 = now();
    const win = wholeImageWindow(image);
    const crop = cropWindow(image, win, { size: net.inputSize });
    const agg = createAggregator({
      width: image.width,
      height: image.height,
      channels: C,
      mode: 'max',
      maxFloor: Number.NEGATIVE_INFINITY,
    });
    agg.addBatch(predictScoreBatch(net, [crop]), [win]);
    const scores = agg.result().scores;
    agg.dispose();
    timings.fcn = now() - t0;
    return scores;
  };

  const crf = (image: RgbImage, probs: ScoreMap, timings: Record<string, number>) => {
    const t0 = now();
    const r = refineWithCrf(image, probs, config.crf === false ? {} : config.crf);
    timings.crf = (timings.crf ?? 0) + now() - t0;
    return r;
  };

  const check = (image: RgbImage) => {
    if (disposed) throw new Error('segmenter has been disposed');
    if (!image || !(image.data instanceof Uint8Array) || image.data.length !== image.width * image.height * 3) {
      throw new Error('segment: expected an RgbImage {width, height, data: Uint8Array RGB}');
    }
  };

  return {
    config,
    async segment(image) {
      check(image);
      const timings: Record<string, number> = {};
      const { proposals, windows } = proposalsFor(image, timings);
      const agg = deconvScores(image, windows, timings);
      const t0 = now();
      let probs: ScoreMap;
      if (ensemble !== 'none') {
        const f = fcnScores(image, timings);
        probs = ensembleWithFcn(agg.result().scores, f, { method: ensemble, coverage: agg.coverage });
      } else {
        probs = agg.probabilities(config.aggregation?.fallback ? { fallback: config.aggregation.fallback } : {});
      }
      agg.dispose();
      timings.combine = now() - t0;
      if (config.crf !== false) {
        const r = crf(image, probs, timings);
        return { labels: r.labels, probabilities: r.marginals, proposals, windows, timings };
      }
      return { labels: argmaxLabels(probs), probabilities: probs, proposals, windows, timings };
    },
    async segmentVariants(image, variants) {
      check(image);
      const timings: Record<string, number> = {};
      const want = new Set(variants);
      const needDeconv = variants.some((v) => v !== 'FCN');
      const needFcn = Boolean(config.fcn) && variants.some((v) => v === 'FCN' || v.startsWith('E'));
      const labels: Partial<Record<VariantName, LabelMap>> = {};
      let proposals: Box[] = [];
      let windows: Box[] = [];
      const fcn = needFcn ? fcnScores(image, timings) : null;
      if (fcn && want.has('FCN')) labels.FCN = argmaxLabels(fcn);
      if (needDeconv) {
        ({ proposals, windows } = proposalsFor(image, timings));
        const agg = deconvScores(image, windows, timings);
        const probs = agg.probabilities(config.aggregation?.fallback ? { fallback: config.aggregation.fallback } : {});
        if (want.has('DeconvNet')) labels.DeconvNet = argmaxLabels(probs);
        if (want.has('DeconvNet+CRF')) labels['DeconvNet+CRF'] = crf(image, probs, timings).labels;
        if (fcn && (want.has('EDeconvNet') || want.has('EDeconvNet+CRF'))) {
          const method = ensemble === 'none' ? 'mean' : ensemble;
          const e = ensembleWithFcn(agg.result().scores, fcn, { method, coverage: agg.coverage });
          if (want.has('EDeconvNet')) labels.EDeconvNet = argmaxLabels(e);
          if (want.has('EDeconvNet+CRF')) labels['EDeconvNet+CRF'] = crf(image, e, timings).labels;
        }
        agg.dispose();
      }
      return { labels, proposals, windows, timings };
    },
    dispose() {
      disposed = true;
    },
  };
}

/** softmax re-exported for callers that post-process raw maps. */
export { softmax };
