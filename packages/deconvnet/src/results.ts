/** Shapes of evaluation results (what `deconvnet evaluate --json` prints and the report draws). */

export const VARIANTS = ['FCN', 'DeconvNet', 'DeconvNet+CRF', 'EDeconvNet', 'EDeconvNet+CRF'] as const;
export type VariantName = (typeof VARIANTS)[number];

/** One variant's scores: the paper's table row (IoU values in 0…1; null where a class never occurs). */
export interface VariantScores {
  miou: number;
  pixelAccuracy: number;
  perClass: Record<string, number | null>;
}

export type SizeBucket = 'small' | 'medium' | 'large';
export const SIZE_BUCKETS: readonly SizeBucket[] = ['small', 'medium', 'large'];

/** Instance-level scores of one size bucket: mean over instances of IoU inside the instance's box, and recall. */
export interface SizeScores {
  instances: number;
  meanIou: number | null;
  meanRecall: number | null;
}

export interface EvaluationResult {
  variants: Record<string, VariantScores>;
  /** Per variant, per size bucket (instance area / image area below `thresholds[0]` small, above `[1]` large). */
  sizes: { thresholds: [number, number]; variants: Record<string, Record<SizeBucket, SizeScores>> };
  split: string;
  images: number;
  classes: string[];
  /** Seconds spent per variant (shared stages are charged to the first variant needing them). */
  seconds: Record<string, number>;
}
