import { decode, encode } from 'fast-png';
import { type Palette, VOC_PALETTE } from './palette.js';
import { assertLabelMap, ImageError, type LabelMap } from './types.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface DecodedLabelPng extends LabelMap {
  /** The file's palette (RGB), or null for an 8-bit grayscale label PNG. */
  palette: Palette | null;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((v, i) => bytes[i] === v);
}

/**
 * Decodes a label PNG to its raw indices: a palette PNG (the VOC format; any bit depth ≤ 8) or an 8-bit grayscale
 * PNG ("SegmentationClassAug" style). Anything else — RGB, 16-bit, alpha — is rejected rather than guessed at, since
 * reading colours as labels silently corrupts the ground truth. `name` labels errors (usually the file path).
 */
export function decodeLabelPng(bytes: Uint8Array, name = 'label PNG'): DecodedLabelPng {
  if (!isPng(bytes)) throw new ImageError(name, 'not a PNG file (bad signature)');
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new ImageError(name, `corrupt or truncated PNG (${(e as Error).message})`, { cause: e });
  }
  const { width, height, depth, channels } = png;
  if (png.palette && channels === 1) {
    const data = unpack(png.data as Uint8Array, width, height, depth, name);
    const palette = png.palette.map((c) => [c[0] ?? 0, c[1] ?? 0, c[2] ?? 0] as const);
    return { width, height, data, palette };
  }
  if (channels === 1 && depth === 8) {
    return { width, height, data: new Uint8Array(png.data as Uint8Array), palette: null };
  }
  throw new ImageError(
    name,
    `a label PNG must be palette or 8-bit grayscale, got ${channels} channel(s) at ${depth} bits`,
  );
}

function unpack(src: Uint8Array, width: number, height: number, depth: number, name: string): Uint8Array {
  if (depth === 8) {
    if (src.length < width * height) throw new ImageError(name, 'truncated pixel data');
    return new Uint8Array(src.subarray(0, width * height));
  }
  if (depth !== 1 && depth !== 2 && depth !== 4) throw new ImageError(name, `unsupported palette bit depth ${depth}`);
  const out = new Uint8Array(width * height);
  const perByte = 8 / depth;
  const rowBytes = Math.ceil(width / perByte);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = src[y * rowBytes + Math.floor(x / perByte)]!;
      const shift = 8 - depth * ((x % perByte) + 1);
      out[y * width + x] = (byte >> shift) & mask;
    }
  }
  return out;
}

/** Encodes a label map as an 8-bit palette PNG whose pixel values are exactly the labels (default: VOC palette). */
export function encodeLabelPng(label: LabelMap, palette: Palette = VOC_PALETTE): Uint8Array {
  assertLabelMap(label);
  if (palette.length === 0 || palette.length > 256)
    throw new ImageError('encodeLabelPng', `palette must have 1–256 entries, got ${palette.length}`);
  let max = 0;
  for (let i = 0; i < label.data.length; i++) if (label.data[i]! > max) max = label.data[i]!;
  // PNG requires every index to have a palette entry: pad with black up to the largest index.
  const pal = palette.map((c) => [c[0], c[1], c[2]]);
  while (pal.length <= max) pal.push([0, 0, 0]);
  return encode({ width: label.width, height: label.height, data: label.data, depth: 8, channels: 1, palette: pal });
}
