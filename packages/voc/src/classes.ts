import { ImageError } from '@deconvnet/image';

export { type Palette, VOC_PALETTE, VOID } from '@deconvnet/image';

/** The 21 PASCAL VOC segmentation classes in label-index order: 0 = background, 1..20 the object classes. */
export const VOC_CLASSES = [
  'background',
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
] as const;

export type VocClassName = (typeof VOC_CLASSES)[number];

/** Number of label classes including background (21). */
export const NUM_VOC_CLASSES = VOC_CLASSES.length;

const INDEX = new Map<string, number>(VOC_CLASSES.map((n, i) => [n, i]));

/** The label index of a class name (case-insensitive, surrounding spaces ignored), or -1 when unknown. */
export function vocClassIndex(name: string): number {
  return INDEX.get(name.trim().toLowerCase()) ?? -1;
}

/** Like {@link vocClassIndex} but throws an error naming `source` for an unknown class. */
export function requireVocClassIndex(name: string, source: string): number {
  const i = vocClassIndex(name);
  if (i <= 0)
    throw new ImageError(source, `unknown VOC class "${name}" (expected one of ${VOC_CLASSES.slice(1).join(', ')})`);
  return i;
}
