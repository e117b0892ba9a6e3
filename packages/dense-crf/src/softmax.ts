const f32 = Math.fround;

// Eigen 3.4 pexp_float constants (Cephes), as float32.
const EXP_HI = f32(88.723);
const EXP_LO = f32(-88.723);
const LOG2EF = f32(Math.LOG2E); // 1.44269504088896341f
const C1 = f32(-0.693359375);
const C2 = f32(2.1219444e-4);
const P0 = f32(1.98756915e-4);
const P1 = f32(1.3981999507e-3);
const P2 = f32(8.3334519073e-3);
const P3 = f32(4.1665795894e-2);
const P4 = f32(1.6666665459e-1);
const P5 = f32(5.0000001201e-1);
/** POW2[i] = 2^(i − 200). */
export const POW2 = new Float64Array(401);
for (let i = 0; i < 401; i++) POW2[i] = 2 ** (i - 200);

/**
 * exp(x) for float32 x exactly as Eigen 3.4's SSE `pexp<Packet4f>` computes it without FMA (the reference's
 * `b.array().exp()` on packets of 4): Cephes range reduction, degree-6 polynomial, `pldexp` in four factors.
 */
export function eigenExpf(xIn: number): number {
  return Math.max(packetExp(Math.max(Math.min(xIn, EXP_HI), EXP_LO)), xIn);
}

/** Eigen's range reduction, polynomial and pldexp for an already clamped x. */
function packetExp(x: number): number {
  const m = Math.floor(f32(f32(x * LOG2EF) + 0.5));
  let r = f32(f32(m * C1) + x);
  r = f32(f32(m * C2) + r);
  const r2 = f32(r * r);
  const r3 = f32(r2 * r);
  let y = f32(f32(P0 * r) + P1);
  let y1 = f32(f32(P3 * r) + P4);
  const y2 = f32(r + 1);
  y = f32(f32(y * r) + P2);
  y1 = f32(f32(y1 * r) + P5);
  y = f32(f32(y * r3) + y1);
  y = f32(f32(y * r2) + y2);
  // pldexp_generic: y·2^b·2^b·2^b·2^(m−3b), b = floor(m/4), in float32. For |m| ≤ 128 the first three products are
  // normal floats (exact), so only the last rounds: the same as rounding y·2^m (exact in double) once.
  return f32(y * (POW2[m + 200] as number));
}

/**
 * Row-wise softmax of `logits` (N × L, labels fastest) into `out`, as densecrf's `expAndNormalize` compiled with
 * Eigen 3.4 / SSE2: subtract the row max; exp; sum in Eigen's vectorised reduction order; divide (all float32).
 * The exp is Eigen's packet `pexp` emulated bit for bit (`eigenExpf`). With `exact`, the L mod 4 tail labels go
 * through libm `expf` (≈ `fround(Math.exp)`) as in the reference, whose unvectorised tail uses it; without, they use
 * `eigenExpf` too (≤ 2 ulps different per exp, and no scalar tail in the SIMD kernel) and exps below `FLUSH` become
 * 0. `out` may alias `logits`.
 * `scratch` needs L entries.
 */
export function expAndNormalize(
  logits: Float32Array,
  out: Float32Array,
  L: number,
  scratch: Float32Array,
  exact = false,
): void {
  if (exact) expAndNormalizeExact(logits, out, L, scratch);
  else expAndNormalizeFast(logits, out, L, scratch);
}

/**
 * Fast mode flushes exps below 2^−100 to 0: a label that far below the row's best (e^−69) is 0 in any float32
 * marginal that matters, and letting the reference's subnormals (its exp clamps at e^−88.7 ≈ 2.9e−39 instead of
 * underflowing) into Q makes every lattice operation on them ~100× slower on x86 — with DeconvNet's un-normalised
 * weights most of Q ends up there.
 */
export const FLUSH = 2 ** -100;

/**
 * `eigenExpf(x)` flushed below `FLUSH`, for x ≤ 0: the clamps and the final max never act there, and every x < −80
 * flushes (eigenExpf(−80) ≈ 1.8e−35), so it is not computed (the WebAssembly kernel clamps at −80 instead).
 */
function flushedExp(x: number): number {
  if (x < -80) return 0;
  const e = packetExp(x);
  return e < FLUSH ? 0 : e;
}

function expAndNormalizeFast(logits: Float32Array, out: Float32Array, L: number, scratch: Float32Array): void {
  const total = logits.length;
  for (let p = 0; p < total; p += L) {
    let mx = logits[p] as number;
    for (let l = 1; l < L; l++) {
      const v = logits[p + l] as number;
      if (v > mx) mx = v;
    }
    for (let l = 0; l < L; l++) scratch[l] = flushedExp(f32((logits[p + l] as number) - mx));
    const s = eigenSum(scratch, L);
    for (let l = 0; l < L; l++) out[p + l] = (scratch[l] as number) / s;
  }
}

function expAndNormalizeExact(logits: Float32Array, out: Float32Array, L: number, scratch: Float32Array): void {
  const total = logits.length;
  const packed = L - (L % 4);
  for (let p = 0; p < total; p += L) {
    let mx = logits[p] as number;
    for (let l = 1; l < L; l++) {
      const v = logits[p + l] as number;
      if (v > mx) mx = v;
    }
    for (let l = 0; l < packed; l++) scratch[l] = eigenExpf(f32((logits[p + l] as number) - mx));
    for (let l = packed; l < L; l++) scratch[l] = Math.exp(f32((logits[p + l] as number) - mx));
    const s = eigenSum(scratch, L);
    for (let l = 0; l < L; l++) out[p + l] = (scratch[l] as number) / s;
  }
}

/** Σ v[0..L) in the order of Eigen's LinearVectorizedTraversal redux with SSE Packet4f (Redux.h). */
export function eigenSum(v: Float32Array, L: number): number {
  if (L < 4) {
    let s = v[0] as number;
    for (let i = 1; i < L; i++) s = f32(s + (v[i] as number));
    return s;
  }
  const aligned = L - (L % 4);
  const aligned2 = L - (L % 8);
  let a0 = v[0] as number;
  let a1 = v[1] as number;
  let a2 = v[2] as number;
  let a3 = v[3] as number;
  if (aligned > 4) {
    let b0 = v[4] as number;
    let b1 = v[5] as number;
    let b2 = v[6] as number;
    let b3 = v[7] as number;
    for (let i = 8; i < aligned2; i += 8) {
      a0 = f32(a0 + (v[i] as number));
      a1 = f32(a1 + (v[i + 1] as number));
      a2 = f32(a2 + (v[i + 2] as number));
      a3 = f32(a3 + (v[i + 3] as number));
      b0 = f32(b0 + (v[i + 4] as number));
      b1 = f32(b1 + (v[i + 5] as number));
      b2 = f32(b2 + (v[i + 6] as number));
      b3 = f32(b3 + (v[i + 7] as number));
    }
    a0 = f32(a0 + b0);
    a1 = f32(a1 + b1);
    a2 = f32(a2 + b2);
    a3 = f32(a3 + b3);
    if (aligned > aligned2) {
      a0 = f32(a0 + (v[aligned2] as number));
      a1 = f32(a1 + (v[aligned2 + 1] as number));
      a2 = f32(a2 + (v[aligned2 + 2] as number));
      a3 = f32(a3 + (v[aligned2 + 3] as number));
    }
  }
  // predux<Packet4f>: (a0 + a2) + (a1 + a3).
  let s = f32(f32(a0 + a2) + f32(a1 + a3));
  for (let i = aligned; i < L; i++) s = f32(s + (v[i] as number));
  return s;
}
