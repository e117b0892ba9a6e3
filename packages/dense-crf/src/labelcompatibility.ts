import { DenseCrfError } from './errors.js';

/**
 * Label compatibility μ of a pairwise term, with the reference's semantics and signs (src/labelcompatibility.cpp,
 * dense-crf.md §5). The pairwise message is `P = μ(K̂Q)` and mean field uses logits `−U − ΣP`:
 * - a **number** `w` is `PottsCompatibility(w)`: `P = −w·K̂Q`, so positive `w` *rewards* agreeing with similar pixels;
 * - a Float32Array of **L** values `v` is `DiagonalCompatibility(v)`: `P = diag(v)·K̂Q` with **no minus sign** —
 *   `v = (−w, …, −w)` equals Potts(w); positive entries *penalise* agreement (the sign trap);
 * - a Float32Array of **L×L** values `m` (row-major, m[a·L + b]) is `MatrixCompatibility(m)`, stored as `½(m + mᵀ)`:
 *   `P = m·K̂Q`; `m = −w·I` equals Potts(w).
 */
export type Compatibility = number | Float32Array | ArrayLike<number>;

export type ResolvedCompatibility =
  | { kind: 'potts'; weight: number }
  | { kind: 'diagonal'; values: Float32Array }
  | { kind: 'matrix'; values: Float32Array };

const f32 = Math.fround;

export function resolveCompatibility(
  argument: string,
  compat: Compatibility | undefined,
  numLabels: number,
): ResolvedCompatibility {
  if (compat === undefined) {
    // The reference crashes on a NULL compatibility (dense-crf.md §5); require one explicitly.
    throw new DenseCrfError(argument, 'a compatibility (Potts weight, L diagonal values or an L×L matrix) is required');
  }
  if (typeof compat === 'number') {
    if (!Number.isFinite(compat)) throw new DenseCrfError(argument, `Potts weight must be finite, got ${compat}`);
    return { kind: 'potts', weight: f32(compat) };
  }
  if (compat == null || typeof compat.length !== 'number') {
    throw new DenseCrfError(argument, 'expected a number, or an array of L or L×L numbers');
  }
  const L = numLabels;
  for (let i = 0; i < compat.length; i++) {
    if (!Number.isFinite(compat[i] as number))
      throw new DenseCrfError(argument, `entry ${i} is not finite (${compat[i]})`);
  }
  if (compat.length === L) {
    return { kind: 'diagonal', values: Float32Array.from(compat as ArrayLike<number>) };
  }
  if (compat.length === L * L) {
    const m = Float32Array.from(compat as ArrayLike<number>);
    const sym = new Float32Array(L * L);
    for (let a = 0; a < L; a++) {
      for (let b = 0; b < L; b++) sym[a * L + b] = 0.5 * f32((m[a * L + b] as number) + (m[b * L + a] as number));
    }
    return { kind: 'matrix', values: sym };
  }
  throw new DenseCrfError(
    argument,
    `expected ${L} (diagonal) or ${L * L} (matrix) values for ${L} labels, got ${compat.length}`,
  );
}

/**
 * Accumulates `logits −= μ(x)` for every point, where `x` is the filtered (normalised) signal, N × L point-major.
 * Arithmetic is float32 in the reference's order: `tmp2 = μ(x)` then `tmp1 −= tmp2`.
 */
export function subtractCompatibility(
  c: ResolvedCompatibility,
  x: Float32Array,
  logits: Float32Array,
  L: number,
  scratch: Float64Array,
): void {
  const total = logits.length;
  if (c.kind === 'potts') {
    // tmp2 = −w·x, tmp1 − tmp2 = tmp1 + w·x (the negation is exact).
    const w = c.weight;
    for (let i = 0; i < total; i++) logits[i] = (logits[i] as number) + f32(w * (x[i] as number));
  } else if (c.kind === 'diagonal') {
    const v = c.values;
    for (let p = 0; p < total; p += L) {
      for (let l = 0; l < L; l++)
        logits[p + l] = (logits[p + l] as number) - f32((v[l] as number) * (x[p + l] as number));
    }
  } else {
    // Eigen's GEMM summation order is blocked and not reproduced; float32 accumulation in label order.
    const m = c.values;
    for (let p = 0; p < total; p += L) {
      for (let a = 0; a < L; a++) {
        let s = 0;
        const row = a * L;
        for (let b = 0; b < L; b++) s = f32(s + f32((m[row + b] as number) * (x[p + b] as number)));
        scratch[a] = s;
      }
      for (let a = 0; a < L; a++) logits[p + a] = (logits[p + a] as number) - (scratch[a] as number);
    }
  }
}
