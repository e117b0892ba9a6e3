/**
 * `deconvnet train`: the paper's two-stage DeconvNet schedule and FCN-8s on whole images, from a VOC-format folder
 * to a MODELDIR. Stage 1 trains on object-centred windows (one object labelled), stage 2 continues from it on
 * Edge Boxes windows with all labels, then BN statistics are optionally re-estimated and the model dir written.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { proposeBoxes } from '@deconvnet/edge-boxes';
import { type Box, type LabelMap, makeSquare, type RgbImage } from '@deconvnet/image';
import { ConfusionMatrix, createVocDataset, type Instance, VOC_CLASSES } from '@deconvnet/voc';
import { makeSample } from './augment.js';
import { UsageError } from './errors.js';
import { type ModelDescriptor, netDescriptor, newDescriptor, saveModelDir } from './model-dir.js';
import { buildNet, type PresetName } from './model-glue.js';
import type { SegNet } from './net.js';
import type { ProgressListener } from './progress.js';
import { createSegmenter } from './segmenter.js';
import type { SgdOptions } from './sgd.js';
import { type SampleSource, type TrainHistory, train } from './trainer.js';
import { balanceByRepetition, stage1Windows, stage2Windows, type TrainingWindow } from './windows.js';

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
  sgd?: SgdOptions;
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
  /** Stage-2 proposals: Edge Boxes candidates per image, IoU threshold, cap per image. */
  proposals?: { candidates?: number; minIou?: number; maxPerImage?: number };
  /** Re-estimate BN statistics on stage-2 windows at the end (default true). */
  bnReestimate?: boolean;
  maxRepeat?: number;
  backend?: string;
  onProgress?: ProgressListener;
  /** Already loaded samples (the demo passes them to avoid reading twice). */
  trainSamples?: LoadedSample[];
  valSamples?: LoadedSample[];
}

export interface TrainPipelineResult {
  descriptor: ModelDescriptor;
  deconvnet: SegNet;
  fcn?: SegNet;
  timings: { stage: string; seconds: number }[];
}

function windowSource(
  samples: readonly LoadedSample[],
  windows: readonly TrainingWindow[],
  inputSize: number,
): SampleSource {
  return {
    count: windows.length,
    get(index, rng) {
      const w = windows[index]!;
      const s = samples[w.image]!;
      const inst = w.instanceId !== undefined ? s.instances.find((i) => i.id === w.instanceId) : undefined;
      return makeSample(
        s.image,
        s.label,
        w.box,
        rng,
        { inputSize },
        inst ? { mask: inst.mask, classId: inst.classIndex } : undefined,
      );
    },
  };
}

/** Whole-image mIoU of a net on validation samples (no proposals, no CRF): the per-epoch validation signal. */
export function validator(
  net: SegNet,
  samples: readonly LoadedSample[],
  classes: readonly string[],
): () => Promise<number> {
  return async () => {
    const seg = createSegmenter({ model: net, proposals: false, crf: false, ensemble: 'none' });
    const cm = new ConfusionMatrix(classes.length);
    for (const s of samples) cm.add(s.label, (await seg.segment(s.image)).labels);
    seg.dispose();
    const m = cm.metrics([...classes]);
    return Number.isFinite(m.meanIoU) ? m.meanIoU : 0;
  };
}

export async function trainPipeline(o: TrainPipelineOptions): Promise<TrainPipelineResult> {
  const emit = o.onProgress ?? (() => {});
  const classes = [...VOC_CLASSES];
  const seed = o.seed ?? 1;
  const timings: { stage: string; seconds: number }[] = [];
  const t = () => performance.now() / 1000;
  await mkdir(join(o.out, 'checkpoints'), { recursive: true });

  let t0 = t();
  const trainSamples =
    o.trainSamples ??
    (await loadSplit(o.root, o.split ?? 'train', { ...(o.trainLimit !== undefined ? { limit: o.trainLimit } : {}) }));
  const valSamples =
    o.valSamples ??
    (o.valSplit
      ? await loadSplit(o.root, o.valSplit, { ...(o.valLimit !== undefined ? { limit: o.valLimit } : {}) })
      : []);
  if (trainSamples.length === 0) throw new UsageError(`${o.root}: the ${o.split ?? 'train'} split is empty`);
  if (!o.trainSamples) timings.push({ stage: 'load data', seconds: t() - t0 });

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
  const validate = valSamples.length ? validator(deconvnet, valSamples, classes) : undefined;
  const histories: { stage1?: TrainHistory; stage2?: TrainHistory; fcn?: TrainHistory } = {};
  const common = (c: StageConfig) => ({
    epochs: c.epochs,
    ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
    ...(c.accumulate !== undefined ? { accumulate: c.accumulate } : {}),
    ...(c.sgd ? { sgd: c.sgd } : {}),
    ...(c.maxSteps !== undefined ? { maxSteps: c.maxSteps } : {}),
  });

  if (o.stage === '1' || o.stage === 'both') {
    t0 = t();
    const windows = balanceByRepetition(
      trainSamples.flatMap((s, i) => stage1Windows(i, s.instances)),
      { maxRepeat: o.maxRepeat ?? 4 },
    );
    if (windows.length === 0)
      throw new UsageError(`${o.root}: no object instances in the training split (SegmentationObject missing?)`);
    emit({ kind: 'log', message: `stage 1: ${windows.length} object-centred windows (after class balancing)` });
    histories.stage1 = await train({
      net: deconvnet,
      data: windowSource(trainSamples, windows, S),
      name: 'stage1',
      ...common(o.stage1),
      seed: seed + 1,
      checkpoint: ckpt('stage1'),
      ...(validate ? { validate } : {}),
      onProgress: emit,
    });
    timings.push({ stage: 'train DeconvNet stage 1', seconds: t() - t0 });
  }

  let stage2Windows_: TrainingWindow[] = [];
  if (o.stage === '2' || o.stage === 'both') {
    t0 = t();
    const p = o.proposals ?? {};
    emit({ kind: 'start', task: 'proposals', total: trainSamples.length });
    const all: TrainingWindow[] = [];
    trainSamples.forEach((s, i) => {
      const boxes: Box[] = proposeBoxes(s.image, { maxBoxes: p.candidates ?? 1000 });
      all.push(...stage2Windows(i, boxes, s.instances, { minIou: p.minIou ?? 0.5, maxPerImage: p.maxPerImage ?? 16 }));
      emit({ kind: 'update', task: 'proposals', current: i + 1, total: trainSamples.length });
    });
    emit({ kind: 'end', task: 'proposals', seconds: t() - t0, metrics: { windows: all.length } });
    timings.push({ stage: 'Edge Boxes for stage 2', seconds: t() - t0 });
    stage2Windows_ = balanceByRepetition(all, { maxRepeat: o.maxRepeat ?? 4 });
    if (stage2Windows_.length === 0) {
      throw new UsageError(
        `${o.root}: no Edge Boxes proposal reaches IoU ${p.minIou ?? 0.5} with an object; lower the threshold`,
      );
    }
    emit({ kind: 'log', message: `stage 2: ${stage2Windows_.length} proposal windows with IoU ≥ ${p.minIou ?? 0.5}` });
    t0 = t();
    histories.stage2 = await train({
      net: deconvnet,
      data: windowSource(trainSamples, stage2Windows_, S),
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
  if (o.bnReestimate ?? true) {
    t0 = t();
    const src = stage2Windows_.length ? stage2Windows_ : trainSamples.flatMap((s, i) => stage1Windows(i, s.instances));
    bnReestimated = await reestimateBn(deconvnet, windowSource(trainSamples, src, S), seed + 3);
    if (bnReestimated) timings.push({ stage: 'BN re-estimation', seconds: t() - t0 });
  }

  let fcn: SegNet | undefined;
  if (o.fcn) {
    t0 = t();
    fcn = buildNet('fcn', { ...build, inputSize: S, seed: seed + 10 });
    const whole = trainSamples.map((s, i) => ({
      image: i,
      box: makeSquare({ x: 0, y: 0, width: s.image.width, height: s.image.height }),
      classId: 0,
    }));
    histories.fcn = await train({
      net: fcn,
      data: windowSource(trainSamples, whole, fcn.inputSize),
      name: 'fcn',
      ...common(o.fcnStage),
      seed: seed + 4,
      checkpoint: ckpt('fcn'),
      ...(valSamples.length ? { validate: validator(fcn, valSamples, classes) } : {}),
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
      fcn: o.fcn ? o.fcnStage : null,
      proposals: o.proposals ?? {},
      seed,
      trainImages: trainSamples.length,
      valImages: valSamples.length,
    },
  };
  await saveModelDir(o.out, descriptor, { deconvnet, ...(fcn ? { fcn } : {}) });
  return { descriptor, deconvnet, ...(fcn ? { fcn } : {}), timings };
}

/** BN statistics re-estimation over training windows (deconvnet.md §2.1), when @deconvnet/model provides it. */
async function reestimateBn(net: SegNet, data: SampleSource, seed: number): Promise<boolean> {
  const { reestimateBatchNorm } = await import('./bn.js');
  return reestimateBatchNorm(net, data, seed);
}
