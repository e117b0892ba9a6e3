import type { SampleSource } from './sample.js';

export interface SplitLists {
  vocTrain: readonly string[];
  vocVal: readonly string[];
  sbdTrain: readonly string[];
  sbdVal: readonly string[];
}

/**
 * The "VOC + SBD augmented" training ids (the 10,582-image "train_aug" of FCN/DeconvNet/DeepLab on the full data):
 * (SBD train ∪ SBD val ∪ VOC train) \ VOC val, sorted by id. An id in VOC train takes its VOC labels (with the void
 * band); the rest take SBD labels.
 */
export function augmentedTrainEntries(lists: SplitLists): { id: string; source: SampleSource }[] {
  const val = new Set(lists.vocVal);
  const voc = new Set(lists.vocTrain);
  const all = new Set<string>([...lists.sbdTrain, ...lists.sbdVal, ...lists.vocTrain]);
  return [...all]
    .filter((id) => !val.has(id))
    .sort()
    .map((id) => ({ id, source: voc.has(id) ? ('voc' as const) : ('sbd' as const) }));
}
