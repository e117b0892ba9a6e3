import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures.test-util.js';
import { decodeLabelPng, encodeLabelPng } from './label-png.js';
import { decodeImage, readImage, readLabelPng, writeFileAtomic, writeImage, writeLabelPng } from './node.js';
import { VOC_PALETTE } from './palette.js';
import { decodePpm, encodePpm } from './ppm.js';
import { ImageError, type LabelMap } from './types.js';

const VOC = 'voc-mini/VOC2012';

function counts(data: Uint8Array): Record<number, number> {
  const c: Record<number, number> = {};
  for (const v of data) c[v] = (c[v] ?? 0) + 1;
  return c;
}

describe('real VOC fixtures', () => {
  it('decodes SegmentationClass/2007_000063.png to the README pixel counts', async () => {
    const l = await readLabelPng(fixture(`${VOC}/SegmentationClass/2007_000063.png`));
    expect([l.width, l.height]).toEqual([500, 375]);
    expect(counts(l.data)).toEqual({ 0: 72224, 9: 78930, 12: 27632, 255: 8714 });
    // The file's palette is the VOC colormap we generate.
    expect(l.palette?.[1]).toEqual([128, 0, 0]);
    expect(l.palette?.[15]).toEqual([192, 128, 128]);
    expect(l.palette?.[255]).toEqual([224, 224, 192]);
    for (let i = 0; i < 256; i++) expect(l.palette?.[i]).toEqual(VOC_PALETTE[i]);
  });

  it('decodes the instance PNG and the portrait label', async () => {
    const o = await readLabelPng(fixture(`${VOC}/SegmentationObject/2007_000063.png`));
    expect(counts(o.data)).toEqual({ 0: 72224, 1: 27632, 2: 78930, 255: 8714 });
    const p = await readLabelPng(fixture(`${VOC}/SegmentationClass/2007_000129.png`));
    expect([p.width, p.height]).toEqual([334, 500]);
    expect(counts(p.data)).toEqual({ 0: 54389, 2: 34183, 15: 61143, 255: 17285 });
  });

  it('decodes the JPEG photos at their label sizes', async () => {
    const a = await readImage(fixture(`${VOC}/JPEGImages/2007_000063.jpg`));
    expect([a.width, a.height, a.data.length]).toEqual([500, 375, 500 * 375 * 3]);
    const b = await readImage(fixture(`${VOC}/JPEGImages/2007_000129.jpg`));
    expect([b.width, b.height]).toEqual([334, 500]);
    const c = await readImage(fixture(`${VOC}/JPEGImages/2011_003353.jpg`));
    expect([c.width, c.height]).toEqual([375, 500]);
    // A real photo is not flat: the channels carry different content.
    let diff = 0;
    for (let i = 0; i < a.data.length; i += 3) diff += Math.abs(a.data[i]! - a.data[i + 2]!);
    expect(diff / (a.width * a.height)).toBeGreaterThan(5);
  });

  it('decodes the dense-CRF example PPMs', async () => {
    const im = decodePpm(new Uint8Array(await readFile(fixture('densecrf/im1.ppm'))));
    expect([im.width, im.height]).toEqual([320, 240]);
    const back = decodePpm(encodePpm(im));
    expect(Buffer.compare(back.data, im.data)).toBe(0);
  });
});

describe('label PNG codec', () => {
  it('round-trips every index 0–255 exactly through a palette PNG', () => {
    const label: LabelMap = { width: 16, height: 16, data: new Uint8Array(256).map((_, i) => i) };
    const back = decodeLabelPng(encodeLabelPng(label));
    expect(back.data).toEqual(label.data);
    expect(back.palette?.length).toBe(256);
  });

  it('reads an 8-bit grayscale label PNG as indices', async () => {
    const data = new Uint8Array([0, 1, 2, 255, 15, 20]);
    const png = await sharp(Buffer.from(data), { raw: { width: 3, height: 2, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const l = decodeLabelPng(new Uint8Array(png));
    expect(l.palette).toBeNull();
    expect(Array.from(l.data)).toEqual(Array.from(data));
  });

  it('rejects RGB and 16-bit PNGs as labels, naming the file', async () => {
    const rgb = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    expect(() => decodeLabelPng(new Uint8Array(rgb), 'x/rgb.png')).toThrow(
      /x\/rgb\.png: a label PNG must be palette or 8-bit grayscale/,
    );
    const g16 = await sharp(new Uint16Array(16).fill(300), { raw: { width: 4, height: 4, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    expect(() => decodeLabelPng(new Uint8Array(g16), 'g16.png')).toThrow(ImageError);
  });

  it('rejects truncated and non-PNG bytes', async () => {
    const good = encodeLabelPng({ width: 20, height: 20, data: new Uint8Array(400).fill(3) });
    expect(() => decodeLabelPng(good.subarray(0, good.length - 20), 'cut.png')).toThrow(
      /cut\.png: corrupt or truncated/,
    );
    expect(() => decodeLabelPng(new Uint8Array([1, 2, 3]), 'junk.png')).toThrow(/junk\.png: not a PNG/);
  });
});

describe('decodeImage', () => {
  const grad = (w: number, h: number) => {
    const d = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.set([x * 10, y * 20, 77], (y * w + x) * 3);
    return d;
  };

  it('expands grayscale and drops or flattens alpha', async () => {
    const gray = await sharp(Buffer.from([10, 200, 30, 40]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toBuffer();
    const g = await decodeImage(gray, 'gray.png');
    expect(Array.from(g.data)).toEqual([10, 10, 10, 200, 200, 200, 30, 30, 30, 40, 40, 40]);
    const rgba = await sharp(Buffer.from([255, 0, 0, 0, 0, 255, 0, 255]), { raw: { width: 2, height: 1, channels: 4 } })
      .png()
      .toBuffer();
    expect(Array.from((await decodeImage(rgba)).data)).toEqual([255, 0, 0, 0, 255, 0]);
    const flat = await decodeImage(rgba, 'a.png', { alphaBackground: [0, 0, 255] });
    expect(Array.from(flat.data)).toEqual([0, 0, 255, 0, 255, 0]);
  });

  it('converts 16-bit PNG to 8 bits', async () => {
    const v = new Uint16Array([0, 65535, 257 * 100, 0, 0, 65535]);
    const png = await sharp(v, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(png).metadata()).depth).toBe('ushort');
    expect(Array.from((await decodeImage(png)).data)).toEqual([0, 255, 100, 0, 0, 255]);
  });

  it('applies EXIF orientation (6 = rotate 90° clockwise)', async () => {
    const w = 6;
    const h = 4;
    const src = grad(w, h);
    const jpg = await sharp(Buffer.from(src), { raw: { width: w, height: h, channels: 3 } })
      .png()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const img = await decodeImage(jpg);
    expect([img.width, img.height]).toEqual([h, w]);
    // Rotating clockwise maps source (x, y) to (h−1−y, x).
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = (x * h + (h - 1 - y)) * 3;
        expect([img.data[o], img.data[o + 1]]).toEqual([src[(y * w + x) * 3], src[(y * w + x) * 3 + 1]]);
      }
    }
  });

  it('converts CMYK JPEG and decodes WebP', async () => {
    const red = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 220, g: 30, b: 30 } } })
      .toColourspace('cmyk')
      .jpeg({ quality: 95 })
      .toBuffer();
    expect((await sharp(red).metadata()).space).toBe('cmyk');
    const r = await decodeImage(red);
    expect(r.data[0]).toBeGreaterThan(150);
    expect(r.data[1]).toBeLessThan(90);
    const webp = await sharp(Buffer.from(grad(5, 5)), { raw: { width: 5, height: 5, channels: 3 } })
      .webp({ lossless: true })
      .toBuffer();
    expect((await decodeImage(webp)).data).toEqual(grad(5, 5));
  });

  it('names the file for truncated, unsupported, oversized and missing inputs', async () => {
    const bytes = new Uint8Array(await readFile(fixture(`${VOC}/JPEGImages/2007_000063.jpg`)));
    await expect(decodeImage(bytes.subarray(0, 4000), 'cut.jpg')).rejects.toThrow(/cut\.jpg: corrupt or truncated/);
    await expect(decodeImage(new Uint8Array(64).fill(7), 'noise.bin')).rejects.toThrow(/noise\.bin: unsupported/);
    await expect(decodeImage(bytes, 'big.jpg', { maxPixels: 1000 })).rejects.toThrow(
      /big\.jpg: image is 500×375 = 187500 pixels, over the limit of 1000/,
    );
    await expect(readImage('/nonexistent/x.jpg')).rejects.toThrow(/\/nonexistent\/x\.jpg: file not found/);
  });
});

describe('writers', () => {
  it('writes label PNGs and images atomically and they read back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'img-'));
    const label: LabelMap = {
      width: 5,
      height: 3,
      data: new Uint8Array([0, 1, 2, 3, 255, 9, 9, 9, 9, 9, 20, 20, 0, 0, 0]),
    };
    await writeLabelPng(join(dir, 'l.png'), label);
    expect((await readLabelPng(join(dir, 'l.png'))).data).toEqual(label.data);
    const img = { width: 2, height: 2, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) };
    await writeImage(join(dir, 'i.png'), img);
    expect((await readImage(join(dir, 'i.png'))).data).toEqual(img.data);
    await writeImage(join(dir, 'i.jpg'), img);
    expect((await readImage(join(dir, 'i.jpg'))).width).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['i.jpg', 'i.png', 'l.png']);
    await expect(writeImage(join(dir, 'i.bmp'), img)).rejects.toThrow(/i\.bmp: cannot tell the image format/);
  });

  it('leaves no partial or temp file when a write fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'img-'));
    await writeFile(join(dir, 'keep.txt'), 'old');
    await expect(writeFileAtomic(join(dir, 'missing', 'x.png'), new Uint8Array(3))).rejects.toThrow(
      /missing\/x\.png: cannot write/,
    );
    expect(await readdir(dir)).toEqual(['keep.txt']);
    await writeFileAtomic(join(dir, 'keep.txt'), 'new');
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });
});
