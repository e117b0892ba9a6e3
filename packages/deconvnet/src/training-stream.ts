/**
 * Training data as a stream, so memory does not grow with the dataset (VOC+SBD: 10,582 images, ~0.2 M stage-1 and
 * ~2.7 M stage-2 windows in the paper). An epoch visits the images in the dataset's seeded order (@deconvnet/voc),
 * loaded `prefetch` ahead; the windows of each block of `blockImages` consecutive images are shuffled together and
 * turned into samples lazily. At most blockImages + prefetch images are resident at any time.
 *
 * Everything is a pure function of (seed, epoch, position): the sample of window k of image i in epoch e uses an RNG
 * seeded by hash(seed, e, i, k, repetition), the block's shuffle one seeded by hash(seed, e, block). A position in
 * the stream is therefore just {block, offset}, which a checkpoint stores to resume exactly.
 */
import { type Box, type LabelMap, makeSquare, type RgbImage } from '@deconvnet/image';
import { type DatasetEntry, hashSeed, SegmentationDataset, type SegmentationSample } from '@deconvnet/voc';
import { makeSample, type TrainingSample } from './augment.js';
import type { ProgressListener } from './progress.js';
import { Rng } from './rng.js';
import { stage1Windows, stage2Windows, type TrainingWindow } from './windows.js';

/** Where an epoch continues: after `offset` windows of block `block` (blocks of `blockImages` images). */
export interface StreamCursor {
  block: number;
  offset: number;
}

export const STREAM_START: StreamCursor = Object.freeze({ block: 0, offset: 0 });

export interface StreamItem {
  sample: TrainingSample;
  /** The position right after this sample (what a checkpoint stores). */
  next: StreamCursor;
}

/** What the training loop consumes. */
export interface TrainingStream {
  /** Samples in one epoch (the same for every epoch). */
  readonly count: number;
  /** The samples of `epoch` from `from` on, in order. Deterministic: same (epoch, from) ⇒ same samples. */
  samples(epoch: number, from?: StreamCursor): AsyncIterable<StreamItem>;
}

/** Random-access samples held in memory (tests, small custom data): `get` must take all randomness from `rng`. */
export interface SampleSource {
  readonly count: number;
  get(index: number, rng: Rng): TrainingSample;
}

/**
 * A stream over an in-memory {@link SampleSource}: a seeded permutation per epoch, one block (cursor.block = 0) whose
 * offset is the position in the permutation; sample k of epoch e gets an RNG seeded by hash(seed, e, index).
 */
export function memoryStream(source: SampleSource, seed = 1): TrainingStream {
  return {
    count: source.count,
    async *samples(epoch, from = STREAM_START) {
      const order = new Rng(hashSeed(seed, epoch, 0x04de)).shuffle(Array.from({ length: source.count }, (_, i) => i));
      for (let k = from.offset; k < order.length; k++) {
        const index = order[k]!;
        yield { sample: source.get(index, new Rng(hashSeed(seed, epoch, index))), next: { block: 0, offset: k + 1 } };
      }
    },
  };
}

export type WindowKind = 'stage1' | 'stage2' | 'whole';

export interface ProposalSource {
  /** Edge Boxes proposals of an image (possibly cached on disk). */
  boxes(id: string, image: RgbImage): Promise<Box[]>;
}

export interface WindowStreamOptions {
  /** The training images (e.g. `createVocDataset({ ..., shuffle: true, instances: true })`). */
  dataset: SegmentationDataset;
  kind: WindowKind;
  inputSize: number;
  seed: number;
  /** Images whose windows are shuffled together (default 16). */
  blockImages?: number;
  /** Images loaded ahead (default 4). */
  prefetch?: number;
  /** Class balancing by repetition: at most this many copies of a window (default 4; 1 = off). */
  maxRepeat?: number;
  /** Stage 2: where proposals come from, and which of them become windows. */
  proposals?: ProposalSource;
  minIou?: number;
  maxPerImage?: number;
  /** Name in progress events. */
  name?: string;
  onProgress?: ProgressListener;
}

export interface WindowStream extends TrainingStream {
  /** Windows per class before balancing (index = class) and the repetition applied to each class. */
  readonly classWindows: readonly number[];
  readonly repeats: readonly number[];
  readonly images: number;
}

/** The images of one dataset visited in a given order, loaded through @deconvnet/voc's prefetching iterator. */
class Reordered extends SegmentationDataset {
  private readonly base: SegmentationDataset;
  private readonly indices: readonly number[];
  constructor(base: SegmentationDataset, indices: readonly number[], concurrency: number) {
    super(
      indices.map((i) => base.entries[i] as DatasetEntry),
      { concurrency },
    );
    this.base = base;
    this.indices = indices;
  }
  override load(k: number): Promise<SegmentationSample> {
    return this.base.load(this.indices[k]!);
  }
}

/**
 * The windows of the two-stage schedule (or whole images for FCN-8s) streamed from a dataset. Creating it makes one
 * pass over the images (bounded memory) to count windows per class, which fixes the balancing repetitions and the
 * epoch length; for stage 2 that pass also computes every image's proposals (filling the proposal cache).
 */
export async function createWindowStream(o: WindowStreamOptions): Promise<WindowStream> {
  const ds = o.dataset;
  const P = o.blockImages ?? 16;
  const prefetch = o.prefetch ?? 4;
  const maxRepeat = o.maxRepeat ?? 4;
  const name = o.name ?? o.kind;
  const emit = o.onProgress ?? (() => {});
  if (!(Number.isInteger(P) && P >= 1)) throw new RangeError(`blockImages must be an integer ≥ 1, got ${P}`);
  if (o.kind === 'stage2' && !o.proposals) throw new RangeError('stage 2 windows need a proposal source');

  const windowsOf = async (s: SegmentationSample, index: number): Promise<TrainingWindow[]> => {
    if (o.kind === 'whole') {
      // FCN-8s: the whole image, padded to a square (as it is fed at test time).
      const box = makeSquare({ x: 0, y: 0, width: s.image.width, height: s.image.height });
      return [{ image: index, box, classId: 0 }];
    }
    const instances = s.instances ?? [];
    if (o.kind === 'stage1') return stage1Windows(index, instances);
    const boxes = await o.proposals!.boxes(s.id, s.image);
    return stage2Windows(index, boxes, instances, {
      minIou: o.minIou ?? 0.5,
      ...(o.maxPerImage !== undefined ? { maxPerImage: o.maxPerImage } : {}),
    });
  };

  // Census: windows per class, in split order, keeping nothing but the counts.
  const classWindows: number[] = [];
  const t0 = performance.now();
  emit({ kind: 'start', task: `${name} windows`, total: ds.size });
  let seen = 0;
  for await (const s of new Reordered(
    ds,
    ds.entries.map((_, i) => i),
    prefetch,
  ).epoch(0)) {
    for (const w of await windowsOf(s, seen)) classWindows[w.classId] = (classWindows[w.classId] ?? 0) + 1;
    seen++;
    emit({ kind: 'update', task: `${name} windows`, current: seen, total: ds.size });
  }
  emit({ kind: 'end', task: `${name} windows`, seconds: (performance.now() - t0) / 1000 });
  for (let c = 0; c < classWindows.length; c++) classWindows[c] ??= 0;
  const nMax = Math.max(0, ...classWindows);
  // As balanceByRepetition: r_c = min(maxRepeat, round(n_max / n_c)), at least 1.
  const repeats = classWindows.map((n) => (n > 0 ? Math.max(1, Math.min(maxRepeat, Math.round(nMax / n))) : 0));
  const count = classWindows.reduce((s, n, c) => s + n * repeats[c]!, 0);

  async function* samples(epoch: number, from: StreamCursor = STREAM_START): AsyncGenerator<StreamItem> {
    const order = ds.order(epoch);
    const blocks = Math.ceil(order.length / P);
    if (from.block >= blocks) return;
    const it = new Reordered(ds, order.slice(from.block * P), prefetch).epoch(0)[Symbol.asyncIterator]();
    try {
      for (let b = from.block; b < blocks; b++) {
        const imgs: { s: SegmentationSample; index: number; windows: TrainingWindow[] }[] = [];
        for (let k = b * P; k < Math.min(order.length, (b + 1) * P); k++) {
          const r = await it.next();
          if (r.done) throw new Error(`${name}: the dataset ended early at image ${k} of ${order.length}`);
          imgs.push({ s: r.value, index: order[k]!, windows: await windowsOf(r.value, order[k]!) });
        }
        // Every (image, window, repetition) of the block, shuffled together.
        const slots: [number, number, number][] = [];
        imgs.forEach((im, j) => {
          im.windows.forEach((w, k) => {
            for (let r = 0; r < repeats[w.classId]!; r++) slots.push([j, k, r]);
          });
        });
        new Rng(hashSeed(o.seed, epoch, b, 0xb10c)).shuffle(slots);
        for (let q = b === from.block ? from.offset : 0; q < slots.length; q++) {
          const [j, k, r] = slots[q]!;
          const im = imgs[j]!;
          const w = im.windows[k]!;
          const rng = new Rng(hashSeed(o.seed, epoch, im.index, k, r));
          const inst = w.instanceId !== undefined ? im.s.instances?.find((i) => i.id === w.instanceId) : undefined;
          const sample = makeSample(
            im.s.image,
            im.s.label as LabelMap,
            w.box,
            rng,
            { inputSize: o.inputSize },
            inst ? { mask: inst.mask, classId: inst.classIndex } : undefined,
          );
          yield { sample, next: { block: b, offset: q + 1 } };
        }
      }
    } finally {
      await it.return?.();
    }
  }

  return { count, classWindows, repeats, images: ds.size, samples };
}
