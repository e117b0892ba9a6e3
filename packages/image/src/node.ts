/**
 * Node-only image I/O (sharp and the file system), kept out of the main entry so that the rest of the package runs
 * in a browser. Import from `@deconvnet/image/node`.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { type DecodedLabelPng, decodeLabelPng, encodeLabelPng } from './label-png.js';
import { type Palette, VOC_PALETTE } from './palette.js';
import { decodePpm } from './ppm.js';
import { assertRgbImage, ImageError, type LabelMap, type RgbImage } from './types.js';

/** Default limit on decoded pixels (100 megapixels): guards against decompression bombs. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export interface DecodeOptions {
  /** Reject images with more pixels than this (default {@link DEFAULT_MAX_PIXELS}). */
  maxPixels?: number;
  /** Composite transparent images over this colour; by default alpha is simply dropped (as PIL's convert('RGB')). */
  alphaBackground?: readonly [number, number, number];
}

/**
 * Decodes JPEG / PNG / WebP (and whatever else libvips reads) to 8-bit RGB: EXIF orientation applied, grayscale
 * expanded, CMYK and 16-bit converted to 8-bit sRGB, alpha dropped or flattened. `name` labels errors.
 */
export async function decodeImage(bytes: Uint8Array, name = 'image', options: DecodeOptions = {}): Promise<RgbImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x36)
    return checkLimit(decodePpm(bytes, name), name, maxPixels);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new ImageError(name, describeSharpError(e), { cause: e });
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!(w > 0 && h > 0)) throw new ImageError(name, 'image has no size (corrupt header?)');
  if (w * h > maxPixels)
    throw new ImageError(name, `image is ${w}×${h} = ${w * h} pixels, over the limit of ${maxPixels}`);
  try {
    let pipe = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'truncated' }).rotate();
    if (options.alphaBackground) {
      const [r, g, b] = options.alphaBackground;
      pipe = pipe.flatten({ background: { r, g, b } });
    } else {
      pipe = pipe.removeAlpha();
    }
    const { data, info } = await pipe
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoder produced ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new ImageError(name, describeSharpError(e), { cause: e });
  }
}

function checkLimit(img: RgbImage, name: string, maxPixels: number): RgbImage {
  if (img.width * img.height > maxPixels)
    throw new ImageError(name, `image is ${img.width}×${img.height}, over the limit of ${maxPixels} pixels`);
  return img;
}

function describeSharpError(e: unknown): string {
  const msg = (e as Error)?.message ?? String(e);
  if (/unsupported image format/i.test(msg)) return 'unsupported or unrecognised image format';
  if (/premature end|truncated|corrupt|VipsJpeg|pngload|webpload|Invalid|bad/i.test(msg))
    return `corrupt or truncated image (${msg.split('\n')[0]})`;
  return `cannot decode image (${msg.split('\n')[0]})`;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageError(path, code === 'ENOENT' ? 'file not found' : `cannot read file (${(e as Error).message})`, {
      cause: e,
    });
  }
}

/** Reads and decodes an image file to RGB; errors name the file. */
export async function readImage(path: string, options: DecodeOptions = {}): Promise<RgbImage> {
  return decodeImage(await readBytes(path), path, options);
}

/** Reads a palette or 8-bit grayscale label PNG as raw indices; errors name the file. */
export async function readLabelPng(path: string): Promise<DecodedLabelPng> {
  return decodeLabelPng(await readBytes(path), path);
}

/**
 * Writes bytes so that readers never see a partial file: write a sibling temp file, then rename over the target
 * (atomic on POSIX file systems). The temp file is removed if anything fails.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw new ImageError(path, `cannot write file (${(e as Error).message})`, { cause: e });
  }
}

/** Writes a label map as a palette PNG with exact indices (VOC palette by default), atomically. */
export async function writeLabelPng(path: string, label: LabelMap, palette: Palette = VOC_PALETTE): Promise<void> {
  await writeFileAtomic(path, encodeLabelPng(label, palette));
}

export type ImageFormat = 'png' | 'jpeg';

/** Encodes RGB as PNG or JPEG (quality 1–100, default 90). */
export async function encodeImage(image: RgbImage, format: ImageFormat = 'png', quality = 90): Promise<Uint8Array> {
  assertRgbImage(image);
  const pipe = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  const buf = format === 'jpeg' ? await pipe.jpeg({ quality }).toBuffer() : await pipe.png().toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Writes RGB to `path` atomically; the format follows the extension (.png, .jpg/.jpeg) unless given. */
export async function writeImage(path: string, image: RgbImage, format?: ImageFormat, quality?: number): Promise<void> {
  const fmt = format ?? (/\.jpe?g$/i.test(path) ? 'jpeg' : /\.png$/i.test(path) ? 'png' : undefined);
  if (!fmt)
    throw new ImageError(
      path,
      'cannot tell the image format from the extension (use .png, .jpg or .jpeg, or pass a format)',
    );
  await writeFileAtomic(path, await encodeImage(image, fmt, quality));
}
