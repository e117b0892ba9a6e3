import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageError } from '@deconvnet/image';
import { writeFileAtomic, writeImage, writeLabelPng } from '@deconvnet/image/node';
import { formatVocAnnotation, type VocAnnotation } from '../annotation.js';
import { VOC_CLASSES } from '../classes.js';
import { createRng, hashSeed } from '../random.js';
import { CLASS_ART, loadEmojiBodies } from './catalog.js';
import { generateScene, type Scene, type SceneOptions } from './scene.js';

export interface SyntheticVocOptions extends Omit<SceneOptions, 'width' | 'height'> {
  /** Output folder; it becomes the VOC2012 root (JPEGImages/, SegmentationClass/, … inside it). */
  out: string;
  /** Number of train / val images (defaults 100 / 20). */
  train?: number;
  val?: number;
  /** Image size (default 500×375, VOC's most common). */
  width?: number;
  height?: number;
  /** Seed (default 0). Image k of a split depends only on (seed, split, k). */
  seed?: number;
  /** JPEG quality of JPEGImages (default 90). */
  jpegQuality?: number;
  /** Images generated in parallel (default 2). */
  concurrency?: number;
  /** Write into a non-empty folder (files are overwritten, others left alone). Default false: refuse. */
  force?: boolean;
  /** Id prefix (default "synth"): ids are `<prefix>_<split>_<6 digits>`. */
  idPrefix?: string;
  /** Called after each image is written. */
  onProgress?: (done: number, total: number) => void;
}

export interface SyntheticVocResult {
  root: string;
  train: string[];
  val: string[];
  /** Objects written, per class index (0 unused). */
  objectsPerClass: number[];
  images: number;
  seconds: number;
}

function checkCount(v: number, what: string): number {
  if (!(Number.isInteger(v) && v >= 0)) throw new ImageError(what, `must be a non-negative integer, got ${v}`);
  return v;
}

/** Generates one scene of the benchmark in memory (what {@link generateSyntheticVoc} writes for image `index`). */
export async function generateSyntheticScene(
  options: SceneOptions & { seed?: number; split?: 'train' | 'val'; index?: number },
): Promise<Scene> {
  const bodies = await loadEmojiBodies();
  const rng = createRng(hashSeed(options.seed ?? 0, options.split === 'val' ? 1 : 0, options.index ?? 0));
  return generateScene(rng, bodies, options);
}

/**
 * Writes a complete, seeded, deterministic VOC2012-format dataset of synthetic scenes (Noto emoji objects of the 20
 * classes over procedural backgrounds): JPEGImages, SegmentationClass, SegmentationObject, Annotations,
 * ImageSets/Segmentation/{train,val,trainval}.txt and a synth.json manifest. Every file is written atomically and
 * the split files last, so an interrupted run never leaves a loadable but incomplete split.
 */
export async function generateSyntheticVoc(options: SyntheticVocOptions): Promise<SyntheticVocResult> {
  const t0 = performance.now();
  const nTrain = checkCount(options.train ?? 100, 'train');
  const nVal = checkCount(options.val ?? 20, 'val');
  const W = options.width ?? 500;
  const H = options.height ?? 375;
  if (!(Number.isInteger(W) && Number.isInteger(H) && W >= 16 && H >= 16 && W <= 4096 && H <= 4096)) {
    throw new ImageError('size', `must be integers in 16..4096, got ${W}×${H}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new ImageError('seed', `must be a finite number, got ${seed}`);
  const minObjects = options.minObjects ?? 1;
  const maxObjects = options.maxObjects ?? 5;
  if (
    !(
      Number.isInteger(minObjects) &&
      Number.isInteger(maxObjects) &&
      minObjects >= 0 &&
      maxObjects >= minObjects &&
      maxObjects <= 50
    )
  ) {
    throw new ImageError('objects', `need integers 0 ≤ min ≤ max ≤ 50, got ${minObjects}–${maxObjects}`);
  }
  const minScale = options.minScale ?? 0.05;
  const maxScale = options.maxScale ?? 0.9;
  if (!(minScale > 0 && maxScale >= minScale && maxScale <= 1.5))
    throw new ImageError('scale', `need 0 < min ≤ max ≤ 1.5, got ${minScale}–${maxScale}`);
  for (const c of options.classes ?? []) {
    if (!(Number.isInteger(c) && c >= 1 && c <= 20))
      throw new ImageError('classes', `class indices must be 1..20, got ${c}`);
  }
  const prefix = options.idPrefix ?? 'synth';
  if (!/^[A-Za-z0-9_-]+$/.test(prefix))
    throw new ImageError('idPrefix', `must be letters, digits, _ or -, got "${prefix}"`);
  const root = options.out;
  try {
    const existing = await readdir(root);
    if (existing.length && !options.force)
      throw new ImageError(root, 'output folder is not empty (pass force / --force to write into it)');
  } catch (e) {
    if (e instanceof ImageError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new ImageError(root, `cannot read output folder (${(e as Error).message})`, { cause: e });
  }
  for (const d of [
    'JPEGImages',
    'SegmentationClass',
    'SegmentationObject',
    'Annotations',
    join('ImageSets', 'Segmentation'),
  ]) {
    try {
      await mkdir(join(root, d), { recursive: true });
    } catch (e) {
      throw new ImageError(join(root, d), `cannot create folder (${(e as Error).message})`, { cause: e });
    }
  }
  const bodies = await loadEmojiBodies();
  const jobs: { split: 'train' | 'val'; index: number; id: string }[] = [];
  for (let i = 0; i < nTrain; i++)
    jobs.push({ split: 'train', index: i, id: `${prefix}_train_${String(i).padStart(6, '0')}` });
  for (let i = 0; i < nVal; i++)
    jobs.push({ split: 'val', index: i, id: `${prefix}_val_${String(i).padStart(6, '0')}` });
  const sceneOptions: SceneOptions = { ...options, width: W, height: H, minObjects, maxObjects, minScale, maxScale };
  const perClass = new Array<number>(VOC_CLASSES.length).fill(0);
  const quality = options.jpegQuality ?? 90;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const rng = createRng(hashSeed(seed, job.split === 'val' ? 1 : 0, job.index));
      const scene = await generateScene(rng, bodies, sceneOptions);
      const ann: VocAnnotation = {
        folder: 'VOC2012',
        filename: `${job.id}.jpg`,
        width: W,
        height: H,
        depth: 3,
        segmented: true,
        objects: scene.objects.map((o) => ({
          name: o.className,
          classIndex: o.classIndex,
          box: { x: o.x0, y: o.y0, width: o.x1 - o.x0 + 1, height: o.y1 - o.y0 + 1 },
          bndbox: { xmin: o.x0 + 1, ymin: o.y0 + 1, xmax: o.x1 + 1, ymax: o.y1 + 1 },
          difficult: false,
          truncated: o.truncated,
          occluded: o.occluded,
          pose: 'Unspecified',
        })),
      };
      for (const o of scene.objects) perClass[o.classIndex]!++;
      await Promise.all([
        writeImage(join(root, 'JPEGImages', `${job.id}.jpg`), scene.image, 'jpeg', quality),
        writeLabelPng(join(root, 'SegmentationClass', `${job.id}.png`), scene.classLabel),
        writeLabelPng(join(root, 'SegmentationObject', `${job.id}.png`), scene.objectLabel),
        writeFileAtomic(join(root, 'Annotations', `${job.id}.xml`), formatVocAnnotation(ann)),
      ]);
      options.onProgress?.(++done, jobs.length);
    }
  };
  const conc = Math.max(1, Math.min(options.concurrency ?? 2, 16));
  await Promise.all(Array.from({ length: conc }, worker));
  const train = jobs.filter((j) => j.split === 'train').map((j) => j.id);
  const val = jobs.filter((j) => j.split === 'val').map((j) => j.id);
  const lines = (ids: string[]) => (ids.length ? `${ids.join('\n')}\n` : '');
  const manifest = {
    generator: '@deconvnet/voc synthetic VOC benchmark',
    seed,
    width: W,
    height: H,
    train: nTrain,
    val: nVal,
    options: { ...sceneOptions, onProgress: undefined, out: undefined, concurrency: undefined, force: undefined },
    objectsPerClass: Object.fromEntries(VOC_CLASSES.map((n, i) => [n, perClass[i]!]).slice(1)),
    art: {
      source: 'Noto Emoji via @iconify-json/noto (Apache-2.0)',
      classes: Object.fromEntries(
        CLASS_ART.map((a) => [a.className, a.codepoints.length ? a.codepoints : ['procedural SVG table']]),
      ),
    },
    note: 'Synthetic cartoon scenes for pipeline verification; scores on them are not a proxy for VOC mIoU.',
  };
  await writeFileAtomic(join(root, 'synth.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sets = join(root, 'ImageSets', 'Segmentation');
  await writeFileAtomic(join(sets, 'train.txt'), lines(train));
  await writeFileAtomic(join(sets, 'val.txt'), lines(val));
  await writeFileAtomic(join(sets, 'trainval.txt'), lines([...train, ...val]));
  return { root, train, val, objectsPerClass: perClass, images: jobs.length, seconds: (performance.now() - t0) / 1000 };
}
