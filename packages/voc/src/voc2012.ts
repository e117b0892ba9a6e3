import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSameSize, ImageError, type LabelMap } from '@deconvnet/image';
import { readImage, readLabelPng } from '@deconvnet/image/node';
import { parseVocAnnotation, type VocAnnotation } from './annotation.js';
import { NUM_VOC_CLASSES } from './classes.js';
import { assertSafeId, readSplitFile, safeJoin } from './ids.js';
import { extractInstances, instanceClassesFromLabels } from './instances.js';
import type { LoadOptions, SegmentationSample } from './sample.js';

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the VOC2012 folder (the one holding JPEGImages/ and ImageSets/) from either itself, its parent VOCdevkit
 * folder, or a folder holding VOCdevkit/. Throws naming `dir` when none of these fit.
 */
export async function resolveVocRoot(dir: string): Promise<string> {
  for (const cand of [dir, join(dir, 'VOC2012'), join(dir, 'VOCdevkit', 'VOC2012')]) {
    if (await exists(join(cand, 'JPEGImages'))) return cand;
  }
  throw new ImageError(dir, 'not a VOC2012 folder: no JPEGImages/ here, in VOC2012/ or in VOCdevkit/VOC2012/');
}

/** Reads ImageSets/Segmentation/<split>.txt under a VOC2012 root (see {@link resolveVocRoot}). */
export async function readVocSplit(
  root: string,
  split: string,
  onBad?: (error: ImageError) => void,
): Promise<string[]> {
  assertSafeId(split, 'split name');
  const path = join(root, 'ImageSets', 'Segmentation', `${split}.txt`);
  return readSplitFile(path, onBad);
}

/** Paths of the files of one VOC image. */
export function vocPaths(root: string, id: string) {
  const src = `image id "${id}"`;
  return {
    image: safeJoin(root, 'JPEGImages', id, '.jpg', src),
    classLabel: safeJoin(root, 'SegmentationClass', id, '.png', src),
    objectLabel: safeJoin(root, 'SegmentationObject', id, '.png', src),
    annotation: safeJoin(root, 'Annotations', id, '.xml', src),
  };
}

/** Reads and parses Annotations/<id>.xml. */
export async function readVocAnnotation(root: string, id: string): Promise<VocAnnotation> {
  const path = vocPaths(root, id).annotation;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageError(path, code === 'ENOENT' ? 'file not found' : `cannot read file (${(e as Error).message})`, {
      cause: e,
    });
  }
  return parseVocAnnotation(text, path);
}

function checkClassRange(label: LabelMap, path: string): void {
  for (let i = 0; i < label.data.length; i++) {
    const v = label.data[i]!;
    if (v >= NUM_VOC_CLASSES && v !== 255) {
      throw new ImageError(
        path,
        `label value ${v} at (${i % label.width}, ${Math.floor(i / label.width)}) is not a VOC class (0–20) or void (255)`,
      );
    }
  }
}

/**
 * Loads one VOC image with its SegmentationClass labels (and, on request, instances and XML). Every error names
 * the file at fault: missing file, undecodable image, label size ≠ image size, label values outside 0–20/255,
 * unknown class in the XML.
 */
export async function loadVocSample(root: string, id: string, options: LoadOptions = {}): Promise<SegmentationSample> {
  const paths = vocPaths(root, id);
  const [image, labelPng] = await Promise.all([readImage(paths.image), readLabelPng(paths.classLabel)]);
  const label: LabelMap = { width: labelPng.width, height: labelPng.height, data: labelPng.data };
  assertSameSize(image, label, `${paths.classLabel} (vs ${paths.image})`);
  checkClassRange(label, paths.classLabel);
  const sample: SegmentationSample = { id, source: 'voc', imagePath: paths.image, image, label };
  if (options.annotation || options.instances) {
    if (await exists(paths.annotation)) sample.annotation = await readVocAnnotation(root, id);
  }
  if (options.instances === 'if-present' && !(await exists(paths.objectLabel))) return sample;
  if (options.instances) {
    const obj = await readLabelPng(paths.objectLabel);
    const objects: LabelMap = { width: obj.width, height: obj.height, data: obj.data };
    assertSameSize(image, objects, `${paths.objectLabel} (vs ${paths.image})`);
    const instances = extractInstances(objects, instanceClassesFromLabels(objects, label), paths.objectLabel);
    const xml = sample.annotation?.objects;
    if (xml) {
      for (const inst of instances) {
        const o = xml[inst.id - 1];
        if (o) {
          inst.difficult = o.difficult;
          inst.truncated = o.truncated;
        }
      }
    }
    sample.instances = instances;
  }
  return sample;
}
