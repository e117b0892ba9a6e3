import { type Box, ImageError, type LabelMap, VOID } from '@deconvnet/image';
import { VOC_CLASSES } from './classes.js';

/** One object instance: its class, a full-image binary mask (1 = object) and the tight box around the mask. */
export interface Instance {
  /** The instance id in the object map (1-based; VOC: the XML object order, SBD: the GTinst order). */
  id: number;
  classIndex: number;
  className: string;
  /** Same size as the image; 1 on the instance's pixels, 0 elsewhere (void pixels are 0). */
  mask: LabelMap;
  /** Tight integral box around the mask in the continuous frame of `@deconvnet/image`. */
  box: Box;
  /** Number of mask pixels. */
  area: number;
  /** From the XML object with the same index, when there is one. */
  difficult?: boolean;
  truncated?: boolean;
}

/**
 * Splits an instance-id map into instances. `classOf(id)` gives each instance's class; ids 0 and 255 (void) are
 * not instances. Instances come out sorted by id; an id whose class is unknown (classOf returns ≤ 0) is an error
 * naming `source`.
 */
export function extractInstances(objects: LabelMap, classOf: (id: number) => number, source: string): Instance[] {
  const { width, height, data } = objects;
  const minX = new Int32Array(256).fill(width);
  const minY = new Int32Array(256).fill(height);
  const maxX = new Int32Array(256).fill(-1);
  const maxY = new Int32Array(256).fill(-1);
  const area = new Int32Array(256);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = data[row + x]!;
      if (v === 0 || v === VOID) continue;
      area[v]!++;
      if (x < minX[v]!) minX[v] = x;
      if (x > maxX[v]!) maxX[v] = x;
      if (y < minY[v]!) minY[v] = y;
      if (y > maxY[v]!) maxY[v] = y;
    }
  }
  const masks: (Uint8Array | undefined)[] = new Array(256);
  for (let id = 1; id < 255; id++) if (area[id]) masks[id] = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const m = masks[data[i]!];
    if (m) m[i] = 1;
  }
  const out: Instance[] = [];
  for (let id = 1; id < 255; id++) {
    if (!area[id]) continue;
    const classIndex = classOf(id);
    if (!(classIndex > 0 && classIndex < VOC_CLASSES.length)) {
      throw new ImageError(source, `instance ${id} has no valid class (got ${classIndex})`);
    }
    out.push({
      id,
      classIndex,
      className: VOC_CLASSES[classIndex]!,
      mask: { width, height, data: masks[id]! },
      box: { x: minX[id]!, y: minY[id]!, width: maxX[id]! - minX[id]! + 1, height: maxY[id]! - minY[id]! + 1 },
      area: area[id]!,
    });
  }
  return out;
}

/**
 * The class of each instance from a VOC SegmentationClass map: the most frequent non-void class under the
 * instance's pixels (they agree everywhere in the official data). Returns a lookup for {@link extractInstances}.
 */
export function instanceClassesFromLabels(objects: LabelMap, classes: LabelMap): (id: number) => number {
  const n = VOC_CLASSES.length;
  const votes = new Int32Array(256 * n);
  const o = objects.data;
  const c = classes.data;
  for (let i = 0; i < o.length; i++) {
    const id = o[i]!;
    const k = c[i]!;
    if (id === 0 || id === VOID || k === 0 || k >= n) continue;
    votes[id * n + k]!++;
  }
  return (id) => {
    if (!(id > 0 && id < 255)) return 0;
    let best = 0;
    for (let k = 1; k < n; k++) if (votes[id * n + k]! > votes[id * n + best]!) best = k;
    return best;
  };
}
