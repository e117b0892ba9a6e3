import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVocDataset } from '../dataset.js';
import { createRng } from '../random.js';
import type { SegmentationSample } from '../sample.js';
import { artMaster, warpArt } from './art-cache.js';
import { CLASS_ART, DISTRACTOR_CODEPOINTS, loadEmojiBodies } from './catalog.js';
import { generateSyntheticScene, generateSyntheticVoc } from './generate.js';
import { cropToAlpha, keepLargestComponent, posedSvg, renderSvg, type Sprite } from './sprite.js';
import { diningTableSvgBody } from './table.js';
import { voidBand } from './void-band.js';

let tmp: string;
const W = 96;
const H = 72;
const BAND = 2;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'voc-synth-'));
  await generateSyntheticVoc({ out: join(tmp, 'a'), train: 6, val: 3, width: W, height: H, seed: 11, voidBand: BAND });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

describe('generateSyntheticVoc output, re-read by the VOC loaders', () => {
  let samples: SegmentationSample[];
  beforeAll(async () => {
    const ds = await createVocDataset({ root: join(tmp, 'a'), split: 'trainval', instances: true, annotation: true });
    samples = [];
    for await (const s of ds) samples.push(s);
  });

  it('writes the full VOC layout with train/val/trainval splits', () => {
    const files = listFiles(join(tmp, 'a'));
    expect(files.filter((f) => f.startsWith('JPEGImages/'))).toHaveLength(9);
    expect(files.filter((f) => f.startsWith('SegmentationClass/'))).toHaveLength(9);
    expect(files.filter((f) => f.startsWith('SegmentationObject/'))).toHaveLength(9);
    expect(files.filter((f) => f.startsWith('Annotations/'))).toHaveLength(9);
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
    const split = (n: string) =>
      readFileSync(join(tmp, 'a', 'ImageSets', 'Segmentation', `${n}.txt`), 'utf8')
        .trim()
        .split('\n');
    expect(split('train')).toHaveLength(6);
    expect(split('val')).toHaveLength(3);
    expect(split('trainval')).toEqual([...split('train'), ...split('val')]);
    expect(samples.map((s) => s.id)).toEqual(split('trainval'));
  });

  it('has 1–5 objects per image; object PNG ids are exactly the XML objects, with matching classes', () => {
    for (const s of samples) {
      const objs = s.annotation!.objects;
      expect(objs.length).toBeGreaterThanOrEqual(1);
      expect(objs.length).toBeLessThanOrEqual(5);
      expect(s.instances!.map((i) => i.id)).toEqual(objs.map((_, k) => k + 1));
      expect(s.instances!.map((i) => i.classIndex)).toEqual(objs.map((o) => o.classIndex));
      expect([s.annotation!.width, s.annotation!.height]).toEqual([W, H]);
    }
  });

  it('class and object maps agree pixel by pixel: same void band, class = class of the instance', () => {
    for (const s of samples) {
      const cls = s.label.data;
      const byId = new Map(s.instances!.map((i) => [i.id, i.classIndex]));
      const inst = new Uint8Array(cls.length);
      for (const i of s.instances!) for (let p = 0; p < cls.length; p++) if (i.mask.data[p]) inst[p] = i.id;
      let bad = 0;
      let voids = 0;
      for (let p = 0; p < cls.length; p++) {
        if (cls[p] === 255) {
          voids++;
          if (inst[p]) bad++;
        } else if (cls[p] !== (inst[p] ? byId.get(inst[p]!) : 0)) bad++;
      }
      expect(bad).toBe(0);
      expect(voids).toBeGreaterThan(0);
    }
  });

  it('XML boxes are the tight boxes of the masks before the void band', () => {
    for (const s of samples) {
      for (const inst of s.instances!) {
        const xml = s.annotation!.objects[inst.id - 1]!;
        const b = inst.box; // tight box of the non-void pixels
        // non-void pixels lie inside the XML box …
        expect(b.x).toBeGreaterThanOrEqual(xml.box.x);
        expect(b.y).toBeGreaterThanOrEqual(xml.box.y);
        expect(b.x + b.width).toBeLessThanOrEqual(xml.box.x + xml.box.width);
        expect(b.y + b.height).toBeLessThanOrEqual(xml.box.y + xml.box.height);
        // … and each XML box edge touches the object's pre-band mask: on every edge line there is a pixel that is
        // this instance or void (thin parts can be swallowed whole by the band, as in VOC)
        const x0 = xml.box.x;
        const y0 = xml.box.y;
        const x1 = x0 + xml.box.width - 1;
        const y1 = y0 + xml.box.height - 1;
        const touches = (xa: number, xb: number, ya: number, yb: number) => {
          for (let y = ya; y <= yb; y++)
            for (let x = xa; x <= xb; x++)
              if (inst.mask.data[y * W + x] || s.label.data[y * W + x] === 255) return true;
          return false;
        };
        expect(
          touches(x0, x0, y0, y1) && touches(x1, x1, y0, y1) && touches(x0, x1, y0, y0) && touches(x0, x1, y1, y1),
        ).toBe(true);
        expect(Number.isInteger(xml.bndbox.xmin) && xml.bndbox.xmin >= 1 && xml.bndbox.xmax <= W).toBe(true);
      }
    }
  });

  it('the void band has the documented width: a non-void pixel sees only its own region or void within BAND', () => {
    for (const s of samples) {
      const region = new Uint8Array(s.label.data.length);
      for (const i of s.instances!) for (let p = 0; p < region.length; p++) if (i.mask.data[p]) region[p] = i.id;
      for (let p = 0; p < region.length; p++) if (s.label.data[p] === 255) region[p] = 255;
      let violations = 0;
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const v = region[y * W + x]!;
          if (v === 255) continue;
          for (let dy = -BAND; dy <= BAND; dy++) {
            for (let dx = -BAND; dx <= BAND; dx++) {
              const xx = x + dx;
              const yy = y + dy;
              if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
              const u = region[yy * W + xx]!;
              if (u !== 255 && u !== v) violations++;
            }
          }
        }
      }
      expect(violations).toBe(0);
    }
  });

  it('is deterministic by seed: same seed → identical files, other seed → different images', async () => {
    await generateSyntheticVoc({
      out: join(tmp, 'b'),
      train: 6,
      val: 3,
      width: W,
      height: H,
      seed: 11,
      voidBand: BAND,
      concurrency: 3,
    });
    await generateSyntheticVoc({
      out: join(tmp, 'c'),
      train: 2,
      val: 0,
      width: W,
      height: H,
      seed: 12,
      voidBand: BAND,
    });
    const files = listFiles(join(tmp, 'a'));
    expect(listFiles(join(tmp, 'b'))).toEqual(files);
    for (const f of files)
      expect(readFileSync(join(tmp, 'b', f)).equals(readFileSync(join(tmp, 'a', f))), f).toBe(true);
    const first = 'JPEGImages/synth_train_000000.jpg';
    expect(readFileSync(join(tmp, 'c', first)).equals(readFileSync(join(tmp, 'a', first)))).toBe(false);
  });

  it('refuses a non-empty output folder unless forced, and validates options', async () => {
    const out = join(tmp, 'full');
    await generateSyntheticVoc({ out, train: 0, val: 0, width: 32, height: 32 });
    writeFileSync(join(out, 'other.txt'), 'x');
    await expect(generateSyntheticVoc({ out, train: 1, val: 0, width: 32, height: 32 })).rejects.toThrow(
      /output folder is not empty/,
    );
    await expect(generateSyntheticVoc({ out: join(tmp, 'x'), width: 8, height: 32 })).rejects.toThrow(
      /size: must be integers in 16\.\.4096/,
    );
    await expect(generateSyntheticVoc({ out: join(tmp, 'x'), train: -1 })).rejects.toThrow(
      /train: must be a non-negative integer/,
    );
    await expect(generateSyntheticVoc({ out: join(tmp, 'x'), classes: [21] })).rejects.toThrow(
      /classes: class indices must be 1\.\.20/,
    );
  });
});

describe('scenes in memory', () => {
  it('object sizes span small to large fractions of the image side', async () => {
    const fractions: number[] = [];
    for (let k = 0; k < 16; k++) {
      const sc = await generateSyntheticScene({ width: 160, height: 120, seed: 5, index: k, voidBand: 1 });
      for (const o of sc.objects) fractions.push(Math.max(o.x1 - o.x0 + 1, o.y1 - o.y0 + 1) / 120);
    }
    expect(Math.min(...fractions)).toBeLessThan(0.15);
    expect(Math.max(...fractions)).toBeGreaterThan(0.55);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1.34); // 0.9 of the short side, stretched/rotated, ≤ long side
  });

  it('`classes` restricts the objects; diningtable is the procedural drawing', async () => {
    let n = 0;
    for (let k = 0; k < 3; k++) {
      const sc = await generateSyntheticScene({ width: 96, height: 72, seed: 8, index: k, classes: [11] });
      for (const o of sc.objects) {
        expect([o.className, o.art]).toEqual(['diningtable', 'procedural-table']);
        n++;
      }
      expect(sc.classLabel.data.every((v) => v === 0 || v === 11 || v === 255)).toBe(true);
    }
    expect(n).toBeGreaterThan(0);
  });

  it('distractors and clutter are background: a scene with no objects is labelled all 0 but is not blank', async () => {
    const sc = await generateSyntheticScene({
      width: 64,
      height: 48,
      seed: 2,
      minObjects: 0,
      maxObjects: 0,
      maxDistractors: 4,
    });
    expect(sc.objects).toEqual([]);
    expect(sc.classLabel.data.every((v) => v === 0)).toBe(true);
    expect(sc.objectLabel.data.every((v) => v === 0)).toBe(true);
    let mean = 0;
    for (const v of sc.image.data) mean += v / sc.image.data.length;
    let varc = 0;
    for (const v of sc.image.data) varc += (v - mean) ** 2 / sc.image.data.length;
    expect(Math.sqrt(varc)).toBeGreaterThan(5);
  });

  it('every class and distractor codepoint exists in @iconify-json/noto and renders; the table renders', async () => {
    const bodies = await loadEmojiBodies();
    const all = [...CLASS_ART.flatMap((a) => a.codepoints), ...DISTRACTOR_CODEPOINTS];
    for (const cp of all) {
      const s = cropToAlpha(await renderSvg(posedSvg(bodies.get(cp)!, { size: 24 })));
      expect(s, cp).not.toBeNull();
    }
    const rng = createRng(1);
    for (let k = 0; k < 5; k++) {
      const t = cropToAlpha(await renderSvg(posedSvg(diningTableSvgBody(rng), { size: 64 })));
      expect(t!.width).toBeGreaterThan(t!.height * 0.8); // wider than tall-ish: a table, not a pole
    }
  });
});

describe('sprite helpers', () => {
  it('warpArt scales, rotates and flips cached art with the expected geometry', async () => {
    // a 64-unit square with a marker in its top-left quarter, inside the 128-unit art box
    const body =
      '<rect x="32" y="32" width="64" height="64" fill="#0000ff"/><rect x="32" y="32" width="32" height="32" fill="#ff0000"/>';
    const master = await artMaster('test-square', body);
    expect(master.bounds).toEqual([96, 96, 288, 288]);
    const opaque = (s: Sprite) => {
      let n = 0;
      for (let i = 3; i < s.rgba.length; i += 4) if (s.rgba[i]! >= 128) n++;
      return n;
    };
    const red = (s: Sprite, x: number, y: number) =>
      s.rgba[(y * s.width + x) * 4]! > 128 && s.rgba[(y * s.width + x) * 4 + 2]! < 128;
    const plain = cropToAlpha(warpArt(master, { longSide: 40, rotation: 0, scaleX: 1, scaleY: 1, flip: false })!)!;
    expect([plain.width, plain.height]).toEqual([40, 40]);
    expect(opaque(plain)).toBe(1600);
    expect(red(plain, 5, 5) && !red(plain, 34, 5)).toBe(true);
    const flipped = cropToAlpha(warpArt(master, { longSide: 40, rotation: 0, scaleX: 1, scaleY: 1, flip: true })!)!;
    expect(red(flipped, 34, 5) && !red(flipped, 5, 5)).toBe(true);
    const turned = cropToAlpha(warpArt(master, { longSide: 40, rotation: 90, scaleX: 1, scaleY: 1, flip: false })!)!;
    expect(Math.abs(opaque(turned) - 1600)).toBeLessThanOrEqual(80);
    expect(red(turned, turned.width - 6, 5)).toBe(true); // clockwise: the top-left marker goes top-right
    const diamond = cropToAlpha(warpArt(master, { longSide: 40, rotation: 45, scaleX: 1, scaleY: 1, flip: false })!)!;
    expect(Math.abs(diamond.width - 40 * Math.SQRT2)).toBeLessThanOrEqual(2);
    expect(Math.abs(opaque(diamond) - 1600) / 1600).toBeLessThan(0.05);
    // strong minification (mip level) with stretch: the opaque (mask) extent is 9×6
    const small = warpArt(master, { longSide: 6, rotation: 0, scaleX: 1.5, scaleY: 1, flip: false })!;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < small.width * small.height; i++) {
      if (small.rgba[i * 4 + 3]! >= 128) {
        xs.push(i % small.width);
        ys.push(Math.floor(i / small.width));
      }
    }
    expect([Math.max(...xs) - Math.min(...xs) + 1, Math.max(...ys) - Math.min(...ys) + 1]).toEqual([9, 6]);
  });

  it('renders an axis-aligned square with exact alpha (the mask rule alpha ≥ 128 gives its area)', async () => {
    const s = await renderSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect x="3" y="2" width="5" height="4" fill="#f00"/></svg>',
    );
    let opaque = 0;
    let partial = 0;
    for (let i = 3; i < s.rgba.length; i += 4) {
      if (s.rgba[i]! >= 128) opaque++;
      else if (s.rgba[i]! > 0) partial++;
    }
    expect([opaque, partial]).toEqual([20, 0]);
    expect(cropToAlpha(s)).toMatchObject({ width: 5, height: 4 });
  });

  it('keepLargestComponent keeps only the biggest 8-connected blob', () => {
    // 6×3: a 2-pixel blob, a diagonal-connected 3-pixel blob, a single pixel
    const a = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    const s: Sprite = { width: 6, height: 3, rgba: new Uint8Array(18 * 4) };
    a.forEach((v, i) => {
      s.rgba[i * 4 + 3] = v ? 200 : 0;
    });
    keepLargestComponent(s);
    const kept = Array.from({ length: 18 }, (_, i) => (s.rgba[i * 4 + 3]! > 0 ? 1 : 0));
    expect(kept).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('voidBand equals the brute-force definition on random maps', () => {
    const rng = createRng(9);
    for (const r of [0, 1, 2, 3]) {
      const w = 23;
      const h = 17;
      const data = new Uint8Array(w * h);
      for (let i = 0; i < data.length; i++) data[i] = rng() < 0.85 ? (i > 0 ? data[i - 1]! : 0) : Math.floor(rng() * 4);
      const band = voidBand({ width: w, height: h, data }, r);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let differs = 0;
          for (let dy = -r; dy <= r; dy++)
            for (let dx = -r; dx <= r; dx++) {
              const xx = x + dx;
              const yy = y + dy;
              if (xx >= 0 && yy >= 0 && xx < w && yy < h && data[yy * w + xx] !== data[y * w + x]) differs = 1;
            }
          expect(band[y * w + x]).toBe(differs);
        }
      }
    }
  });
});
