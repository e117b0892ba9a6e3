import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDataset, type DatasetEntry } from './dataset.js';
import { createRng, shuffleInPlace } from './random.js';

const VOC2012 = join(new URL('../../../../shared/fixtures/', import.meta.url).pathname, 'voc-mini', 'VOC2012');

// Eight entries over the two real images (the same files may be listed several times; ids stay distinct by index).
const entries: DatasetEntry[] = Array.from({ length: 8 }, (_, i) => ({
  id: i % 2 ? '2007_000129' : '2007_000063',
  source: 'voc',
  root: VOC2012,
}));

describe('SegmentationDataset', () => {
  it('without shuffling visits the split in order; with shuffling a seeded permutation per epoch', async () => {
    const plain = createDataset(entries, { transform: (_s, c) => c.index });
    const seen: number[] = [];
    for await (const i of plain) seen.push(i);
    expect(seen).toEqual([...Array(8).keys()]);

    const a = createDataset(entries, { shuffle: true, seed: 7, transform: (_s, c) => c.index });
    const b = createDataset(entries, { shuffle: true, seed: 7, transform: (_s, c) => c.index });
    const c = createDataset(entries, { shuffle: true, seed: 8, transform: (_s, c) => c.index });
    const run = async (ds: typeof a) => {
      const out: number[] = [];
      for await (const i of ds) out.push(i);
      return out;
    };
    const a0 = await run(a);
    const a1 = await run(a);
    expect([...a0].sort((x, y) => x - y)).toEqual([...Array(8).keys()]);
    expect(a0).not.toEqual(a1); // a new permutation each epoch
    expect(await run(b)).toEqual(a0); // same seed, same epoch → same order
    expect(await run(b)).toEqual(a1);
    expect(await run(c)).not.toEqual(a0);
    expect(a.order(0)).toEqual(a0);
  });

  it('keeps at most `concurrency` samples in flight ahead of the consumer', async () => {
    for (const concurrency of [1, 3]) {
      let started = 0;
      let active = 0;
      let maxActive = 0;
      const ds = createDataset(entries, {
        concurrency,
        transform: async (_s, c) => {
          started++;
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
          return c.index;
        },
      });
      let consumed = 0;
      let maxAhead = 0;
      for await (const _ of ds) {
        consumed++;
        maxAhead = Math.max(maxAhead, started - consumed);
        await new Promise((r) => setTimeout(r, 15)); // slow consumer: the loader must not run away
      }
      expect(consumed).toBe(8);
      expect(maxAhead).toBeLessThanOrEqual(concurrency);
      expect(maxActive).toBeLessThanOrEqual(concurrency);
      if (concurrency > 1) expect(maxAhead).toBeGreaterThan(1); // it does prefetch
    }
  });

  it('gives the transform an rng that depends on (seed, epoch, index) only, not on timing', async () => {
    const draw = async (concurrency: number) => {
      const ds = createDataset(entries.slice(0, 6), {
        seed: 3,
        concurrency,
        transform: (_s, c) => [c.index, c.rng()] as const,
      });
      const out = new Map<number, number>();
      for await (const [i, r] of ds) out.set(i, r);
      return out;
    };
    const one = await draw(1);
    const four = await draw(4);
    expect([...four]).toEqual([...one]);
    expect(new Set(one.values()).size).toBe(6);
  });

  it('stops cleanly when the consumer breaks early, and validates options', async () => {
    const ds = createDataset(entries, { concurrency: 2 });
    let n = 0;
    for await (const s of ds) {
      expect(s.image.width).toBeGreaterThan(0);
      if (++n === 2) break;
    }
    expect(n).toBe(2);
    expect(() => createDataset(entries, { concurrency: 0 })).toThrow(/concurrency: must be an integer ≥ 1/);
    expect(createDataset(entries, { limit: 5 }).size).toBe(5);
    await expect(ds.load(99)).rejects.toThrow(/out of range/);
  });
});

describe('shuffleInPlace', () => {
  it('is a permutation and is roughly uniform (χ² over 3 elements)', () => {
    const rng = createRng(1);
    const hist = new Map<string, number>();
    const N = 6000;
    for (let k = 0; k < N; k++) {
      const key = shuffleInPlace([0, 1, 2], rng).join('');
      hist.set(key, (hist.get(key) ?? 0) + 1);
    }
    expect(hist.size).toBe(6);
    let chi2 = 0;
    for (const v of hist.values()) chi2 += (v - N / 6) ** 2 / (N / 6);
    expect(chi2).toBeLessThan(20.5); // p ≈ 0.001 for 5 degrees of freedom
  });
});
