import type { LabelMap, RgbImage } from '@deconvnet/image';
import type { VocAnnotation } from './annotation.js';
import type { Instance } from './instances.js';

/** Where a sample's labels come from. */
export type SampleSource = 'voc' | 'sbd';

/** One loaded training/evaluation image. */
export interface SegmentationSample {
  id: string;
  source: SampleSource;
  /** Path of the image file that was read. */
  imagePath: string;
  image: RgbImage;
  /** Class indices 0..20, 255 = void (SBD labels have no void band). */
  label: LabelMap;
  /** Per-object instances, when requested and available. */
  instances?: Instance[];
  /** The VOC XML annotation, when requested and present. */
  annotation?: VocAnnotation;
}

/** What to load with each sample. */
export interface LoadOptions {
  /**
   * Also load instances (VOC: SegmentationObject + SegmentationClass; SBD: GTinst). `true`: a missing instance file
   * is an error; `'if-present'`: leave `instances` undefined when the file is missing. Default false.
   */
  instances?: boolean | 'if-present';
  /** Also parse Annotations/<id>.xml (VOC only; skipped silently when the file does not exist). Default false. */
  annotation?: boolean;
}
