import { createRgbImage, ImageError, type RgbImage } from './types.js';

/** Decodes a binary PPM (P6, maxval ≤ 255), the format of the dense-CRF reference examples. */
export function decodePpm(bytes: Uint8Array, name = 'PPM'): RgbImage {
  let pos = 0;
  const token = (): string => {
    // Skip whitespace and # comments between header fields.
    for (;;) {
      while (pos < bytes.length && /\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
      if (bytes[pos] === 0x23) {
        while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      } else break;
    }
    const start = pos;
    while (pos < bytes.length && !/\s/.test(String.fromCharCode(bytes[pos]!))) pos++;
    return String.fromCharCode(...bytes.subarray(start, pos));
  };
  const magic = token();
  if (magic !== 'P6') throw new ImageError(name, `not a binary PPM (magic ${JSON.stringify(magic)}, expected "P6")`);
  const width = Number(token());
  const height = Number(token());
  const maxval = Number(token());
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new ImageError(name, 'bad PPM size');
  if (maxval !== 255) throw new ImageError(name, `unsupported PPM maxval ${maxval} (only 255)`);
  pos++; // the single whitespace byte after maxval
  const n = width * height * 3;
  if (bytes.length - pos < n) throw new ImageError(name, `truncated PPM: ${bytes.length - pos} of ${n} pixel bytes`);
  const img = createRgbImage(width, height);
  img.data.set(bytes.subarray(pos, pos + n));
  return img;
}

/** Encodes an RgbImage as binary PPM (P6). */
export function encodePpm(image: RgbImage): Uint8Array {
  const header = new TextEncoder().encode(`P6\n${image.width} ${image.height}\n255\n`);
  const out = new Uint8Array(header.length + image.data.length);
  out.set(header);
  out.set(image.data, header.length);
  return out;
}
