import { ImageError } from '@deconvnet/image';
import { PRESETS, type PresetName } from './presets.js';

/** Edge Boxes parameters; defaults are pdollar/edges `edgeBoxes.m` / OpenCV `createEdgeBoxes()` (EdgeBoxes70). */
export interface EdgeBoxesParams {
  /** IoU between neighbouring sliding windows (step size). Larger = finer, much slower. */
  alpha: number;
  /** NMS IoU threshold; > 0.99 disables NMS and the maxBoxes cap, as in the original code. */
  beta: number;
  /** Adaptive NMS: threshold decay per kept box while it is > 0.5 (1 = off). */
  eta: number;
  /** Boxes scoring below this (code units, ≈ 8× the paper's formula) are dropped before refinement. */
  minScore: number;
  /** Maximum number of boxes kept by NMS. */
  maxBoxes: number;
  /** Pixels with magnitude ≤ this are ignored (absolute: the map must be in [0, 1]). */
  edgeMinMag: number;
  /** Accumulated orientation change (×π) allowed within one edge group. */
  edgeMergeThr: number;
  /** Groups with total magnitude ≤ this are dissolved into neighbours. */
  clusterMinMag: number;
  /** Limits the aspect-ratio grid. */
  maxAspectRatio: number;
  /** Smallest window area (px²). */
  minBoxArea: number;
  /** Affinity exponent (paper eq. 1). */
  gamma: number;
  /** Scale-normalisation exponent (paper eq. 3). */
  kappa: number;
}

export interface EdgeBoxesOptions extends Partial<EdgeBoxesParams> {
  /** Start from a named setting (see {@link PRESETS}); explicit fields override it. */
  preset?: PresetName;
}

export const DEFAULT_PARAMS: Readonly<EdgeBoxesParams> = Object.freeze({
  alpha: 0.65,
  beta: 0.75,
  eta: 1,
  minScore: 0.01,
  maxBoxes: 10000,
  edgeMinMag: 0.1,
  edgeMergeThr: 0.5,
  clusterMinMag: 0.5,
  maxAspectRatio: 3,
  minBoxArea: 1000,
  gamma: 2,
  kappa: 1.5,
});

const KEYS = new Set([...Object.keys(DEFAULT_PARAMS), 'preset']);

type Check = [keyof EdgeBoxesParams, (v: number) => boolean, string];
const CHECKS: Check[] = [
  ['alpha', (v) => v > 0 && v < 1, 'a number in (0, 1)'],
  ['beta', (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  ['eta', (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  ['minScore', (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0'],
  [
    'maxBoxes',
    (v) => (Number.isInteger(v) && v >= 0) || v === Number.POSITIVE_INFINITY,
    'an integer ≥ 0 (or Infinity)',
  ],
  ['edgeMinMag', (v) => v >= 0 && v < 1, 'a number in [0, 1)'],
  ['edgeMergeThr', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0'],
  ['clusterMinMag', (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0'],
  ['maxAspectRatio', (v) => v >= 1 && Number.isFinite(v), 'a finite number ≥ 1'],
  ['minBoxArea', (v) => v >= 1 && Number.isFinite(v), 'a finite number ≥ 1'],
  ['gamma', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0'],
  ['kappa', (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0'],
];

/** Merges defaults, the preset and explicit options; throws an {@link ImageError} on unknown keys or bad values. */
export function resolveParams(opts: EdgeBoxesOptions = {}, where = 'edgeBoxes options'): EdgeBoxesParams {
  if (opts === null || typeof opts !== 'object') throw new ImageError(where, 'must be an object');
  for (const k of Object.keys(opts)) {
    if (!KEYS.has(k)) throw new ImageError(where, `unknown option "${k}"`);
  }
  let base: EdgeBoxesParams = { ...DEFAULT_PARAMS };
  if (opts.preset !== undefined) {
    const p = PRESETS[opts.preset];
    if (!p)
      throw new ImageError(
        `${where}.preset`,
        `unknown preset "${opts.preset}"; known: ${Object.keys(PRESETS).join(', ')}`,
      );
    base = { ...base, ...p };
  }
  const out = { ...base };
  for (const [k, ok, what] of CHECKS) {
    const v = opts[k] ?? base[k];
    if (typeof v !== 'number' || !ok(v)) throw new ImageError(`${where}.${k}`, `must be ${what}, got ${String(v)}`);
    out[k] = v;
  }
  return out;
}
