import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageError, type LabelMap } from '@deconvnet/image';
import { writeLabelPng } from '@deconvnet/image/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAugmentedDataset, createSbdDataset, createVocDataset } from './dataset.js';
import { loadSbdSample } from './sbd.js';
import { augmentedTrainEntries } from './splits.js';
import { loadVocSample, readVocSplit, resolveVocRoot } from './voc2012.js';

const FIX = new URL('../../../../shared/fixtures/', import.meta.url).pathname;
const VOC = join(FIX, 'voc-mini');
const VOC2012 = join(VOC, 'VOC2012');
const SBD = join(FIX, 'sbd-mini');

function counts(data: Uint8Array): Record<number, number> {
  const c: Record<number, number> = {};
  for (const v of data) c[v] = (c[v] ?? 0) + 1;
  return c;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'voc-loaders-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('VOC2012 loader on voc-mini (README pixel counts)', () => {
  it('finds the VOC2012 folder from itself, its parent, or a VOCdevkit folder', async () => {
    expect(await resolveVocRoot(VOC2012)).toBe(VOC2012);
    expect(await resolveVocRoot(VOC)).toBe(VOC2012);
    const devkitParent = join(tmp, 'devkit-parent');
    mkdirSync(join(devkitParent, 'VOCdevkit'), { recursive: true });
    symlinkSync(VOC2012, join(devkitParent, 'VOCdevkit', 'VOC2012'));
    expect(await resolveVocRoot(join(devkitParent, 'VOCdevkit'))).toBe(join(devkitParent, 'VOCdevkit', 'VOC2012'));
    expect(await resolveVocRoot(devkitParent)).toBe(join(devkitParent, 'VOCdevkit', 'VOC2012'));
    await expect(resolveVocRoot(tmp)).rejects.toThrow(/not a VOC2012 folder/);
  });

  it('reads the official-style split files', async () => {
    expect(await readVocSplit(VOC2012, 'train')).toEqual(['2007_000063']);
    expect(await readVocSplit(VOC2012, 'val')).toEqual(['2007_000129']);
    expect(await readVocSplit(VOC2012, 'trainval')).toEqual(['2007_000063', '2007_000129']);
    await expect(readVocSplit(VOC2012, 'test')).rejects.toThrow(/test\.txt: split file not found/);
    await expect(readVocSplit(VOC2012, '../x')).rejects.toThrow(/split name/);
  });

  it('2007_000063: image, class labels, instances in XML order with tight boxes', async () => {
    const s = await loadVocSample(VOC2012, '2007_000063', { instances: true });
    expect([s.image.width, s.image.height, s.image.data.length]).toEqual([500, 375, 500 * 375 * 3]);
    expect(counts(s.label.data)).toEqual({ 0: 72224, 9: 78930, 12: 27632, 255: 8714 });
    expect(s.annotation?.objects.map((o) => o.name)).toEqual(['dog', 'chair']);
    const inst = s.instances!;
    expect(inst.map((i) => [i.id, i.className, i.area, i.truncated])).toEqual([
      [1, 'dog', 27632, false],
      [2, 'chair', 78930, true],
    ]);
    for (const i of inst) {
      // brute-force tight box and mask ⊆ class map
      let x0 = 1e9;
      let y0 = 1e9;
      let x1 = -1;
      let y1 = -1;
      let n = 0;
      let wrongClass = 0;
      for (let p = 0; p < i.mask.data.length; p++) {
        if (!i.mask.data[p]) continue;
        n++;
        if (s.label.data[p] !== i.classIndex) wrongClass++;
        const x = p % 500;
        const y = (p - x) / 500;
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
      expect(n).toBe(i.area);
      expect(wrongClass).toBe(0);
      expect(i.box).toEqual({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
      // the hand-drawn XML box contains most of the mask's box
      const xml = s.annotation!.objects[i.id - 1]!.box;
      expect(i.box.x).toBeGreaterThanOrEqual(xml.x - 5);
      expect(i.box.x + i.box.width).toBeLessThanOrEqual(xml.x + xml.width + 5);
    }
  });

  it('2007_000129 (val, portrait, no SegmentationObject): labels; instances strict vs if-present', async () => {
    const s = await loadVocSample(VOC2012, '2007_000129', { instances: 'if-present' });
    expect([s.image.width, s.image.height]).toEqual([334, 500]);
    expect(counts(s.label.data)).toEqual({ 0: 54389, 2: 34183, 15: 61143, 255: 17285 });
    expect(s.instances).toBeUndefined();
    await expect(loadVocSample(VOC2012, '2007_000129', { instances: true })).rejects.toThrow(
      /SegmentationObject\/2007_000129\.png: file not found/,
    );
  });

  it('dataset over trainval yields both samples, with skipBad collecting the missing object PNG', async () => {
    const ds = await createVocDataset({ root: VOC, split: 'trainval', instances: true, skipBad: true });
    const ids: string[] = [];
    for await (const s of ds) ids.push(s.id);
    expect(ids).toEqual(['2007_000063']);
    expect(ds.bad).toHaveLength(1);
    expect(ds.bad[0]!.id).toBe('2007_000129');
    expect(ds.bad[0]!.file).toMatch(/SegmentationObject\/2007_000129\.png$/);
    const strict = await createVocDataset({ root: VOC, split: 'trainval', instances: true });
    await expect(async () => {
      for await (const _ of strict);
    }).rejects.toThrow(ImageError);
  });
});

describe('bad VOC input', () => {
  let root: string;
  beforeAll(async () => {
    root = join(tmp, 'bad', 'VOC2012');
    for (const d of ['JPEGImages', 'SegmentationClass', 'SegmentationObject', 'Annotations', 'ImageSets/Segmentation'])
      mkdirSync(join(root, d), { recursive: true });
    cpSync(join(VOC2012, 'JPEGImages', '2007_000063.jpg'), join(root, 'JPEGImages', 'good.jpg'));
    cpSync(join(VOC2012, 'SegmentationClass', '2007_000063.png'), join(root, 'SegmentationClass', 'good.png'));
    cpSync(join(VOC2012, 'SegmentationObject', '2007_000063.png'), join(root, 'SegmentationObject', 'good.png'));
    cpSync(join(VOC2012, 'Annotations', '2007_000063.xml'), join(root, 'Annotations', 'good.xml'));
    // size mismatch: the portrait label next to the landscape image
    cpSync(join(VOC2012, 'JPEGImages', '2007_000063.jpg'), join(root, 'JPEGImages', 'mismatch.jpg'));
    cpSync(join(VOC2012, 'SegmentationClass', '2007_000129.png'), join(root, 'SegmentationClass', 'mismatch.png'));
    // unknown class in the XML
    cpSync(join(VOC2012, 'JPEGImages', '2007_000063.jpg'), join(root, 'JPEGImages', 'unicorn.jpg'));
    cpSync(join(VOC2012, 'SegmentationClass', '2007_000063.png'), join(root, 'SegmentationClass', 'unicorn.png'));
    writeFileSync(
      join(root, 'Annotations', 'unicorn.xml'),
      '<annotation><object><name>unicorn</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></annotation>',
    );
    // a label value that is neither a class nor void
    cpSync(join(VOC2012, 'JPEGImages', '2007_000129.jpg'), join(root, 'JPEGImages', 'value.jpg'));
    const lm: LabelMap = { width: 334, height: 500, data: new Uint8Array(334 * 500) };
    lm.data[334 * 7 + 3] = 42;
    await writeLabelPng(join(root, 'SegmentationClass', 'value.png'), lm);
    writeFileSync(
      join(root, 'ImageSets/Segmentation/train.txt'),
      'good\nmissing\n../../etc/passwd\nsub/dir\nmismatch\nunicorn\nvalue\n',
    );
  });

  it('each bad line or file gives an error naming it; skipBad collects all and keeps the good sample', async () => {
    const ds = await createVocDataset({ root, split: 'train', annotation: true, skipBad: true, concurrency: 3 });
    const got: string[] = [];
    for await (const s of ds) got.push(s.id);
    expect(got).toEqual(['good']);
    const msgs = ds.bad.map((b) => b.message);
    expect(msgs).toHaveLength(6);
    expect(msgs[0]).toMatch(/train\.txt:3: image id "\.\.\/\.\.\/etc\/passwd" contains a path separator/);
    expect(msgs[1]).toMatch(/train\.txt:4: image id "sub\/dir" contains a path separator/);
    expect(msgs[2]).toMatch(/JPEGImages\/missing\.jpg: file not found|SegmentationClass\/missing\.png: file not found/);
    expect(msgs[3]).toMatch(
      /SegmentationClass\/mismatch\.png \(vs .*mismatch\.jpg\): size mismatch: 500×375 vs 334×500/,
    );
    expect(msgs[4]).toMatch(/Annotations\/unicorn\.xml \(object 1\): unknown VOC class "unicorn"/);
    expect(msgs[5]).toMatch(/SegmentationClass\/value\.png: label value 42 at \(3, 7\)/);
  });

  it('without skipBad the first bad split line throws when the dataset is created', async () => {
    await expect(createVocDataset({ root, split: 'train' })).rejects.toThrow(/train\.txt:3: .*path separator/);
  });

  it('ids with ".." never reach the file system', async () => {
    await expect(loadVocSample(root, '..', {})).rejects.toThrow(/contains "\.\."/);
    await expect(loadVocSample(root, 'a\\b', {})).rejects.toThrow(/path separator/);
  });
});

describe('SBD loader on sbd-mini (README counts)', () => {
  it('loads both val samples with instances in GTinst order', async () => {
    const ds = await createSbdDataset({ root: SBD, split: 'val', instances: true });
    const got = [];
    for await (const s of ds) got.push(s);
    expect(got.map((s) => [s.id, s.source, s.image.width, s.image.height])).toEqual([
      ['2008_000051', 'sbd', 500, 371],
      ['2008_000195', 'sbd', 500, 333],
    ]);
    expect(counts(got[0]!.label.data)).toEqual({ 0: 153775, 5: 683, 9: 6425, 15: 24617 });
    expect(counts(got[1]!.label.data)).toEqual({ 0: 140241, 4: 9533, 15: 16726 });
    expect(got[0]!.instances!.map((i) => [i.id, i.classIndex, i.area])).toEqual([
      [1, 5, 184],
      [2, 5, 499],
      [3, 9, 6425],
      [4, 15, 10272],
      [5, 15, 14345],
    ]);
    expect(got[1]!.instances!.map((i) => [i.classIndex, i.area])).toEqual([
      [4, 5233],
      [4, 4300],
      [15, 3607],
      [15, 9762],
      [15, 3357],
    ]);
    // the class map agrees with the instances' classes everywhere (SBD has no void band)
    for (const s of got) {
      const fromInst = new Uint8Array(s.label.data.length);
      for (const i of s.instances!)
        for (let p = 0; p < i.mask.data.length; p++) if (i.mask.data[p]) fromInst[p] = i.classIndex;
      expect(Buffer.compare(Buffer.from(fromInst), Buffer.from(s.label.data))).toBe(0);
    }
    const empty = await createSbdDataset({ root: SBD, split: 'train' });
    expect(empty.size).toBe(0);
  });

  it('a corrupt or missing .mat is an error naming it', async () => {
    const root = join(tmp, 'sbd', 'dataset');
    for (const d of ['img', 'cls', 'inst']) mkdirSync(join(root, d), { recursive: true });
    cpSync(join(SBD, 'dataset/img/2008_000051.jpg'), join(root, 'img/a.jpg'));
    writeFileSync(
      join(root, 'cls/a.mat'),
      Buffer.concat([
        Buffer.from('MATLAB 5.0 MAT-file'.padEnd(124, ' ')),
        Buffer.from([0, 1, 0x49, 0x4d]),
        Buffer.from([15, 0, 0, 0, 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]),
      ]),
    );
    await expect(loadSbdSample(root, 'a')).rejects.toThrow(
      /cls\/a\.mat: corrupt MAT-file: compressed element does not inflate/,
    );
    cpSync(join(SBD, 'dataset/cls/2008_000051.mat'), join(root, 'cls/a.mat'));
    await expect(loadSbdSample(root, 'a', { instances: true })).rejects.toThrow(/inst\/a\.mat: file not found/);
    // size mismatch between the image and the .mat
    cpSync(join(SBD, 'dataset/img/2008_000195.jpg'), join(root, 'img/b.jpg'));
    cpSync(join(SBD, 'dataset/cls/2008_000051.mat'), join(root, 'cls/b.mat'));
    await expect(loadSbdSample(root, 'b')).rejects.toThrow(/cls\/b\.mat \(vs .*b\.jpg\): size mismatch/);
  });
});

describe('VOC + SBD augmented train split', () => {
  it('is (SBD train ∪ SBD val ∪ VOC train) minus VOC val, VOC labels preferred', () => {
    const e = augmentedTrainEntries({
      vocTrain: ['v1', 'both'],
      vocVal: ['val1', 'sbdval'],
      sbdTrain: ['s1', 'both', 'val1'],
      sbdVal: ['sbdval', 's2'],
    });
    expect(e).toEqual([
      { id: 'both', source: 'voc' },
      { id: 's1', source: 'sbd' },
      { id: 's2', source: 'sbd' },
      { id: 'v1', source: 'voc' },
    ]);
  });

  it('on the fixtures: both SBD images plus VOC train, without VOC val', async () => {
    const ds = await createAugmentedDataset({ vocRoot: VOC, sbdRoot: SBD });
    expect(ds.entries.map((e) => [e.id, e.source])).toEqual([
      ['2007_000063', 'voc'],
      ['2008_000051', 'sbd'],
      ['2008_000195', 'sbd'],
    ]);
    const labels: Record<string, number> = {};
    for await (const s of ds) labels[s.id] = s.label.data.filter((v) => v === 255).length;
    expect(labels).toEqual({ '2007_000063': 8714, '2008_000051': 0, '2008_000195': 0 });
  });
});
