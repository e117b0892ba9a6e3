import { DenseCrfError } from './errors.js';
import { LatticeHash } from './latticehash.js';
import { type BuiltLattice, buildLatticeWasm } from './wasm/latticebuild.js';

const f32 = Math.fround;

/** Largest elevated coordinate that still fits the reference's int16 lattice keys (dense-crf.md §9.13). */
const KEY_LIMIT = 32000;

/** Rounds half to even, as `_mm_cvtps_epi32` under the default MXCSR (the reference's SSE init path). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface LatticeOptions {
  /**
   * Reproduce the reference's SSE initialisation quirk: when the point count is not a multiple of 4, the zero
   * feature vector of the padding lanes is also inserted into the lattice (it carries no mass but relays blur).
   * Default true (bit-compatible with densecrf v2.2); false gives the textbook lattice.
   */
  referencePadding?: boolean;
  /**
   * Build the lattice in WebAssembly where it is available (default true). The result is identical (same vertex
   * ids, weights and neighbour table); false forces the plain-JS construction.
   */
  simd?: boolean;
}

/**
 * Permutohedral lattice (Adams, Baek & Davis 2010) exactly as densecrf v2.2 builds and applies it
 * (src/permutohedral.cpp, dense-crf.md §6): unit-σ Gaussian in feature space approximated by splat → one
 * [1 2 1]/2 blur per lattice axis → slice with α = 1/(1+2^−d). float32 arithmetic is reproduced operation by
 * operation (Math.fround), so results match the C++ library to the last bit on the paths checked.
 */
export class PermutohedralLattice {
  /** Number of points N. */
  readonly numPoints: number;
  /** Feature dimension d. */
  readonly dim: number;
  /** Number of lattice vertices M. */
  readonly numVertices: number;
  /** Per point, d+1 vertex ids shifted by +1 (slot 0 is the permanent zero vertex). */
  readonly offsets: Int32Array;
  /** Per point, d+1 barycentric weights (sum 1). */
  readonly weights: Float32Array;
  /** Per axis j and vertex v: ids+1 of the two blur neighbours at `(j·M + v)·2` (0 = missing). */
  readonly neighbours: Int32Array;
  /** Per point, d+1 slice weights `b·α` (the SSE path's pre-multiplied weights). */
  readonly sliceWeights: Float32Array;
  private readonly alpha: number;
  private readonly scratch = new Map<number, [Float32Array, Float32Array]>();

  /** `features`: N × d float32, point-major (the d features of point 0, then point 1, …). */
  constructor(features: Float32Array, dim: number, options: LatticeOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1 || dim > 16) throw new DenseCrfError('dim', `expected 1..16, got ${dim}`);
    if (features.length % dim !== 0) {
      throw new DenseCrfError('features', `length ${features.length} is not a multiple of the dimension ${dim}`);
    }
    const d = dim;
    const d1 = d + 1;
    const n = features.length / d;
    this.numPoints = n;
    this.dim = d;

    // Scale factors in double, rounded to float like `_mm_set1_ps(double)` (p.5–6 of Adams et al.).
    const invStdDev = f32(Math.sqrt(2 / 3) * d1);
    const scale = new Float64Array(d);
    for (let i = 0; i < d; i++) scale[i] = f32((1 / Math.sqrt((i + 2) * (i + 1))) * invStdDev);
    const invD1 = f32(1 / d1);
    this.alpha = f32(1 / f32(1 + 2 ** -d));
    const padding = (options.referencePadding ?? true) && n % 4 !== 0;
    // Bilateral lattices (d ≥ 3) usually have more vertices than points: size the table once instead of growing it.
    const expected = d >= 3 ? 2 * n : n;

    let built: BuiltLattice | JsLattice | null = null;
    if (options.simd ?? true) {
      const r = buildLatticeWasm(features, d, n, scale, invD1, this.alpha, padding);
      // On a key overflow the JS construction below reports it (with the offending value).
      if ('numVertices' in r) built = r;
    }
    built ??= buildLatticeJs(features, d, n, scale, invD1, this.alpha, padding, expected);
    this.numVertices = built.numVertices;
    this.offsets = built.offsets;
    this.weights = built.weights;
    this.neighbours = built.neighbours;
    this.sliceWeights = built.sliceWeights;
    this.ones = 'onesResponse' in built ? built.onesResponse : null;
    this.releaseMemory = 'release' in built ? built.release : null;
  }

  private readonly ones: (() => Float32Array) | null;
  private releaseMemory: (() => void) | null;
  private released = false;

  /**
   * Gives the WebAssembly memory holding this lattice's tables back to the reuse pool (`DenseCRF.dispose`). The
   * lattice is unusable afterwards: its array fields alias memory that the next lattice or engine overwrites.
   */
  release(): void {
    this.released = true;
    this.scratch.clear();
    this.releaseMemory?.();
    this.releaseMemory = null;
  }

  /** Whether `release` was called. */
  get isReleased(): boolean {
    return this.released;
  }

  private checkAlive(): void {
    if (this.released) throw new DenseCrfError('lattice', 'released (its CRF was disposed)');
  }

  /** `K̃·1` per point (the raw normalisation response; the scalar path of `filter` with one channel). */
  onesResponse(): Float32Array {
    this.checkAlive();
    if (this.ones) return this.ones();
    const n = this.numPoints;
    const out = new Float32Array(n);
    this.filter(new Float32Array(n).fill(1), out, 1);
    this.releaseBuffers();
    return out;
  }

  private buffers(valueSize: number): [Float32Array, Float32Array] {
    let b = this.scratch.get(valueSize);
    if (!b) {
      const len = (this.numVertices + 1) * valueSize;
      b = [new Float32Array(len), new Float32Array(len)];
      this.scratch.set(valueSize, b);
    }
    return b;
  }

  /** Frees the cached filtering buffers (they are re-created on demand). */
  releaseBuffers(): void {
    this.scratch.clear();
  }

  /**
   * `output = K̃ · input` for `valueSize` channels per point (point-major, channels fastest). `input` and
   * `output` may be the same array. `reverse` blurs the axes in reverse order (the transposed filter).
   */
  filter(input: Float32Array, output: Float32Array, valueSize: number, reverse = false): void {
    this.checkAlive();
    const V = valueSize;
    const n = this.numPoints;
    if (input.length !== n * V) throw new DenseCrfError('input', `expected ${n * V} values, got ${input.length}`);
    if (output.length !== n * V) throw new DenseCrfError('output', `expected ${n * V} values, got ${output.length}`);
    const vals = this.splatBlur(input, V, reverse);
    // The SSE path (V > 2) pre-multiplies the weight by α, the scalar path multiplies after.
    const d1 = this.dim + 1;
    if (V > 2) sliceSse(vals, output, this.offsets, this.sliceWeights, n, d1, V);
    else sliceScalar(vals, output, this.offsets, this.weights, this.alpha, n, d1, V);
  }

  /**
   * Fused Potts message for V > 2 (same arithmetic as `filter` followed by the output normalisation and the Potts
   * update, without writing the filtered signal): `logits[p,l] = base + fround(w · fround(f[p] · (K̃·input)[p,l]))`,
   * where base is `−unary[p,l]` when `unary` is given, else the current logits. `f` null: no output scaling.
   */
  filterPotts(
    input: Float32Array,
    V: number,
    logits: Float32Array,
    f: Float32Array | null,
    w: number,
    unary: Float32Array | null,
    inScale: Float32Array | null = null,
  ): void {
    this.checkAlive();
    if (V <= 2) throw new DenseCrfError('valueSize', 'filterPotts needs more than 2 channels');
    let row = this.rowScratch;
    if (row.length !== V) {
      row = new Float32Array(V);
      this.rowScratch = row;
    }
    const vals = this.splatBlur(input, V, false, inScale);
    slicePotts(vals, logits, this.offsets, this.sliceWeights, this.numPoints, this.dim + 1, V, row, f, w, unary);
  }

  private rowScratch = new Float32Array(0);

  /** Splat then blur; returns the buffer holding the blurred vertex values. */
  private splatBlur(
    input: Float32Array,
    V: number,
    reverse: boolean,
    inScale: Float32Array | null = null,
  ): Float32Array {
    const d1 = this.dim + 1;
    const bufs = this.buffers(V);
    bufs[0].fill(0);
    bufs[1].fill(0, 0, V);
    if (inScale)
      splatScaled(input, inScale, bufs[0], this.offsets, this.weights, this.numPoints, d1, V, this.rowScratch);
    else splat(input, bufs[0], this.offsets, this.weights, this.numPoints, d1, V);
    let vals = bufs[0];
    let next = bufs[1];
    for (let a = 0; a < d1; a++) {
      const j = reverse ? d1 - 1 - a : a;
      blurAxis(vals, next, this.neighbours, j * this.numVertices * 2, this.numVertices, V);
      const t = vals;
      vals = next;
      next = t;
    }
    return vals;
  }
}

/** `sliceSse` for one pixel into `row`, then the normalisation + Potts update of that pixel's logits. */
function slicePotts(
  vals: Float32Array,
  logits: Float32Array,
  off: Int32Array,
  sw: Float32Array,
  n: number,
  d1: number,
  V: number,
  row: Float32Array,
  f: Float32Array | null,
  w: number,
  unary: Float32Array | null,
): void {
  const V4 = V & ~3;
  for (let p = 0, pk = 0; p < n; p++) {
    const o0 = (off[pk] as number) * V;
    const w0 = sw[pk++] as number;
    for (let l = 0; l < V; l++) row[l] = w0 * (vals[o0 + l] as number);
    for (let k = 1; k < d1; k++, pk++) {
      const o = (off[pk] as number) * V;
      const wk = sw[pk] as number;
      let l = 0;
      for (; l < V4; l += 4) {
        const b = o + l;
        row[l] = (row[l] as number) + f32(wk * (vals[b] as number));
        row[l + 1] = (row[l + 1] as number) + f32(wk * (vals[b + 1] as number));
        row[l + 2] = (row[l + 2] as number) + f32(wk * (vals[b + 2] as number));
        row[l + 3] = (row[l + 3] as number) + f32(wk * (vals[b + 3] as number));
      }
      for (; l < V; l++) row[l] = (row[l] as number) + f32(wk * (vals[o + l] as number));
    }
    const ob = p * V;
    const s = f ? (f[p] as number) : 1;
    if (unary) {
      if (f)
        for (let l = 0; l < V; l++) logits[ob + l] = f32(w * f32(s * (row[l] as number))) - (unary[ob + l] as number);
      else for (let l = 0; l < V; l++) logits[ob + l] = f32(w * (row[l] as number)) - (unary[ob + l] as number);
    } else if (f) {
      for (let l = 0; l < V; l++) logits[ob + l] = (logits[ob + l] as number) + f32(w * f32(s * (row[l] as number)));
    } else {
      for (let l = 0; l < V; l++) logits[ob + l] = (logits[ob + l] as number) + f32(w * (row[l] as number));
    }
  }
}

type JsLattice = Omit<BuiltLattice, 'onesResponse' | 'release'>;

/** The lattice construction in plain JS (the WebAssembly module does the same): `place` per point, then neighbours. */
function buildLatticeJs(
  features: Float32Array,
  d: number,
  n: number,
  scale: Float64Array,
  invD1: number,
  alpha: number,
  padding: boolean,
  expected: number,
): JsLattice {
  const d1 = d + 1;
  const canonical = new Int16Array(d1 * d1);
  for (let i = 0; i <= d; i++) {
    for (let j = 0; j <= d - i; j++) canonical[i * d1 + j] = i;
    for (let j = d - i + 1; j <= d; j++) canonical[i * d1 + j] = i - d1;
  }
  const hash = new LatticeHash(d, expected);
  const offsets = new Int32Array(n * d1);
  const weights = new Float32Array(n * d1);
  const ctx: PlaceContext = {
    d,
    hash,
    scale,
    invD1,
    canonical,
    offsets,
    weights,
    elevated: new Float64Array(d1),
    rem0: new Float64Array(d1),
    rank: new Int32Array(d1),
    bary: new Float64Array(d + 2),
    key: new Int16Array(d1),
  };
  for (let p = 0; p < n; p++) place(ctx, features, p * d, p);
  if (padding) place(ctx, new Float32Array(d), 0, -1);
  const m = hash.size;
  const sliceWeights = new Float32Array(n * d1);
  for (let i = 0; i < sliceWeights.length; i++) sliceWeights[i] = (weights[i] as number) * alpha;
  return { numVertices: m, offsets, weights, sliceWeights, neighbours: blurNeighbours(hash, d, m) };
}

interface PlaceContext {
  d: number;
  hash: LatticeHash;
  scale: Float64Array;
  invD1: number;
  canonical: Int16Array;
  offsets: Int32Array;
  weights: Float32Array;
  elevated: Float64Array;
  rem0: Float64Array;
  rank: Int32Array;
  bary: Float64Array;
  key: Int16Array;
}

/** Elevates one point, finds its enclosing simplex and barycentric weights, inserts its d+1 vertices (`point < 0`: insert only). */
function place(ctx: PlaceContext, f: Float32Array, at: number, point: number): void {
  const { d, hash, scale, invD1, canonical, offsets, weights, elevated, rem0, rank, bary, key } = ctx;
  const d1 = d + 1;
  // Elevate (y = E·f): e_j = Σ_{i≥j} c_i − j·c_{j−1}, float32 step by step.
  let sm = 0;
  for (let j = d; j > 0; j--) {
    const cf = f32((f[at + j - 1] as number) * (scale[j - 1] as number));
    elevated[j] = f32(sm - f32(j * cf));
    sm = f32(sm + cf);
  }
  elevated[0] = sm;
  // Closest remainder-0 point.
  let sum = 0;
  for (let i = 0; i <= d; i++) {
    const e = elevated[i] as number;
    if (!(Math.abs(e) < KEY_LIMIT)) {
      throw new DenseCrfError(
        'features',
        `point ${point}: scaled feature ${e} is too large for the lattice's int16 keys (a standard deviation is too small for the feature range)`,
      );
    }
    const v = rint(f32(invD1 * e));
    rem0[i] = f32(v * d1);
    sum += v;
  }
  // Rank of the differences (ties: the later index ranks higher).
  for (let i = 0; i <= d; i++) rank[i] = 0;
  for (let i = 0; i < d; i++) {
    const di = f32((elevated[i] as number) - (rem0[i] as number));
    for (let j = i + 1; j <= d; j++) {
      const dj = f32((elevated[j] as number) - (rem0[j] as number));
      if (di < dj) rank[i] = (rank[i] as number) + 1;
      else rank[j] = (rank[j] as number) + 1;
    }
  }
  for (let i = 0; i <= d; i++) {
    const r = (rank[i] as number) + sum;
    if (r < 0) {
      rank[i] = r + d1;
      rem0[i] = (rem0[i] as number) + d1;
    } else if (r >= d1) {
      rank[i] = r - d1;
      rem0[i] = (rem0[i] as number) - d1;
    } else rank[i] = r;
  }
  // Barycentric weights.
  for (let i = 0; i <= d1; i++) bary[i] = 0;
  for (let i = 0; i <= d; i++) {
    const v = f32(f32((elevated[i] as number) - (rem0[i] as number)) * invD1);
    const p = d - (rank[i] as number);
    bary[p] = f32((bary[p] as number) + v);
    bary[p + 1] = f32((bary[p + 1] as number) - v);
  }
  bary[0] = f32((bary[0] as number) + f32(1 + (bary[d1] as number)));
  // Simplex vertices.
  for (let r = 0; r <= d; r++) {
    for (let i = 0; i < d; i++) key[i] = (rem0[i] as number) + (canonical[r * d1 + (rank[i] as number)] as number);
    const id = hash.find(key, 0, true);
    if (point >= 0) {
      offsets[point * d1 + r] = id + 1;
      weights[point * d1 + r] = bary[r] as number;
    }
  }
}

/**
 * Blur neighbours along each of the d+1 lattice axes (`n1`: −1 everywhere but +d on axis j; `n2` the opposite).
 * Only `n1` is looked up: `n2(u) = v` exactly when `n1(v) = u` (the two offsets are opposite), which halves the
 * hash look-ups and gives the same table.
 */
function blurNeighbours(hash: LatticeHash, d: number, m: number): Int32Array {
  const d1 = d + 1;
  const neighbours = new Int32Array(d1 * m * 2);
  const n1 = new Int16Array(d1);
  const keys = hash.keys;
  for (let j = 0; j <= d; j++) {
    const row = j * m * 2;
    for (let v = 0; v < m; v++) {
      const base = v * d;
      for (let k = 0; k < d; k++) n1[k] = (keys[base + k] as number) - 1;
      if (j < d) n1[j] = (keys[base + j] as number) + d;
      const u = hash.find(n1, 0, false);
      neighbours[row + v * 2] = u + 1;
      if (u >= 0) neighbours[row + u * 2 + 1] = v + 1;
    }
  }
  return neighbours;
}

// The hot loops live in small monomorphic functions so that V8 optimises each one once and keeps it (a single
// large function deoptimises at every phase change). Inner loops over the V channels are unrolled by 4; every
// product is rounded to float32 before it is accumulated, as the reference's SSE code does.

/** Splat, pixel by pixel (the reference's summation order per vertex). */
function splat(
  input: Float32Array,
  vals: Float32Array,
  off: Int32Array,
  w: Float32Array,
  n: number,
  d1: number,
  V: number,
): void {
  const V4 = V & ~3;
  for (let p = 0, pk = 0; p < n; p++) {
    const ib = p * V;
    for (let k = 0; k < d1; k++, pk++) {
      const o = (off[pk] as number) * V;
      const wk = w[pk] as number;
      let l = 0;
      for (; l < V4; l += 4) {
        const a = o + l;
        const b = ib + l;
        vals[a] = (vals[a] as number) + f32(wk * (input[b] as number));
        vals[a + 1] = (vals[a + 1] as number) + f32(wk * (input[b + 1] as number));
        vals[a + 2] = (vals[a + 2] as number) + f32(wk * (input[b + 2] as number));
        vals[a + 3] = (vals[a + 3] as number) + f32(wk * (input[b + 3] as number));
      }
      for (; l < V; l++) vals[o + l] = (vals[o + l] as number) + f32(wk * (input[ib + l] as number));
    }
  }
}

/** `splat` of `fround(scale[p] · input[p, l])` (the input normalisation), via an L1-resident row. */
function splatScaled(
  input: Float32Array,
  scale: Float32Array,
  vals: Float32Array,
  off: Int32Array,
  w: Float32Array,
  n: number,
  d1: number,
  V: number,
  row: Float32Array,
): void {
  const V4 = V & ~3;
  for (let p = 0, pk = 0; p < n; p++) {
    const ib = p * V;
    const s = scale[p] as number;
    for (let l = 0; l < V; l++) row[l] = s * (input[ib + l] as number);
    for (let k = 0; k < d1; k++, pk++) {
      const o = (off[pk] as number) * V;
      const wk = w[pk] as number;
      let l = 0;
      for (; l < V4; l += 4) {
        const a = o + l;
        vals[a] = (vals[a] as number) + f32(wk * (row[l] as number));
        vals[a + 1] = (vals[a + 1] as number) + f32(wk * (row[l + 1] as number));
        vals[a + 2] = (vals[a + 2] as number) + f32(wk * (row[l + 2] as number));
        vals[a + 3] = (vals[a + 3] as number) + f32(wk * (row[l + 3] as number));
      }
      for (; l < V; l++) vals[o + l] = (vals[o + l] as number) + f32(wk * (row[l] as number));
    }
  }
}

/** One Jacobi sweep along a lattice axis: new = old + 0.5·(n1 + n2), the unnormalised [1 2 1]/2 kernel. */
function blurAxis(vals: Float32Array, next: Float32Array, nb: Int32Array, nbBase: number, m: number, V: number): void {
  const V4 = V & ~3;
  for (let v = 0; v < m; v++) {
    const c = (v + 1) * V;
    const o1 = (nb[nbBase + 2 * v] as number) * V;
    const o2 = (nb[nbBase + 2 * v + 1] as number) * V;
    let l = 0;
    for (; l < V4; l += 4) {
      next[c + l] = (vals[c + l] as number) + 0.5 * f32((vals[o1 + l] as number) + (vals[o2 + l] as number));
      next[c + l + 1] =
        (vals[c + l + 1] as number) + 0.5 * f32((vals[o1 + l + 1] as number) + (vals[o2 + l + 1] as number));
      next[c + l + 2] =
        (vals[c + l + 2] as number) + 0.5 * f32((vals[o1 + l + 2] as number) + (vals[o2 + l + 2] as number));
      next[c + l + 3] =
        (vals[c + l + 3] as number) + 0.5 * f32((vals[o1 + l + 3] as number) + (vals[o2 + l + 3] as number));
    }
    for (; l < V; l++)
      next[c + l] = (vals[c + l] as number) + 0.5 * f32((vals[o1 + l] as number) + (vals[o2 + l] as number));
  }
}

/** Slice as `sseCompute`: out = Σ_k (b_k·α)·val[offset_k], accumulated in float32 from k = 0. */
function sliceSse(
  vals: Float32Array,
  out: Float32Array,
  off: Int32Array,
  sw: Float32Array,
  n: number,
  d1: number,
  V: number,
): void {
  const V4 = V & ~3;
  for (let p = 0, pk = 0; p < n; p++) {
    const ob = p * V;
    const o0 = (off[pk] as number) * V;
    const w0 = sw[pk++] as number;
    for (let l = 0; l < V; l++) out[ob + l] = w0 * (vals[o0 + l] as number);
    for (let k = 1; k < d1; k++, pk++) {
      const o = (off[pk] as number) * V;
      const wk = sw[pk] as number;
      let l = 0;
      for (; l < V4; l += 4) {
        const a = ob + l;
        const b = o + l;
        out[a] = (out[a] as number) + f32(wk * (vals[b] as number));
        out[a + 1] = (out[a + 1] as number) + f32(wk * (vals[b + 1] as number));
        out[a + 2] = (out[a + 2] as number) + f32(wk * (vals[b + 2] as number));
        out[a + 3] = (out[a + 3] as number) + f32(wk * (vals[b + 3] as number));
      }
      for (; l < V; l++) out[ob + l] = (out[ob + l] as number) + f32(wk * (vals[o + l] as number));
    }
  }
}

/** Slice as `seqCompute` (V ≤ 2): out += (b_k·val)·α. */
function sliceScalar(
  vals: Float32Array,
  out: Float32Array,
  off: Int32Array,
  w: Float32Array,
  alpha: number,
  n: number,
  d1: number,
  V: number,
): void {
  for (let p = 0, pk = 0; p < n; p++) {
    const ob = p * V;
    for (let l = 0; l < V; l++) out[ob + l] = 0;
    for (let k = 0; k < d1; k++, pk++) {
      const o = (off[pk] as number) * V;
      const wk = w[pk] as number;
      for (let l = 0; l < V; l++)
        out[ob + l] = (out[ob + l] as number) + f32(f32(wk * (vals[o + l] as number)) * alpha);
    }
  }
}
