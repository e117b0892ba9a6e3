import { checkFinite, checkInteger, checkLength, DenseCrfError } from './errors.js';
import { bilateralFeatures, gaussianFeatures } from './features.js';
import type { Compatibility } from './labelcompatibility.js';
import { checkNormalization, type Normalization } from './normalization.js';
import { negate, PairwiseTerm } from './pairwise.js';
import type { LatticeOptions } from './permutohedral.js';
import { expAndNormalize } from './softmax.js';
import { type ProbabilityOptions, prepareUnaryEnergy, type UnaryLayout, unaryFromProbabilities } from './unary.js';
import { WasmMeanField } from './wasm/meanfield.js';

export interface PairwiseEnergyOptions extends LatticeOptions {
  /** N × D float32 features, point-major, already divided by their standard deviations. */
  features: Float32Array | ArrayLike<number>;
  /** Feature dimension D. */
  dims: number;
  /** Potts weight, L diagonal values or an L×L matrix (see `Compatibility` for the signs). */
  compat: Compatibility;
  normalization?: Normalization;
}

export interface DenseCrfOptions {
  /**
   * Reproduce the reference's softmax bit for bit: libm `expf` on the L mod 4 labels that Eigen leaves out of its
   * packets, and its subnormal exps (slow on x86). Default false: Eigen's packet `exp` (emulated bit for bit) on every
   * label, exps below 2^−100 flushed to 0 — within ~1e−7 of the reference's marginals.
   */
  exactExp?: boolean;
  /**
   * Run mean field in the WebAssembly SIMD kernel when every term is Potts and L > 2 (bit-identical to the JS loops,
   * ≈ 3–5× faster). Default true; the JS loops are used otherwise and where WebAssembly SIMD is unavailable.
   */
  simd?: boolean;
}

/** Index of the largest value per row (first wins on ties, like Eigen's maxCoeff). */
export function argmaxLabels(
  q: Float32Array,
  numLabels: number,
  out?: Uint8Array | Uint16Array | Int32Array,
): Uint8Array | Uint16Array | Int32Array {
  const n = q.length / numLabels;
  const res = out ?? (numLabels <= 256 ? new Uint8Array(n) : new Int32Array(n));
  for (let p = 0, i = 0; p < n; p++, i += numLabels) {
    let best = 0;
    let bv = q[i] as number;
    for (let l = 1; l < numLabels; l++) {
      const v = q[i + l] as number;
      if (v > bv) {
        bv = v;
        best = l;
      }
    }
    res[p] = best;
  }
  return res;
}

/**
 * Fully connected CRF over N points with L labels (Krähenbühl & Koltun 2011) with mean-field inference exactly as
 * densecrf v2.2 `DenseCRF::inference`: `Q0 = softmax(−U)`, then `Q ← softmax(−U − Σ_k μ_k(K̂_k Q))` — including
 * each point's own contribution, no damping. Buffers are allocated once and reused across iterations and calls.
 */
export class DenseCRF {
  readonly numPoints: number;
  readonly numLabels: number;
  protected unary: Float32Array | null = null;
  protected readonly terms: PairwiseTerm[] = [];
  private q: Float32Array | null = null;
  private logits: Float32Array | null = null;
  private work: Float32Array | null = null;
  private readonly rowScratch: Float32Array;
  private readonly matScratch: Float64Array;
  private started = false;
  private iterationsDone = 0;
  /** Whether the softmax reproduces Eigen's `exp` bit for bit (see `DenseCrfOptions`). */
  readonly exactExp: boolean;
  /** Whether the WebAssembly SIMD kernel may be used (see `DenseCrfOptions.simd`). */
  readonly simd: boolean;
  /** The SIMD engine for the current terms and unary: undefined = not built yet, null = not applicable. */
  private engine: WasmMeanField | null | undefined;
  /** True while the current marginals live only in the engine's memory (copied out on demand). */
  private qInEngine = false;

  constructor(numPoints: number, numLabels: number, options: DenseCrfOptions = {}) {
    checkInteger('numPoints', numPoints, 1, 2 ** 31 - 1);
    checkInteger('numLabels', numLabels, 2, 65535);
    if (numPoints * numLabels > 2 ** 31 - 1) {
      throw new DenseCrfError('numPoints', `${numPoints} points × ${numLabels} labels exceeds the typed-array limit`);
    }
    this.numPoints = numPoints;
    this.numLabels = numLabels;
    this.rowScratch = new Float32Array(numLabels);
    this.matScratch = new Float64Array(numLabels);
    this.exactExp = options.exactExp ?? false;
    this.simd = options.simd ?? true;
  }

  /** Number of pairwise terms added so far. */
  get numTerms(): number {
    return this.terms.length;
  }

  /** The pairwise terms (lattice sizes, normalisation factors) for inspection. */
  get pairwiseTerms(): readonly PairwiseTerm[] {
    return this.terms;
  }

  /** Unary energies `−log p`, N × L (labels fastest; `layout: 'lhw'` for planar). Copied; must be finite. */
  setUnaryEnergy(energy: ArrayLike<number>, options: { layout?: UnaryLayout } = {}): void {
    this.checkAlive();
    this.unary = prepareUnaryEnergy(energy, this.numPoints, this.numLabels, options.layout ?? 'hwl');
    this.started = false;
    this.dropEngine();
  }

  /** Unary energies `−log(max(p, clip))` from probabilities (N × L). */
  setUnaryFromProbabilities(probs: ArrayLike<number>, options: ProbabilityOptions = {}): void {
    this.checkAlive();
    this.unary = unaryFromProbabilities(probs, this.numPoints, this.numLabels, options);
    this.started = false;
    this.dropEngine();
  }

  /** Adds a pairwise term over arbitrary features (`addPairwiseEnergy` of the reference). */
  addPairwiseEnergy(options: PairwiseEnergyOptions): PairwiseTerm {
    if (options == null || typeof options !== 'object')
      throw new DenseCrfError('options', 'expected an options object');
    const { features, dims } = options;
    checkInteger('dims', dims, 1, 16);
    checkLength('features', features, this.numPoints * dims, `${this.numPoints} points × ${dims} dims`);
    checkFinite('features', features, dims);
    const f = features instanceof Float32Array ? features : Float32Array.from(features);
    return this.addTerm(f, dims, options.compat, options.normalization, options);
  }

  protected addTerm(
    features: Float32Array,
    dims: number,
    compat: Compatibility | undefined,
    normalization: unknown,
    options: LatticeOptions,
  ): PairwiseTerm {
    this.checkAlive();
    const comp = PairwiseTerm.resolve('compat', compat, this.numLabels);
    const norm = checkNormalization('normalization', normalization);
    const lat: LatticeOptions = { simd: options.simd ?? this.simd };
    if (options.referencePadding !== undefined) lat.referencePadding = options.referencePadding;
    const term = new PairwiseTerm(features, dims, this.numLabels, norm, comp, lat);
    this.dropEngine();
    this.terms.push(term);
    return term;
  }

  /** Forgets the SIMD engine (terms or unary changed), keeping the current marginals. */
  private dropEngine(): void {
    this.syncQ();
    this.engine?.dispose();
    this.engine = undefined;
  }

  private resolveEngine(): WasmMeanField | null {
    if (this.engine === undefined) {
      this.engine =
        this.simd && this.unary ? WasmMeanField.create(this.terms, this.unary, this.numLabels, this.exactExp) : null;
    }
    return this.engine;
  }

  /** Brings the JS copy of the marginals up to date. */
  private syncQ(): void {
    if (this.qInEngine && this.engine && this.q) this.engine.readQ(this.q);
    this.qInEngine = false;
  }

  private ensureBuffers(): void {
    const size = this.numPoints * this.numLabels;
    if (!this.q) {
      this.q = new Float32Array(size);
      this.logits = new Float32Array(size);
      this.work = new Float32Array(size);
    }
  }

  private requireUnary(): Float32Array {
    if (!this.unary)
      throw new DenseCrfError('unary', 'no unary energy set (call setUnaryEnergy or setUnaryFromProbabilities first)');
    return this.unary;
  }

  /** Starts step-by-step inference: `Q = softmax(−U)`. */
  startInference(): void {
    this.checkAlive();
    const u = this.requireUnary();
    this.ensureBuffers();
    const logits = this.logits as Float32Array;
    const engine = this.resolveEngine();
    if (engine) {
      engine.start();
      this.qInEngine = true;
    } else {
      negate(u, logits);
      expAndNormalize(logits, this.q as Float32Array, this.numLabels, this.rowScratch, this.exactExp);
      this.qInEngine = false;
    }
    this.started = true;
    this.iterationsDone = 0;
  }

  /** One mean-field iteration on the current marginals (starts inference first if needed). */
  stepInference(): void {
    this.checkAlive();
    if (!this.started) this.startInference();
    const u = this.unary as Float32Array;
    const q = this.q as Float32Array;
    const logits = this.logits as Float32Array;
    const work = this.work as Float32Array;
    const terms = this.terms;
    const engine = this.resolveEngine();
    if (engine) {
      // Whole iteration in the module; Q stays there until it is read.
      if (!this.qInEngine) engine.writeQ(q);
      engine.step();
      this.qInEngine = true;
      this.iterationsDone++;
      return;
    }
    this.syncQ();
    if (terms.length === 0) negate(u, logits);
    // The first term also writes −U into the logits (same arithmetic as the reference's tmp1 = −unary first).
    for (let k = 0; k < terms.length; k++)
      (terms[k] as PairwiseTerm).subtractMessage(q, logits, work, this.matScratch, k === 0 ? u : null);
    expAndNormalize(logits, q, this.numLabels, this.rowScratch, this.exactExp);
    this.iterationsDone++;
  }

  /** Whether mean field runs in the WebAssembly SIMD kernel for the current terms (needs the unary set). */
  get usesSimd(): boolean {
    return this.resolveEngine() !== null;
  }

  /** Iterations run since the last `startInference`. */
  get iterations(): number {
    return this.started ? this.iterationsDone : 0;
  }

  /** A copy of the current marginals (N × L, labels fastest). */
  currentMarginals(): Float32Array {
    if (!this.started) throw new DenseCrfError('inference', 'not started (call startInference first)');
    this.syncQ();
    return (this.q as Float32Array).slice();
  }

  /**
   * Gives the WebAssembly memories (lattice tables, padded marginals, vertex buffers) to a reuse pool, so that the
   * next CRF of similar size maps no fresh pages and frees none (page faults and unmapping are a large share of the
   * run time on VMs). Afterwards only `currentMarginals`/`currentMap` (the last marginals) may be called; other
   * methods throw, and the pairwise terms' lattices must not be used. Calling it is optional: without it the GC frees
   * everything as usual.
   */
  dispose(): void {
    if (this.disposed) return;
    this.dropEngine();
    for (const t of this.terms) t.lattice.release();
    this.disposed = true;
  }

  private disposed = false;

  private checkAlive(): void {
    if (this.disposed) throw new DenseCrfError('dispose', 'this CRF was disposed');
  }

  /** MAP labels of the current marginals. */
  currentMap(): Uint8Array {
    if (!this.started) throw new DenseCrfError('inference', 'not started (call startInference first)');
    this.checkMapLabels();
    this.syncQ();
    return argmaxLabels(this.q as Float32Array, this.numLabels) as Uint8Array;
  }

  /** Runs `iterations` mean-field iterations from `softmax(−U)`; returns the marginals (N × L, a new array). */
  inference(iterations = 5): Float32Array {
    checkInteger('iterations', iterations, 0, 100000);
    this.startInference();
    for (let it = 0; it < iterations; it++) this.stepInference();
    this.syncQ();
    return (this.q as Float32Array).slice();
  }

  /** MAP labelling after `iterations` iterations (per-pixel argmax, first label wins ties). Requires L ≤ 256. */
  map(iterations = 5): Uint8Array {
    checkInteger('iterations', iterations, 0, 100000);
    this.checkMapLabels();
    this.startInference();
    for (let it = 0; it < iterations; it++) this.stepInference();
    this.syncQ();
    return argmaxLabels(this.q as Float32Array, this.numLabels) as Uint8Array;
  }

  private checkMapLabels(): void {
    if (this.numLabels > 256) {
      throw new DenseCrfError(
        'map',
        `${this.numLabels} labels do not fit a Uint8Array; use argmaxLabels(inference(n), L)`,
      );
    }
  }
}

export interface GaussianOptions extends LatticeOptions {
  /** Spatial standard deviations in pixels (θγ; default 3). `sxy` sets both. */
  sx?: number;
  sy?: number;
  sxy?: number;
  /** Default 3 (Potts weight w2 of the reference example). */
  compat?: Compatibility;
  normalization?: Normalization;
}

/** Interleaved RGB bytes, or an object with `width`, `height`, `data` (e.g. `RgbImage` of `@deconvnet/image`). */
export type RgbInput =
  | Uint8Array
  | Uint8ClampedArray
  | { width: number; height: number; data: Uint8Array | Uint8ClampedArray };

export interface BilateralOptions extends LatticeOptions {
  /** Spatial standard deviations (θα; default 80). `sxy` sets both. */
  sx?: number;
  sy?: number;
  sxy?: number;
  /** Colour standard deviations on 0..255 (θβ; default 13). `srgb` sets all three. */
  sr?: number;
  sg?: number;
  sb?: number;
  srgb?: number;
  image: RgbInput;
  /** Default 10 (Potts weight w1 of the reference example). */
  compat?: Compatibility;
  normalization?: Normalization;
}

/** Dense CRF on a W × H pixel grid (`DenseCRF2D` of the reference; width first, pixel index `y·W + x`). */
export class DenseCRF2D extends DenseCRF {
  readonly width: number;
  readonly height: number;

  constructor(width: number, height: number, numLabels: number, options: DenseCrfOptions = {}) {
    checkInteger('width', width, 1, 1 << 20);
    checkInteger('height', height, 1, 1 << 20);
    super(width * height, numLabels, options);
    this.width = width;
    this.height = height;
  }

  /** Smoothness kernel `w2·exp(−|p_i − p_j|²/2θγ²)`. Defaults: sx = sy = 3, compat 3, symmetric. */
  addPairwiseGaussian(options: GaussianOptions = {}): PairwiseTerm {
    const sx = options.sx ?? options.sxy ?? 3;
    const sy = options.sy ?? options.sxy ?? 3;
    const f = gaussianFeatures(this.width, this.height, sx, sy);
    return this.addTerm(f, 2, options.compat ?? 3, options.normalization, options);
  }

  /** Appearance kernel `w1·exp(−|p_i − p_j|²/2θα² − |I_i − I_j|²/2θβ²)`. Defaults: 80 / 13, compat 10, symmetric. */
  addPairwiseBilateral(options: BilateralOptions): PairwiseTerm {
    if (options == null || typeof options !== 'object')
      throw new DenseCrfError('options', 'expected an options object with an image');
    const sx = options.sx ?? options.sxy ?? 80;
    const sy = options.sy ?? options.sxy ?? 80;
    const sr = options.sr ?? options.srgb ?? 13;
    const sg = options.sg ?? options.srgb ?? 13;
    const sb = options.sb ?? options.srgb ?? 13;
    const f = bilateralFeatures(this.width, this.height, sx, sy, sr, sg, sb, this.rgbBytes(options.image));
    return this.addTerm(f, 5, options.compat ?? 10, options.normalization, options);
  }

  private rgbBytes(image: RgbInput | undefined): Uint8Array | Uint8ClampedArray {
    if (image == null) throw new DenseCrfError('image', 'an RGB image is required for the bilateral term');
    if (image instanceof Uint8Array || image instanceof Uint8ClampedArray) return image;
    if (typeof image === 'object' && 'data' in image) {
      if (image.width !== this.width || image.height !== this.height) {
        throw new DenseCrfError(
          'image',
          `size ${image.width}×${image.height} does not match the CRF's ${this.width}×${this.height}`,
        );
      }
      return image.data;
    }
    throw new DenseCrfError('image', 'expected interleaved RGB bytes (Uint8Array) or an RgbImage');
  }
}
