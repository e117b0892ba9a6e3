import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { LabelMap, RgbImage } from '@deconvnet/image';
import '@tensorflow/tfjs-backend-cpu';
import { type DatasetEntry, type Instance, SegmentationDataset, type SegmentationSample } from '@deconvnet/voc';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProposalSource } from './proposal-cache.js';
import { tinyNet } from './test-helpers.js';
import { train } from './trainer.js';
import { createWindowStream, type StreamItem, type TrainingStream } from './training-stream.js';
import { getModelWeights, setModelWeights } from './weights.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** Image i (40×32 times `z`): grey noise with 1 + (i mod 3) rectangles; instance k has class 1 + ((i + k) mod 3), class 3 is rarer. */
function scene(i: number, z = 1): SegmentationSample {
  const [W, H] = [40 * z, 32 * z];
  const data = new Uint8Array(W * H * 3);
  const label = new Uint8Array(W * H);
  const obj = new Uint8Array(W * H);
  for (let p = 0; p < W * H; p++) data.fill(90 + ((p * 7 + i * 13) % 40), p * 3, p * 3 + 3);
  const n = 1 + (i % 3);
  const instances: Instance[] = [];
  for (let k = 0; k < n; k++) {
    let cls = 1 + ((i + k) % 3);
    if (cls === 3 && i % 2 === 0) cls = 1; // make class 3 rare so balancing repeats it
    const [x0, y0, w, h] = [2 + k * 12, 3 + ((i + k) % 5) * 3, 10, 12].map((v) => v * z) as [
      number,
      number,
      number,
      number,
    ];
    const mask = new Uint8Array(W * H);
    for (let y = y0; y < y0 + h; y++)
      for (let x = x0; x < x0 + w; x++) {
        const p = y * W + x;
        label[p] = cls;
        obj[p] = k + 1;
        mask[p] = 1;
        data.set([cls === 1 ? 220 : 40, cls === 2 ? 220 : 40, cls === 3 ? 220 : 40], p * 3);
      }
    instances.push({
      id: k + 1,
      classIndex: cls,
      className: `c${cls}`,
      mask: { width: W, height: H, data: mask },
      box: { x: x0, y: y0, width: w, height: h },
      area: w * h,
    });
  }
  return {
    id: `img${i}`,
    source: 'voc',
    imagePath: `img${i}.jpg`,
    image: { width: W, height: H, data },
    label: { width: W, height: H, data: label },
    instances,
  };
}

/** A dataset whose loader counts loads, keeps a WeakRef to every image it hands out, and can fail on call N. */
class CountingDataset extends SegmentationDataset {
  loads = 0;
  refs: WeakRef<Uint8Array>[] = [];
  failAt = -1;
  constructor(
    n: number,
    readonly zoom = 1,
  ) {
    const entries: DatasetEntry[] = Array.from({ length: n }, (_, i) => ({ id: `img${i}`, source: 'voc', root: '/' }));
    super(entries, { shuffle: true, seed: 4 });
  }
  override async load(index: number): Promise<SegmentationSample> {
    await new Promise((r) => setImmediate(r)); // a real macrotask, as file I/O would be
    if (++this.loads === this.failAt) throw new Error('simulated crash');
    const s = scene(index, this.zoom);
    this.refs.push(new WeakRef(s.image.data));
    return s;
  }
  resident(): number {
    gc();
    return this.refs.filter((r) => r.deref() !== undefined).length;
  }
}

async function collect(stream: TrainingStream, epoch: number, from?: StreamItem['next']): Promise<StreamItem[]> {
  const out: StreamItem[] = [];
  for await (const item of stream.samples(epoch, from)) out.push(item);
  return out;
}
const key = (s: { image: RgbImage; label: LabelMap }) =>
  Buffer.from(s.image.data).toString('base64') + Buffer.from(s.label.data).toString('base64');

describe('createWindowStream', () => {
  it('streams a dataset much larger than its window with O(block + prefetch) images resident', async () => {
    const N = 60;
    const ds = new CountingDataset(N);
    const stream = await createWindowStream({
      dataset: ds,
      kind: 'stage1',
      inputSize: 16,
      seed: 3,
      blockImages: 4,
      prefetch: 2,
      maxRepeat: 4,
    });
    // Independent count: instances per class over all images, then the repetition rule.
    const per = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) for (const inst of scene(i).instances!) per[inst.classIndex]!++;
    const nMax = Math.max(...per);
    const reps = per.map((n) => (n ? Math.max(1, Math.min(4, Math.round(nMax / n))) : 0));
    expect(reps[3]).toBeGreaterThan(1); // the rare class is repeated
    expect(stream.classWindows).toEqual(per);
    expect(stream.count).toBe(per.reduce((s, n, c) => s + n * reps[c]!, 0));
    expect(ds.loads).toBe(N); // the census reads every image once

    ds.loads = 0;
    let maxResident = 0;
    let count = 0;
    const classes = [0, 0, 0, 0];
    for await (const { sample } of stream.samples(0)) {
      count++;
      // Stage 1: exactly one object class in the window (the others are background or void).
      const present = new Set(Array.from(sample.label.data).filter((v) => v !== 0 && v !== 255));
      expect(present.size).toBeLessThanOrEqual(1);
      for (const c of present) classes[c]!++;
      if (count % 3 === 0) {
        await new Promise((r) => setImmediate(r));
        maxResident = Math.max(maxResident, ds.resident());
      }
    }
    expect(count).toBe(stream.count);
    expect(ds.loads).toBe(N); // each image loaded once per epoch, nothing cached
    expect(maxResident).toBeGreaterThanOrEqual(4); // the measurement sees the current block…
    expect(maxResident).toBeLessThanOrEqual(4 + 2 + 2); // …and never much more than block + prefetch
    expect(classes[3]).toBeGreaterThan(per[3]!); // repetitions reach the loop
  });

  it('is deterministic and seekable: samples(epoch, cursor) is the tail of samples(epoch)', async () => {
    const ds = new CountingDataset(10);
    const stream = await createWindowStream({
      dataset: ds,
      kind: 'stage1',
      inputSize: 16,
      seed: 3,
      blockImages: 3,
      prefetch: 2,
    });
    const all = await collect(stream, 1);
    expect(all.map((s) => key(s.sample))).toEqual((await collect(stream, 1)).map((s) => key(s.sample)));
    for (const cut of [1, 7, all.length - 1]) {
      const tail = await collect(stream, 1, all[cut - 1]!.next);
      expect(tail.map((s) => key(s.sample))).toEqual(all.slice(cut).map((s) => key(s.sample)));
    }
    const other = await collect(stream, 2);
    expect(other.map((s) => key(s.sample))).not.toEqual(all.map((s) => key(s.sample))); // a new permutation
    expect(other).toHaveLength(all.length);
  });

  it('training from the stream resumes after a crash exactly like an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stream-ckpt-'));
    const opts = { name: 'stage1', epochs: 2, batchSize: 3, accumulate: 2, sgd: { lr: 0.05, warmup: 2 }, seed: 3 };
    const make = async (failAt = -1) => {
      const ds = new CountingDataset(12);
      const s = await createWindowStream({
        dataset: ds,
        kind: 'stage1',
        inputSize: 16,
        seed: 3,
        blockImages: 4,
        prefetch: 2,
      });
      ds.failAt = failAt < 0 ? -1 : ds.loads + failAt;
      return s;
    };
    const a = tinyNet(16, 4, 5);
    const init = getModelWeights(a.model);
    const ha = await train({
      net: a,
      data: await make(),
      ...opts,
      checkpoint: { path: join(dir, 'a.ckpt'), every: 2 },
    });
    const b = tinyNet(16, 4, 5);
    setModelWeights(b.model, init);
    const ck = { path: join(dir, 'b.ckpt'), every: 2, resume: true };
    // Crash while loading image 9 of the first epoch, i.e. after a few steps and at least one checkpoint.
    await expect(train({ net: b, data: await make(9), ...opts, checkpoint: ck })).rejects.toThrow(/simulated crash/);
    b.model.dispose();
    const c = tinyNet(16, 4, 77);
    const logs: string[] = [];
    const hc = await train({
      net: c,
      data: await make(),
      ...opts,
      checkpoint: ck,
      onProgress: (e) => e.kind === 'log' && logs.push(e.message),
    });
    expect(logs.join('\n')).toMatch(/resumed .* at step [1-9]/);
    const wa = getModelWeights(a.model);
    const wc = getModelWeights(c.model);
    for (let i = 0; i < wa.length; i++) expect(Array.from(wc[i]!.data)).toEqual(Array.from(wa[i]!.data));
    expect(hc.loss).toEqual(ha.loss);
    expect(hc.lr).toEqual(ha.lr);
    expect(ha.lr[0]).toEqual([0, 0.025]); // warm-up: lr/2 at step 0, full from step 1
    a.model.dispose();
    c.model.dispose();
  });

  it('stage 2: proposal windows from Edge Boxes, cached on disk and reused exactly', async () => {
    const ds = new CountingDataset(6, 3);
    const dir = join(mkdtempSync(join(tmpdir(), 'props-')), 'cache');
    const first = createProposalSource({ candidates: 200, dir });
    const s1 = await createWindowStream({
      dataset: ds,
      kind: 'stage2',
      inputSize: 16,
      seed: 1,
      proposals: first,
      minIou: 0.3,
    });
    expect(first.computed).toBe(6);
    expect(readdirSync(dir).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `img${i}.json`).sort());
    expect(readdirSync(dir).some((f) => f.includes('.tmp'))).toBe(false);
    const items = await collect(s1, 0);
    expect(first.computed).toBe(6); // the epoch reads the cache
    expect(items.length).toBe(s1.count);
    expect(s1.count).toBeGreaterThan(0);
    // A corrupt entry is recomputed; the result is the same as before.
    writeFileSync(join(dir, 'img2.json'), '{"format":');
    const second = createProposalSource({ candidates: 200, dir });
    const s2 = await createWindowStream({
      dataset: ds,
      kind: 'stage2',
      inputSize: 16,
      seed: 1,
      proposals: second,
      minIou: 0.3,
    });
    expect(second.computed).toBe(1);
    expect((await collect(s2, 0)).map((s) => key(s.sample))).toEqual(items.map((s) => key(s.sample)));
    expect(JSON.parse(readFileSync(join(dir, 'img2.json'), 'utf8')).format).toBe('deconvnet-proposals');
    // Other Edge Boxes settings do not reuse the entries.
    const third = createProposalSource({ candidates: 50, dir });
    await createWindowStream({ dataset: ds, kind: 'stage2', inputSize: 16, seed: 1, proposals: third, minIou: 0.3 });
    expect(third.computed).toBe(6);
  });
});
