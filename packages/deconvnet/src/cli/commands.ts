/** Bodies of the CLI commands (imported lazily by cli.ts). Each validates its options first, then does the work. */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { resolveVocRoot } from '../data-path.js';
import { UsageError } from '../errors.js';
import { VARIANTS, type VariantName } from '../results.js';
import { choiceOption, intOption, listOption, numberOption, sizeOption, stringOption } from './args.js';
import { createRenderer } from './render-progress.js';

// Heavy modules (tfjs, sharp, the algorithm packages) load only after the options have been validated.
const image = () => import('@deconvnet/image');
const imageNode = () => import('@deconvnet/image/node');
const voc = () => import('@deconvnet/voc');
const backendMod = () => import('../backend.js');

type Opts = Record<string, unknown>;

function requireFile(path: string, what: string): void {
  if (!existsSync(path)) throw new UsageError(`${what} ${path}: file not found`);
  if (!statSync(path).isFile()) throw new UsageError(`${what} ${path}: not a file`);
}

export async function demoCommand(opts: Opts): Promise<void> {
  const out = stringOption('out', opts.out) ?? 'demo-out';
  const seed = intOption('seed', opts.seed, 0, 2 ** 31) ?? 1;
  const backend = stringOption('backend', opts.backend);
  const r = createRenderer();
  const { runDemo } = await import('../demo.js');
  try {
    const t0 = performance.now();
    const { reportPath } = await runDemo({
      out,
      quick: Boolean(opts.quick),
      seed,
      ...(backend ? { backend } : {}),
      onProgress: r.listener,
      print: (s) => {
        r.stop();
        process.stdout.write(`${s}\n`);
      },
    });
    r.stop();
    process.stdout.write(
      `\nreport: ${resolve(reportPath)}\nmodel: ${resolve(join(out, 'model'))}\ntotal ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
    );
  } finally {
    r.stop();
  }
}

export async function synthCommand(opts: Opts): Promise<void> {
  const out = stringOption('out', opts.out, true)!;
  const train = intOption('train', opts.train, 0, 100000) ?? 200;
  const val = intOption('val', opts.val, 0, 100000) ?? 50;
  const size = sizeOption('size', opts.size) ?? { width: 160, height: 120 };
  const seed = intOption('seed', opts.seed, 0, 2 ** 31) ?? 1;
  const { generateSyntheticVoc } = await voc();
  const r = createRenderer();
  r.listener({ kind: 'start', task: 'synth', total: train + val });
  const t0 = performance.now();
  const res = await generateSyntheticVoc({
    out,
    train,
    val,
    width: size.width,
    height: size.height,
    seed,
    force: true,
    onProgress: (done, total) => r.listener({ kind: 'update', task: 'synth', current: done, total }),
  });
  r.listener({ kind: 'end', task: 'synth', seconds: (performance.now() - t0) / 1000 });
  r.stop();
  process.stdout.write(
    `wrote ${res.images} images (${res.train.length} train, ${res.val.length} val) to ${res.root}\n`,
  );
}

export async function trainCommand(opts: Opts): Promise<void> {
  const data = stringOption('data', opts.data, true)!;
  const out = stringOption('out', opts.out, true)!;
  const stage = choiceOption('stage', String(opts.stage ?? 'both'), ['1', '2', 'both'] as const)!;
  const preset = choiceOption('preset', opts.preset ?? 'tiny', ['tiny', 'small', 'paper'] as const)!;
  const epochs = intOption('epochs', opts.epochs, 1, 100000) ?? 4;
  const batch = intOption('batch', opts.batch, 1, 4096) ?? 4;
  const accumulate = intOption('accumulate', opts.accumulate, 1, 4096) ?? 1;
  const lr = numberOption('lr', opts.lr, 0, 10) ?? 0.01;
  const stepSize = intOption('lr-step', opts.lrStep, 0) ?? 0;
  const fcnInit = choiceOption('fcn-init', String(opts.fcnInit ?? 'scratch'), ['scratch', 'deconvnet'] as const)!;
  const warmup = intOption('warmup', opts.warmup, 0) ?? 0;
  const cacheOpt = stringOption('proposal-cache', opts.proposalCache);
  const cacheDir =
    cacheOpt === 'none' ? null : !cacheOpt || cacheOpt === 'MODELDIR/cache/proposals' ? undefined : cacheOpt;
  const every = intOption('checkpoint-every', opts.checkpointEvery, 1) ?? 20;
  const maxSteps = intOption('max-steps', opts.maxSteps, 1);
  const seed = intOption('seed', opts.seed, 0, 2 ** 31) ?? 1;
  const split = stringOption('split', opts.split) ?? 'train';
  const valSplit = stringOption('val-split', opts.valSplit) ?? 'val';
  const backendName = stringOption('backend', opts.backend);
  const candidates = intOption('proposals', opts.proposals, 1, 100000) ?? 1000;
  const minIou = numberOption('min-iou', opts.minIou, 0, 1) ?? 0.5;
  const root = await resolveVocRoot(data);
  if (!existsSync(join(root, 'ImageSets', 'Segmentation', `${split}.txt`))) {
    throw new UsageError(`--data ${data}: no ImageSets/Segmentation/${split}.txt`);
  }
  const useVal = valSplit !== 'none' && existsSync(join(root, 'ImageSets', 'Segmentation', `${valSplit}.txt`));
  const backend = await (await backendMod()).initBackend(backendName);
  const { trainPipeline } = await import('../train-pipeline.js');
  const r = createRenderer();
  r.listener({ kind: 'log', message: `backend: ${backend.name}` });
  const st = {
    epochs,
    batchSize: batch,
    accumulate,
    sgd: { lr, stepSize, warmup },
    ...(maxSteps !== undefined ? { maxSteps } : {}),
  };
  try {
    const res = await trainPipeline({
      root,
      out,
      stage,
      fcn: Boolean(opts.fcn),
      fcnInit,
      preset,
      stage1: st,
      stage2: st,
      fcnStage: st,
      split,
      valSplit: useVal ? valSplit : null,
      seed,
      checkpointEvery: every,
      resume: Boolean(opts.resume),
      bnReestimate: opts.bnReestimate !== false,
      proposals: { candidates, minIou, ...(cacheDir !== undefined ? { cacheDir } : {}) },
      backend: backend.name,
      onProgress: r.listener,
    });
    r.stop();
    for (const t of res.timings) process.stdout.write(`${t.stage}: ${t.seconds.toFixed(1)} s\n`);
    process.stdout.write(`model written to ${resolve(out)}\n`);
    res.deconvnet.model.dispose();
    res.fcn?.model.dispose();
  } finally {
    r.stop();
  }
}

export async function segmentCommand(images: string[], opts: Opts): Promise<void> {
  if (!images?.length) throw new UsageError('segment: give at least one IMAGE');
  const modelDir = stringOption('model', opts.model, true)!;
  const out = stringOption('out', opts.out, true)!;
  const proposals = intOption('proposals', opts.proposals, 0, 10000) ?? 50;
  const ensemble = choiceOption('ensemble', opts.ensemble ?? 'mean', ['mean', 'product', 'none'] as const)!;
  for (const p of images) requireFile(p, 'IMAGE');
  const backend = stringOption('backend', opts.backend);
  await (await backendMod()).initBackend(backend);
  const { loadModelDir } = await import('../model-dir.js');
  const { createSegmenter } = await import('../segmenter.js');
  const { overlayLabels } = await image();
  const { readImage, writeFileAtomic, writeImage, writeLabelPng } = await imageNode();
  const model = await loadModelDir(modelDir);
  if (ensemble !== 'none' && !model.fcn) {
    model.dispose();
    throw new UsageError(`--ensemble ${ensemble}: ${modelDir} has no FCN (train with --fcn, or use --ensemble none)`);
  }
  await mkdir(out, { recursive: true });
  const seg = createSegmenter({
    model: model.deconvnet,
    ...(model.fcn && ensemble !== 'none' ? { fcn: model.fcn } : {}),
    proposals: proposals === 0 ? false : { count: proposals, minSide: { relative: 0.1 } },
    ensemble,
    crf: opts.crf === false ? false : {},
  });
  try {
    for (const p of images) {
      const image = await readImage(p);
      const r = await seg.segment(image);
      const stem = basename(p, extname(p));
      await writeLabelPng(join(out, `${stem}.png`), r.labels);
      await writeImage(join(out, `${stem}.overlay.png`), overlayLabels(image, r.labels, { alpha: 0.6 }));
      await writeFileAtomic(
        join(out, `${stem}.json`),
        `${JSON.stringify({ image: p, width: image.width, height: image.height, proposals: r.proposals, windows: r.windows, timings: r.timings }, null, 1)}\n`,
      );
      process.stdout.write(`${p} → ${join(out, `${stem}.png`)} (${r.windows.length} windows)\n`);
    }
  } finally {
    seg.dispose();
    model.dispose();
  }
}

export async function evaluateCommand(opts: Opts): Promise<void> {
  const data = stringOption('data', opts.data, true)!;
  const modelDir = stringOption('model', opts.model, true)!;
  const split = stringOption('split', opts.split) ?? 'val';
  const proposals = intOption('proposals', opts.proposals, 0, 10000) ?? 50;
  const limit = intOption('limit', opts.limit, 1);
  const asked = listOption('variants', opts.variants, VARIANTS);
  const root = await resolveVocRoot(data);
  if (!existsSync(join(root, 'ImageSets', 'Segmentation', `${split}.txt`))) {
    throw new UsageError(`--data ${data}: no ImageSets/Segmentation/${split}.txt`);
  }
  await (await backendMod()).initBackend(stringOption('backend', opts.backend));
  const { loadModelDir } = await import('../model-dir.js');
  const { createSegmenter } = await import('../segmenter.js');
  const { evaluateVariants, evaluationToJson, formatEvaluation } = await import('../evaluate.js');
  const { createVocDataset } = await voc();
  const model = await loadModelDir(modelDir);
  const variants: VariantName[] = asked ?? VARIANTS.filter((v) => model.fcn || !(v === 'FCN' || v.startsWith('E')));
  const needFcn = variants.filter((v) => v === 'FCN' || v.startsWith('E'));
  if (needFcn.length && !model.fcn) {
    model.dispose();
    throw new UsageError(`--variants ${needFcn.join(',')}: ${modelDir} has no FCN (train with --fcn)`);
  }
  const ds = await createVocDataset({ root, split, instances: true, ...(limit !== undefined ? { limit } : {}) });
  const r = createRenderer({ quiet: Boolean(opts.json) });
  const seg = createSegmenter({
    model: model.deconvnet,
    ...(model.fcn ? { fcn: model.fcn } : {}),
    proposals: proposals === 0 ? false : { count: proposals, minSide: { relative: 0.1 } },
  });
  try {
    const res = await evaluateVariants({
      segmenter: seg,
      samples: ds,
      variants,
      classes: model.descriptor.classes,
      split,
      total: ds.size,
      onProgress: r.listener,
    });
    r.stop();
    process.stdout.write(opts.json ? `${JSON.stringify(evaluationToJson(res))}\n` : `${formatEvaluation(res)}\n`);
  } finally {
    r.stop();
    seg.dispose();
    model.dispose();
  }
}

export async function proposalsCommand(imagePath: string, opts: Opts): Promise<void> {
  const max = intOption('max', opts.max, 1, 100000) ?? 50;
  const out = stringOption('out', opts.out);
  if (out && !/\.(json|png|jpe?g)$/i.test(out))
    throw new UsageError(`--out ${out}: use a .json, .png or .jpg file name`);
  requireFile(imagePath, 'IMAGE');
  const { proposeBoxes } = await import('@deconvnet/edge-boxes');
  const { drawBoxes } = await import('@deconvnet/image');
  const { readImage, writeFileAtomic, writeImage } = await imageNode();
  const img = await readImage(imagePath);
  const boxes = proposeBoxes(img, { maxBoxes: max });
  const json = `${JSON.stringify({ image: imagePath, width: img.width, height: img.height, boxes }, null, 1)}\n`;
  if (!out) process.stdout.write(json);
  else if (/\.json$/i.test(out)) await writeFileAtomic(out, json);
  else await writeImage(out, drawBoxes(img, boxes, [255, 255, 0], 1));
  if (out) process.stdout.write(`${boxes.length} boxes → ${out}\n`);
}
