import { DenseCrfError } from './errors.js';

/**
 * Kernel normalisation modes of densecrf v2.2 (src/pairwise.cpp, dense-crf.md §4), with `n = K̃·1`:
 * - `'symmetric'` (default, ICML 2013): `diag(n^−½) · K̃ · diag(n^−½)`;
 * - `'after'` (NIPS 2011, DeepLab's 2011 code): `diag(1/n) · K̃` — a weighted average including the pixel itself;
 * - `'before'`: `K̃ · diag(1/n)`;
 * - `'none'` (DeconvNet through meanfield-matlab): the raw lattice sums `K̃` (the reference's unused mean factor is
 *   deliberately not ported).
 */
export type Normalization = 'symmetric' | 'after' | 'before' | 'none';

export const NORMALIZATIONS: readonly Normalization[] = ['symmetric', 'after', 'before', 'none'];

export function checkNormalization(argument: string, value: unknown): Normalization {
  if (value === undefined) return 'symmetric';
  if (typeof value !== 'string' || !(NORMALIZATIONS as readonly string[]).includes(value)) {
    throw new DenseCrfError(argument, `expected one of ${NORMALIZATIONS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as Normalization;
}

/**
 * Per-point scale factors from the raw all-ones response `n` (computed in double and rounded to float as in
 * `DenseKernel::initLattice`): `1/sqrt(n + 1e−20)` for symmetric, `1/(n + 1e−20)` for before/after; null for none.
 */
export function normalizationFactors(mode: Normalization, raw: Float32Array): Float32Array | null {
  if (mode === 'none') return null;
  const out = new Float32Array(raw.length);
  if (mode === 'symmetric') for (let i = 0; i < raw.length; i++) out[i] = 1 / Math.sqrt((raw[i] as number) + 1e-20);
  else for (let i = 0; i < raw.length; i++) out[i] = 1 / ((raw[i] as number) + 1e-20);
  return out;
}

/** Whether the mode scales the filter's input / output by the factors (forward filter). */
export function scalesInput(mode: Normalization): boolean {
  return mode === 'symmetric' || mode === 'before';
}
export function scalesOutput(mode: Normalization): boolean {
  return mode === 'symmetric' || mode === 'after';
}
