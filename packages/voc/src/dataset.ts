import { ImageError } from '@deconvnet/image';
import { createRng, hashSeed, shuffleInPlace } from './random.js';
import type { LoadOptions, SampleSource, SegmentationSample } from './sample.js';
import { loadSbdSample, readSbdSplit, resolveSbdRoot } from './sbd.js';
import { augmentedTrainEntries } from './splits.js';
import { loadVocSample, readVocSplit, resolveVocRoot } from './voc2012.js';

/** One image of a dataset: its id and where its labels live. */
export interface DatasetEntry {
  id: string;
  source: SampleSource;
  /** The VOC2012 folder (source 'voc') or the SBD dataset folder (source 'sbd'). */
  root: string;
}

/** A sample (or split line) that could not be loaded, collected when `skipBad` is on. */
export interface BadSample {
  /** The image id, when known. */
  id?: string;
  /** The file or argument at fault (ImageError.source), else the id. */
  file: string;
  message: string;
  error: unknown;
}

/** Passed to `transform`: `rng` is seeded from (seed, epoch, index), so augmentation is reproducible at any concurrency. */
export interface TransformContext {
  index: number;
  epoch: number;
  rng: () => number;
}

export interface DatasetOptions<T = SegmentationSample> extends LoadOptions {
  /** Shuffle each epoch with a seeded permutation (default false: split-file order). */
  shuffle?: boolean;
  /** Seed for shuffling and the transform's rng (default 0). */
  seed?: number;
  /** How many samples are loaded ahead, in parallel (default 4, at least 1). */
  concurrency?: number;
  /** Applied to every loaded sample, inside the prefetch window. */
  transform?: (sample: SegmentationSample, context: TransformContext) => T | Promise<T>;
  /** Collect bad samples in `dataset.bad` and skip them instead of throwing (the CLI's --skip-bad). Default false. */
  skipBad?: boolean;
  /** Use only the first `limit` entries (after the split order, before shuffling). */
  limit?: number;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * An async-iterable segmentation dataset. `for await (const s of ds)` runs one epoch; each new iteration is the next
 * epoch (a new seeded permutation when shuffling). Loading runs `concurrency` samples ahead, results are yielded in
 * order. Create one with {@link createVocDataset}, {@link createSbdDataset}, {@link createAugmentedDataset} or
 * {@link createDataset}.
 */
export class SegmentationDataset<T = SegmentationSample> implements AsyncIterable<T> {
  readonly entries: readonly DatasetEntry[];
  /** Bad samples collected so far (only with `skipBad`). */
  readonly bad: BadSample[];
  private readonly options: DatasetOptions<T>;
  private nextEpoch = 0;

  constructor(entries: readonly DatasetEntry[], options: DatasetOptions<T> = {}, bad: BadSample[] = []) {
    const c = options.concurrency ?? 4;
    if (!(Number.isInteger(c) && c >= 1)) throw new ImageError('concurrency', `must be an integer ≥ 1, got ${c}`);
    this.entries = options.limit !== undefined ? entries.slice(0, Math.max(0, options.limit)) : entries;
    this.options = options;
    this.bad = bad;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Loads entry `index` (no transform, no skipping). */
  load(index: number): Promise<SegmentationSample> {
    const e = this.entries[index];
    if (!e) return Promise.reject(new ImageError('index', `${index} is out of range 0..${this.entries.length - 1}`));
    const opts = { instances: this.options.instances, annotation: this.options.annotation };
    return e.source === 'voc' ? loadVocSample(e.root, e.id, opts) : loadSbdSample(e.root, e.id, opts);
  }

  /** The order in which epoch `epoch` visits the entries. */
  order(epoch: number): number[] {
    const idx = this.entries.map((_, i) => i);
    if (this.options.shuffle) shuffleInPlace(idx, createRng(hashSeed(this.options.seed ?? 0, epoch, 0x5eed)));
    return idx;
  }

  /** Iterates one epoch (deterministic for a given seed and epoch number). */
  async *epoch(epoch: number): AsyncGenerator<T, void, undefined> {
    const order = this.order(epoch);
    const window = this.options.concurrency ?? 4;
    const seed = this.options.seed ?? 0;
    const transform = this.options.transform;
    const start = (k: number): Promise<Settled<T>> => {
      const index = order[k]!;
      return (async () => {
        const sample = await this.load(index);
        if (!transform) return sample as unknown as T;
        return transform(sample, { index, epoch, rng: createRng(hashSeed(seed, epoch, index)) });
      })().then(
        (value) => ({ ok: true as const, value }),
        (error) => ({ ok: false as const, error }),
      );
    };
    const pending: { k: number; result: Promise<Settled<T>> }[] = [];
    let next = 0;
    const fill = () => {
      while (next < order.length && pending.length < window) {
        pending.push({ k: next, result: start(next) });
        next++;
      }
    };
    fill();
    while (pending.length) {
      const head = pending.shift()!;
      const r = await head.result;
      fill();
      if (r.ok) {
        yield r.value;
        continue;
      }
      if (!this.options.skipBad) throw r.error;
      this.bad.push(toBad(r.error, this.entries[order[head.k]!]?.id));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.epoch(this.nextEpoch++);
  }
}

function toBad(error: unknown, id?: string): BadSample {
  const file = error instanceof ImageError ? error.source : (id ?? 'unknown');
  return { id, file, message: error instanceof Error ? error.message : String(error), error };
}

/** A dataset over explicit entries. */
export function createDataset<T = SegmentationSample>(
  entries: readonly DatasetEntry[],
  options: DatasetOptions<T> = {},
) {
  return new SegmentationDataset<T>(entries, options);
}

function collector(options: { skipBad?: boolean }, bad: BadSample[]) {
  return options.skipBad ? (e: ImageError) => bad.push(toBad(e)) : undefined;
}

/** A VOC2012 segmentation split (`root` may be the VOC2012 folder or VOCdevkit above it). Default split: train. */
export async function createVocDataset<T = SegmentationSample>(
  options: DatasetOptions<T> & { root: string; split?: string },
): Promise<SegmentationDataset<T>> {
  const root = await resolveVocRoot(options.root);
  const bad: BadSample[] = [];
  const ids = await readVocSplit(root, options.split ?? 'train', collector(options, bad));
  return new SegmentationDataset<T>(
    ids.map((id) => ({ id, source: 'voc', root })),
    options,
    bad,
  );
}

/** An SBD split (`root`: the `dataset` folder or `benchmark_RELEASE` above it). Default split: train. */
export async function createSbdDataset<T = SegmentationSample>(
  options: DatasetOptions<T> & { root: string; split?: string },
): Promise<SegmentationDataset<T>> {
  const root = await resolveSbdRoot(options.root);
  const bad: BadSample[] = [];
  const ids = await readSbdSplit(root, options.split ?? 'train', collector(options, bad));
  return new SegmentationDataset<T>(
    ids.map((id) => ({ id, source: 'sbd', root })),
    options,
    bad,
  );
}

/**
 * The standard "VOC + SBD augmented" training set: SBD train ∪ SBD val ∪ VOC train, minus VOC val. An image with
 * VOC SegmentationClass labels (VOC train) uses them, the others use SBD's; see {@link augmentedTrainEntries}.
 */
export async function createAugmentedDataset<T = SegmentationSample>(
  options: DatasetOptions<T> & { vocRoot: string; sbdRoot: string },
): Promise<SegmentationDataset<T>> {
  const vocRoot = await resolveVocRoot(options.vocRoot);
  const sbdRoot = await resolveSbdRoot(options.sbdRoot);
  const bad: BadSample[] = [];
  const onBad = collector(options, bad);
  const [vocTrain, vocVal, sbdTrain, sbdVal] = await Promise.all([
    readVocSplit(vocRoot, 'train', onBad),
    readVocSplit(vocRoot, 'val', onBad),
    readSbdSplit(sbdRoot, 'train', onBad),
    readSbdSplit(sbdRoot, 'val', onBad),
  ]);
  const entries = augmentedTrainEntries({ vocTrain, vocVal, sbdTrain, sbdVal }).map((e) => ({
    ...e,
    root: e.source === 'voc' ? vocRoot : sbdRoot,
  }));
  return new SegmentationDataset<T>(entries, options, bad);
}
