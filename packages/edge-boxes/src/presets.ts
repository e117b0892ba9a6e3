import type { EdgeBoxesParams } from './options.js';

/**
 * Named settings (pdollar/edges edgeBoxes.m comments; hosang/detection-proposals method wrappers).
 * - EdgeBoxes50: tuned for IoU 0.5 (β .55).
 * - EdgeBoxes70: the defaults, tuned for IoU 0.7.
 * - EdgeBoxes90: tuned for IoU 0.9 (α .85, β .95; ~20× slower: 2.4 M windows at 500×375).
 * - fast: the "~10 fps" setting (α .625, minScore .02).
 * - bestAR: best average recall at 1000 boxes (β .9, η .9996; Hosang et al. §5.E).
 */
export const PRESETS = {
  EdgeBoxes50: { alpha: 0.65, beta: 0.55 },
  EdgeBoxes70: { alpha: 0.65, beta: 0.75 },
  EdgeBoxes90: { alpha: 0.85, beta: 0.95 },
  fast: { alpha: 0.625, minScore: 0.02 },
  bestAR: { alpha: 0.65, beta: 0.9, eta: 0.9996 },
} as const satisfies Record<string, Partial<EdgeBoxesParams>>;

export type PresetName = keyof typeof PRESETS;
