import type { Box } from '@deconvnet/image';
import { type SelectionOptions, selectProposalIndices } from './selection.js';
import { proposalWindow, type WindowOptions } from './window.js';

export interface PlannedWindow {
  /** The proposal as given. */
  proposal: Box;
  /** Its index in the input array. */
  index: number;
  /** The enlarged (square, rounded) window to crop, warp and paste back; carries the proposal's score. */
  window: Box;
}

export interface PlanOptions extends Omit<SelectionOptions, 'imageWidth' | 'imageHeight'> {
  window?: WindowOptions;
  /** Apply minSide/NMS to the enlarged windows (the original filters its already enlarged boxes) or to the raw proposals. Default 'window'. */
  measure?: 'window' | 'proposal';
}

/** Proposals → windows to run, in order: enlarge each proposal, then select (top-N, min side, optional NMS). */
export function planWindows(
  proposals: readonly Box[],
  imageWidth: number,
  imageHeight: number,
  options: PlanOptions = {},
): PlannedWindow[] {
  const { window: windowOptions, measure = 'window', ...selection } = options;
  const windows = proposals.map((p) => proposalWindow(p, windowOptions));
  const candidates = measure === 'window' ? windows : proposals;
  const idx = selectProposalIndices(candidates, { ...selection, imageWidth, imageHeight });
  return idx.map((i) => ({ proposal: proposals[i]!, index: i, window: windows[i]! }));
}
