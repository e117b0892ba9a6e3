/** An RGB palette: `palette[i] = [r, g, b]`. */
export type Palette = ReadonlyArray<readonly [number, number, number]>;

/**
 * The PASCAL VOC colormap (devkit `labelcolormap.m`): the bits of the label index are spread over the high bits of
 * R, G and B. Index 1 = (128,0,0), 15 = (192,128,128), 255 = (224,224,192).
 */
export function vocPalette(size = 256): Palette {
  const out: [number, number, number][] = [];
  for (let i = 0; i < size; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let c = i;
    for (let j = 7; j >= 0; j--) {
      r |= (c & 1) << j;
      g |= ((c >> 1) & 1) << j;
      b |= ((c >> 2) & 1) << j;
      c >>= 3;
    }
    out.push([r, g, b]);
  }
  return out;
}

/** The default palette of every label writer and renderer. */
export const VOC_PALETTE: Palette = vocPalette(256);
