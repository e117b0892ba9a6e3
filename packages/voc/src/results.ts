import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LabelMap } from '@deconvnet/image';
import { writeLabelPng } from '@deconvnet/image/node';
import { assertSafeId } from './ids.js';

export interface ResultsLayoutOptions {
  /** Competition id (default "comp6": trained on any data). comp5 = VOC data only. */
  competition?: string;
  /** Image set (default "test"; "val" for local evaluation). */
  set?: string;
}

/** `<dir>/results/VOC2012/Segmentation/<comp>_<set>_cls`: where the VOC evaluation server expects predictions. */
export function vocResultsDir(dir: string, options: ResultsLayoutOptions = {}): string {
  const comp = options.competition ?? 'comp6';
  const set = options.set ?? 'test';
  assertSafeId(comp, 'competition');
  assertSafeId(set, 'set');
  return join(dir, 'results', 'VOC2012', 'Segmentation', `${comp}_${set}_cls`);
}

/**
 * Writes one prediction as a VOC palette PNG `<id>.png` in {@link vocResultsDir} (created if needed), atomically.
 * Returns the path written.
 */
export async function writeVocPrediction(
  dir: string,
  id: string,
  prediction: LabelMap,
  options: ResultsLayoutOptions = {},
): Promise<string> {
  assertSafeId(id, 'image id');
  const out = vocResultsDir(dir, options);
  await mkdir(out, { recursive: true });
  const path = join(out, `${id}.png`);
  await writeLabelPng(path, prediction);
  return path;
}
