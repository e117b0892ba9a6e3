/**
 * `deconvnet train`: the paper's two-stage DeconvNet schedule and FCN-8s on whole images, from a VOC-format folder
 * to a MODELDIR. Stage 1 trains on object-centred windows (one object labelled), stage 2 continues from it on
 * Edge Boxes windows with all labels, then BN statistics are optionally re-estimated and the model dir written.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelMap, RgbImage } from '@deconvnet/image';
import { ConfusionMatrix, createVocDataset, type Instance, VOC_CLASSES } from '@deconvnet/voc';
import { reestimateBatchNorm } from './bn.js';
import { UsageError } from './errors.js';
import { initFcnFromDeconvNet } from './fcn-init.js';
import { type ModelDescriptor, netDescriptor, newDescriptor, saveModelDir } from './model-dir.js';
import { buildNet, type PresetName } from './model-glue.js';
import type { SegNet } from './net.js';
import type { ProgressListener } from './progress.js';
import { createProposalSource } from './proposal-cache.js';
import { createSegmenter } from './segmenter.js';
import { type SgdConfig, type TrainHistory, train } from './trainer.js';
import { createWindowStream, type WindowKind, type WindowStream } from './training-stream.js';

export interface LoadedSample {
  id: string;
  image: RgbImage;
  label: LabelMap;
  instances: Instance[];
}

/** Loads a split fully into memory (fine for the synthetic benchmark and small real subsets). */
export async function loadSplit(
  root: string,
  split: string,
  options: { limit?: number; onProgress?: ProgressListener } = {},
): Promise<LoadedSample[]> {
  const ds = await createVocDataset({
    root,
    split,
    instances: true,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  const out: LoadedSample[] = [];
  for await (const s of ds) out.push({ id: s.id, image: s.image, label: s.label, instances: s.instances ?? [] });
  return out;
}

export interface StageConfig {
  epochs: number;
  batchSize?: number;
  accumulate?: number;
  sgd?: SgdConfig;
  maxSteps?: number;
}

export interface TrainPipelineOptions {
  /** VOC2012 folder. */
  root: string;
  out: string;
  stage: '1' | '2' | 'both';
  fcn: boolean;
  preset: PresetName;
  /** Override the preset's input side (multiple of 32). */
  inputSize?: number;
  stage1: StageConfig;
  stage2: StageConfig;
  fcnStage: StageConfig;
  split?: string;
  /** Validation split (null: no per-epoch validation). */
  valSplit?: string | null;
  valLimit?: number;
  trainLimit?: number;
  seed?: number;
  checkpointEvery?: number;
  resume?: boolean;
  /**
   * Stage-2 proposals: Edge Boxes candidates per image, IoU threshold, cap per image, and the on-disk cache
   * (default `<out>/cache/proposals`; null: recompute every epoch).
   */
  proposals?: { candidates?: number; minIou?: number; maxPerImage?: number; cacheDir?: string | null };
  /** Re-estimate BN statistics on stage-2 windows at the end (default true). */
  bnReestimate?: boolean;
  /** Class balancing by repetition: at most this many copies of a window (default 4). */
  maxRepeat?: number;
  /** Images whose windows are shuffled together (default 16) and images loaded ahead (default 4). */
  blockImages?: number;
  prefetch?: number;
  backend?: string;
  onProgress?: ProgressListener;
  /**
   * FCN-8s initialisation: 'scratch' (default) or 'deconvnet': its conv1_1…conv5_3 from the DeconvNet trained in this
   * run, BN folded in, standing in for the ImageNet VGG16 both start from in the paper.
   */
  fcnInit?: 'scratch' | 'deconvnet';
  /** Validation samples already in memory (the demo passes them to avoid reading twice). */
  valSamples?: LoadedSample[];
}

export interface TrainPipelineResult {
  descriptor: ModelDescriptor;
  deconvnet: SegNet;
  fcn?: SegNet;
  timings: { stage: string; seconds: number }[];
}

type ValSource = Iterable<{ image: RgbImage; label: LabelMap }> | AsyncIterable<{ image: RgbImage; label: LabelMap }>;

/** Whole-image mIoU of a net on validation samples (no proposals, no CRF): the per-epoch validation signal. */
export function validator(net: SegNet, samples: ValSource, classes: readonly string[]): () => Promise<number> {
  return async () => {
    const seg = createSegmenter({ model: net, proposals: false, crf: false, ensemble: 'none' });
    const cm = new ConfusionMatrix(classes.length);
    try {
      for await (const s of samples) cm.add(s.label, (await seg.segment(s.image)).labels);
    } finally {
      seg.dispose();
    }
    const m = cm.metrics([...classes]);
    return Number.isFinite(m.meanIoU) ? m.meanIoU : 0;
  };
}

export async function trainPipeline(o: TrainPipelineOptions): Promise<TrainPipelineResult> {
  let t0 = 0;
  const emit = o.onProgress ?? (() => {});
  const classes = [...VOC_CLASSES];
  const seed = o.seed ?? 1;
  const timings: { stage: string; seconds: number }[] = [];
  const t = () => performance.now() / 1000;
  await mkdir(join(o.out, 'checkpoints'), { recursive: true });

  // Training images are streamed (bounded memory); shuffling is the window stream's (per epoch, seeded).
  const dataset = await createVocDataset({
    root: o.root,
    split: o.split ?? 'train',
    shuffle: true,
    seed,
    instances: 'if-present',
    ...(o.trainLimit !== undefined ? { limit: o.trainLimit } : {}),
  });
  if (dataset.size === 0) throw new UsageError(`${o.root}: the ${o.split ?? 'train'} split is empty`);
  // Validation streams too: a VOC dataset without shuffling yields the same images in the same order every time.
  const valSource: ValSource | undefined =
    o.valSamples ??
    (o.valSplit
      ? await createVocDataset({
          root: o.root,
          split: o.valSplit,
          ...(o.valLimit !== undefined ? { limit: o.valLimit } : {}),
        })
      : undefined);
  const build = {
    preset: o.preset,
    numClasses: classes.length,
    ...(o.inputSize ? { inputSize: o.inputSize } : {}),
    seed,
  };
  const deconvnet = buildNet('deconvnet', build);
  const S = deconvnet.inputSize;
  const ckpt = (name: string) => ({
    path: join(o.out, 'checkpoints', `${name}.ckpt`),
    every: o.checkpointEvery ?? 20,
    resume: o.resume ?? false,
  });
  const validate = valSource ? validator(deconvnet, valSource, classes) : undefined;
  const histories: { stage1?: TrainHistory; stage2?: TrainHistory; fcn?: TrainHistory } = {};
  const common = (c: StageConfig) => ({
    epochs: c.epochs,
    ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
    ...(c.accumulate !== undefined ? { accumulate: c.accumulate } : {}),
    ...(c.sgd ? { sgd: c.sgd } : {}),
    ...(c.maxSteps !== undefined ? { maxSteps: c.maxSteps } : {}),
  });
  const p = o.proposals ?? {};
  const cacheDir = p.cacheDir === undefined ? join(o.out, 'cache', 'proposals') : p.cacheDir;
  const proposals = createProposalSource({
    candidates: p.candidates ?? 1000,
    ...(cacheDir ? { dir: cacheDir } : {}),
  });
  const stream = (kind: WindowKind, streamSeed: number, inputSize: number) =>
    createWindowStream({
      dataset,
      kind,
      inputSize,
      seed: streamSeed,
      maxRepeat: o.maxRepeat ?? 4,
      ...(o.blockImages !== undefined ? { blockImages: o.blockImages } : {}),
      ...(o.prefetch !== undefined ? { prefetch: o.prefetch } : {}),
      ...(kind === 'stage2' ? { proposals, minIou: p.minIou ?? 0.5, maxPerImage: p.maxPerImage ?? 16 } : {}),
      name: kind,
      onProgress: emit,
    });
  const describe = (s: WindowStream) =>
    s.classWindows
      .map((n, c) => (n > 0 ? `${classes[c]} ${n}×${s.repeats[c]}` : ''))
      .filter(Boolean)
      .join(', ');

  let bnStream: WindowStream | undefined;
  if (o.stage === '1' || o.stage === 'both') {
    t0 = t();
    const s1 = await stream('stage1', seed + 1, S);
    if (s1.count === 0)
      throw new UsageError(`${o.root}: no object instances in the training split (SegmentationObject missing?)`);
    emit({ kind: 'log', message: `stage 1: ${s1.count} object-centred windows per epoch (${describe(s1)})` });
    bnStream = s1;
    histories.stage1 = await train({
      net: deconvnet,
      data: s1,
      name: 'stage1',
      ...common(o.stage1),
      seed: seed + 1,
      checkpoint: ckpt('stage1'),
      ...(validate ? { validate } : {}),
      onProgress: emit,
    });
    timings.push({ stage: 'train DeconvNet stage 1', seconds: t() - t0 });
  }

  if (o.stage === '2' || o.stage === 'both') {
    t0 = t();
    const s2 = await stream('stage2', seed + 2, S);
    timings.push({ stage: 'Edge Boxes for stage 2', seconds: t() - t0 });
    if (s2.count === 0) {
      throw new UsageError(
        `${o.root}: no Edge Boxes proposal reaches IoU ${p.minIou ?? 0.5} with an object; lower the threshold`,
      );
    }
    emit({
      kind: 'log',
      message: `stage 2: ${s2.count} proposal windows per epoch with IoU ≥ ${p.minIou ?? 0.5} (${describe(s2)})`,
    });
    bnStream = s2;
    t0 = t();
    histories.stage2 = await train({
      net: deconvnet,
      data: s2,
      name: 'stage2',
      ...common(o.stage2),
      seed: seed + 2,
      checkpoint: ckpt('stage2'),
      ...(validate ? { validate } : {}),
      onProgress: emit,
    });
    timings.push({ stage: 'train DeconvNet stage 2', seconds: t() - t0 });
  }

  let bnReestimated = false;
  if ((o.bnReestimate ?? true) && bnStream) {
    t0 = t();
    // A permutation of the last stage's windows that training did not use (epoch numbers past the last one).
    bnReestimated = await reestimateBatchNorm(deconvnet, bnStream, 1_000_000);
    if (bnReestimated) timings.push({ stage: 'BN re-estimation', seconds: t() - t0 });
  }

  let fcn: SegNet | undefined;
  if (o.fcn) {
    t0 = t();
    fcn = buildNet('fcn', { ...build, inputSize: S, seed: seed + 10 });
    if (o.fcnInit === 'deconvnet') {
      const copied = initFcnFromDeconvNet(fcn.model, deconvnet.model);
      emit({
        kind: 'log',
        message: `fcn: ${copied.length} conv layers initialised from the DeconvNet encoder (BN folded)`,
      });
    }
    histories.fcn = await train({
      net: fcn,
      data: await stream('whole', seed + 4, fcn.inputSize),
      name: 'fcn',
      ...common(o.fcnStage),
      seed: seed + 4,
      checkpoint: ckpt('fcn'),
      ...(valSource ? { validate: validator(fcn, valSource, classes) } : {}),
      onProgress: emit,
    });
    timings.push({ stage: 'train FCN-8s', seconds: t() - t0 });
  }

  const descriptor = newDescriptor(
    classes,
    netDescriptor(deconvnet, build),
    fcn ? netDescriptor(fcn, { ...build, inputSize: S, seed: seed + 10 }) : undefined,
  );
  descriptor.training = {
    ...histories,
    bnReestimated,
    ...(o.backend ? { backend: o.backend } : {}),
    config: {
      stage: o.stage,
      preset: o.preset,
      inputSize: S,
      stage1: o.stage1,
      stage2: o.stage2,
      fcn: o.fcn ? { ...o.fcnStage, init: o.fcnInit ?? 'scratch' } : null,
      proposals: { ...p, cacheDir: cacheDir ?? null },
      maxRepeat: o.maxRepeat ?? 4,
      seed,
      trainImages: dataset.size,
      valImages: o.valSamples?.length ?? (valSource && 'size' in valSource ? valSource.size : 0),
    },
  };
  await saveModelDir(o.out, descriptor, { deconvnet, ...(fcn ? { fcn } : {}) });
  return { descriptor, deconvnet, ...(fcn ? { fcn } : {}), timings };
}
