import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSameSize, ImageError, type LabelMap } from '@deconvnet/image';
import { readImage } from '@deconvnet/image/node';
import { NUM_VOC_CLASSES } from './classes.js';
import { assertSafeId, readSplitFile, safeJoin } from './ids.js';
import { extractInstances } from './instances.js';
import { matGet, matLabelMap, matNumbers, readMat } from './mat.js';
import type { LoadOptions, SegmentationSample } from './sample.js';

/**
 * Finds the SBD `dataset` folder (holding img/, cls/, inst/) from itself, its parent `benchmark_RELEASE`, or a
 * folder holding benchmark_RELEASE/. Throws naming `dir` when none fits.
 */
export async function resolveSbdRoot(dir: string): Promise<string> {
  for (const cand of [dir, join(dir, 'dataset'), join(dir, 'benchmark_RELEASE', 'dataset')]) {
    try {
      await access(join(cand, 'cls'));
      return cand;
    } catch {}
  }
  throw new ImageError(dir, 'not an SBD dataset folder: no cls/ here, in dataset/ or in benchmark_RELEASE/dataset/');
}

/** Reads `<root>/<split>.txt` (SBD: train, val). */
export async function readSbdSplit(
  root: string,
  split: string,
  onBad?: (error: ImageError) => void,
): Promise<string[]> {
  assertSafeId(split, 'split name');
  const path = join(root, `${split}.txt`);
  return readSplitFile(path, onBad);
}

export function sbdPaths(root: string, id: string) {
  const src = `image id "${id}"`;
  return {
    image: safeJoin(root, 'img', id, '.jpg', src),
    cls: safeJoin(root, 'cls', id, '.mat', src),
    inst: safeJoin(root, 'inst', id, '.mat', src),
  };
}

async function readMatFile(path: string) {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageError(path, code === 'ENOENT' ? 'file not found' : `cannot read file (${(e as Error).message})`, {
      cause: e,
    });
  }
  return readMat(bytes, path);
}

/** Reads `GTcls.Segmentation` of cls/<id>.mat as a LabelMap (0..20; SBD has no void band). */
export async function readSbdClassLabel(root: string, id: string): Promise<LabelMap> {
  const path = sbdPaths(root, id).cls;
  const label = matLabelMap(matGet(await readMatFile(path), 'GTcls.Segmentation', path), path);
  for (let i = 0; i < label.data.length; i++) {
    if (label.data[i]! >= NUM_VOC_CLASSES)
      throw new ImageError(path, `GTcls.Segmentation has value ${label.data[i]}, not a VOC class (0–20)`);
  }
  return label;
}

/** Reads inst/<id>.mat: the instance map `GTinst.Segmentation` and the class of each instance `GTinst.Categories`. */
export async function readSbdInstances(root: string, id: string): Promise<{ objects: LabelMap; categories: number[] }> {
  const path = sbdPaths(root, id).inst;
  const mat = await readMatFile(path);
  const objects = matLabelMap(matGet(mat, 'GTinst.Segmentation', path), path);
  const categories = matNumbers(matGet(mat, 'GTinst.Categories', path), path);
  for (const c of categories) {
    if (!(Number.isInteger(c) && c >= 1 && c < NUM_VOC_CLASSES))
      throw new ImageError(path, `GTinst.Categories has ${c}, not a VOC class (1–20)`);
  }
  for (let i = 0; i < objects.data.length; i++) {
    const v = objects.data[i]!;
    if (v > categories.length)
      throw new ImageError(
        path,
        `GTinst.Segmentation has instance ${v} but GTinst.Categories lists only ${categories.length}`,
      );
  }
  return { objects, categories };
}

/** Loads one SBD image with its class labels (and instances on request); errors name the file at fault. */
export async function loadSbdSample(root: string, id: string, options: LoadOptions = {}): Promise<SegmentationSample> {
  const paths = sbdPaths(root, id);
  const [image, label] = await Promise.all([readImage(paths.image), readSbdClassLabel(root, id)]);
  assertSameSize(image, label, `${paths.cls} (vs ${paths.image})`);
  const sample: SegmentationSample = { id, source: 'sbd', imagePath: paths.image, image, label };
  let wantInstances = !!options.instances;
  if (options.instances === 'if-present') {
    try {
      await access(paths.inst);
    } catch {
      wantInstances = false;
    }
  }
  if (wantInstances) {
    const { objects, categories } = await readSbdInstances(root, id);
    assertSameSize(image, objects, `${paths.inst} (vs ${paths.image})`);
    sample.instances = extractInstances(objects, (k) => categories[k - 1] ?? 0, paths.inst);
  }
  return sample;
}
