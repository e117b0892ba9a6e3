import {
  type Compatibility,
  type ResolvedCompatibility,
  resolveCompatibility,
  subtractCompatibility,
} from './labelcompatibility.js';
import { type Normalization, normalizationFactors, scalesInput, scalesOutput } from './normalization.js';
import { type LatticeOptions, PermutohedralLattice } from './permutohedral.js';

const f32 = Math.fround;

export interface PairwiseTermOptions extends LatticeOptions {
  compat: Compatibility;
  normalization?: Normalization;
}

/**
 * One pairwise term `μ(l,l')·k(f_i, f_j)`: a lattice over its features, the normalisation factors from
 * `n = K̃·1` (computed on the scalar path, value size 1, as the reference does) and a label compatibility.
 */
export class PairwiseTerm {
  readonly lattice: PermutohedralLattice;
  readonly normalization: Normalization;
  readonly compatibility: ResolvedCompatibility;
  private raw: Float32Array | null = null;
  /** Scale factors (null for `'none'`). */
  readonly factors: Float32Array | null;
  private readonly numLabels: number;

  constructor(
    features: Float32Array,
    dim: number,
    numLabels: number,
    normalization: Normalization,
    compat: ResolvedCompatibility,
    options: LatticeOptions = {},
  ) {
    this.lattice = new PermutohedralLattice(features, dim, options);
    this.normalization = normalization;
    this.compatibility = compat;
    this.numLabels = numLabels;
    // 'none' never uses `K̃·1` (the reference computes it anyway): computed on first access only.
    this.factors = normalization === 'none' ? null : normalizationFactors(normalization, this.rawNorm);
  }

  /** Raw all-ones response `K̃·1` per point. */
  get rawNorm(): Float32Array {
    this.raw ??= this.lattice.onesResponse();
    return this.raw;
  }

  static resolve(argument: string, compat: Compatibility | undefined, numLabels: number): ResolvedCompatibility {
    return resolveCompatibility(argument, compat, numLabels);
  }

  /** `work = K̂·q` (normalised kernel applied to q, N × L). */
  filter(q: Float32Array, work: Float32Array): void {
    const L = this.numLabels;
    const f = this.factors;
    if (f && scalesInput(this.normalization)) {
      scaleRows(q, work, f, L);
      this.lattice.filter(work, work, L);
    } else {
      this.lattice.filter(q, work, L);
    }
    if (f && scalesOutput(this.normalization)) scaleRows(work, work, f, L);
  }

  /**
   * `logits −= μ(K̂·q)`; `work` (N × L) is overwritten. With `unary` given, `logits` is first set to `−unary`
   * (fused into the same pass for Potts terms).
   */
  subtractMessage(
    q: Float32Array,
    logits: Float32Array,
    work: Float32Array,
    scratch: Float64Array,
    unary: Float32Array | null = null,
  ): void {
    const L = this.numLabels;
    const f = this.factors;
    const out = f && scalesOutput(this.normalization) ? f : null;
    const c = this.compatibility;
    const inScale = f && scalesInput(this.normalization) ? f : null;
    if (c.kind === 'potts' && L > 2) {
      // Fused path: input scaling inside the splat, output scaling + Potts update inside the slice.
      this.lattice.filterPotts(q, L, logits, out, c.weight, unary, inScale);
      return;
    }
    let input = q;
    if (inScale) {
      scaleRows(q, work, inScale, L);
      input = work;
    }
    this.lattice.filter(input, work, L);
    if (c.kind === 'potts') {
      if (unary) pottsFromUnary(work, out, c.weight, logits, unary, L);
      else potts(work, out, c.weight, logits, L);
      return;
    }
    if (unary) negate(unary, logits);
    if (out) scaleRows(work, work, out, L);
    subtractCompatibility(c, work, logits, L, scratch);
  }
}

/** `out = −u` (the reference's `tmp1 = −unary`). */
export function negate(u: Float32Array, out: Float32Array): void {
  for (let i = 0; i < u.length; i++) out[i] = -(u[i] as number);
}

// Potts update fused with the output normalisation: tmp2 = −w·(x∘norm); tmp1 −= tmp2, i.e. tmp1 + fround(w·x').
function potts(x: Float32Array, f: Float32Array | null, w: number, logits: Float32Array, L: number): void {
  const n = x.length / L;
  if (f) {
    for (let p = 0, i = 0; p < n; p++) {
      const s = f[p] as number;
      for (let l = 0; l < L; l++, i++) logits[i] = (logits[i] as number) + f32(w * f32(s * (x[i] as number)));
    }
  } else {
    for (let i = 0; i < x.length; i++) logits[i] = (logits[i] as number) + f32(w * (x[i] as number));
  }
}

function pottsFromUnary(
  x: Float32Array,
  f: Float32Array | null,
  w: number,
  logits: Float32Array,
  u: Float32Array,
  L: number,
): void {
  const n = x.length / L;
  if (f) {
    for (let p = 0, i = 0; p < n; p++) {
      const s = f[p] as number;
      for (let l = 0; l < L; l++, i++) logits[i] = f32(w * f32(s * (x[i] as number))) - (u[i] as number);
    }
  } else {
    for (let i = 0; i < x.length; i++) logits[i] = f32(w * (x[i] as number)) - (u[i] as number);
  }
}

/** `out[p, l] = f[p] · x[p, l]` in float32 (`in * norm_.asDiagonal()`). */
function scaleRows(x: Float32Array, out: Float32Array, f: Float32Array, L: number): void {
  const n = f.length;
  for (let p = 0, i = 0; p < n; p++) {
    const s = f[p] as number;
    for (let l = 0; l < L; l++, i++) out[i] = s * (x[i] as number);
  }
}
