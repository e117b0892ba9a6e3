import type { PairwiseTerm } from '../pairwise.js';
import { type WasmApi, type WasmMemory, type WasmModule, wasmModule } from './loader.js';
import { MEANFIELD_WASM_BASE64 } from './meanfieldbytes.js';
import { giveMemory, takeMemory } from './memorypool.js';

interface Kernel {
  splat(
    input: number,
    scale: number,
    tmp: number,
    vals: number,
    off: number,
    w: number,
    n: number,
    d1: number,
    P: number,
  ): void;
  splat3: SplatUnrolled;
  splat6: SplatUnrolled;
  blur(src: number, dst: number, nb: number, m: number, P: number): void;
  scaleIds(a: number, count: number, f: number): void;
  pad(src: number, dst: number, n: number, L: number, P: number): void;
  unpad(src: number, dst: number, n: number, L: number, P: number): void;
  negate(u: number, out: number, count: number): void;
  softmax(logits: number, q: number, n: number, L: number, P: number, fast: number): void;
  slicePotts(
    vals: number,
    logits: number,
    off: number,
    sw: number,
    n: number,
    d1: number,
    P: number,
    f: number,
    w: number,
    unary: number,
  ): void;
  slicePotts3: SliceUnrolled;
  slicePotts6: SliceUnrolled;
}

/** `splat` written out for a fixed d + 1 (no scratch row: the scaling is applied per packet). */
type SplatUnrolled = (input: number, scale: number, vals: number, off: number, w: number, n: number, P: number) => void;
/** `slicePotts` written out for a fixed d + 1. */
type SliceUnrolled = (
  vals: number,
  logits: number,
  off: number,
  sw: number,
  n: number,
  P: number,
  f: number,
  w: number,
  unary: number,
) => void;

let compiled: WasmModule | null | undefined;

/** The compiled kernel, or null where WebAssembly (with SIMD) is unavailable. Compiled once per realm. */
function kernelModule(): WasmModule | null {
  if (compiled === undefined) compiled = wasmModule(MEANFIELD_WASM_BASE64);
  return compiled;
}

/** Whether the WebAssembly SIMD kernel can run here. */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

interface TermLayout {
  d1: number;
  m: number;
  off: number;
  w: number;
  sw: number;
  nb: number;
  /** Factors address (0 = none) for the splat's input scaling and the slice's output scaling. */
  inScale: number;
  outScale: number;
  weight: number;
}

/**
 * Mean-field messages of Potts terms (L > 2) in WebAssembly SIMD: the splat → blur → slice + Potts update of
 * `PermutohedralLattice.filterPotts`, 4 labels per instruction, with label rows padded to a multiple of 4. The
 * module's memory owns every large buffer (lattice tables, padded Q / logits / unary, two vertex value buffers shared
 * by the terms), allocated once; an iteration allocates nothing. Results are bit-identical to the JS path.
 */
export class WasmMeanField {
  readonly numPoints: number;
  readonly numLabels: number;
  /** Padded row length (floats). */
  readonly stride: number;
  private readonly kernel: Kernel;
  private readonly memory: WasmMemory;
  private readonly terms: TermLayout[];
  private readonly qAt: number;
  private readonly logitsAt: number;
  private readonly unaryAt: number;
  private readonly tmpAt: number;
  /** 1: Eigen's packet exp on every label (exactExp off); 0: libm-like exp on the L mod 4 tail (exactExp on). */
  private readonly fast: number;
  private readonly vals0: number;
  private readonly vals1: number;

  private constructor(
    module: WasmModule,
    terms: readonly PairwiseTerm[],
    unary: Float32Array,
    L: number,
    exact: boolean,
  ) {
    const n = (terms[0] as PairwiseTerm).lattice.numPoints;
    const P = (L + 3) & ~3;
    this.numPoints = n;
    this.numLabels = L;
    this.stride = P;
    const rowBytes = P * 4;
    let top = 16; // address 0 stays unused: 0 means "none" in the kernel's optional pointers
    const alloc = (bytes: number): number => {
      const at = top;
      top += Math.ceil(bytes / 16) * 16;
      return at;
    };
    this.qAt = alloc(n * rowBytes);
    this.logitsAt = alloc(n * rowBytes);
    this.unaryAt = alloc(n * rowBytes);
    this.tmpAt = alloc(rowBytes);
    this.fast = exact ? 0 : 1;
    let maxM = 0;
    const plans = terms.map((t) => {
      const lat = t.lattice;
      const d1 = lat.dim + 1;
      maxM = Math.max(maxM, lat.numVertices);
      const f = t.factors;
      return {
        t,
        d1,
        off: alloc(n * d1 * 4),
        w: alloc(n * d1 * 4),
        sw: alloc(n * d1 * 4),
        nb: alloc(d1 * lat.numVertices * 8),
        f: f ? alloc(n * 4) : 0,
      };
    });
    this.vals0 = alloc((maxM + 1) * rowBytes);
    this.vals1 = alloc((maxM + 1) * rowBytes);
    if (top > 2 ** 31) throw new RangeError('dense-crf: problem too large for the WebAssembly kernel');
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly as WasmApi;
    this.memory = takeMemory(wasm, top);
    const instance = new wasm.Instance(module, { env: { memory: this.memory, exp: Math.exp } });
    this.kernel = instance.exports as unknown as Kernel;

    const buf = this.memory.buffer;
    const i32 = new Int32Array(buf);
    const f32 = new Float32Array(buf);
    this.terms = plans.map(({ t, d1, off, w, sw, nb, f }) => {
      const lat = t.lattice;
      const offsets = lat.offsets;
      const o = off >> 2;
      i32.set(offsets, o);
      this.kernel.scaleIds(off, offsets.length, rowBytes);
      f32.set(lat.weights, w >> 2);
      f32.set(lat.sliceWeights, sw >> 2);
      const nbs = lat.neighbours;
      const b = nb >> 2;
      i32.set(nbs, b);
      this.kernel.scaleIds(nb, nbs.length, rowBytes);
      if (f) f32.set(t.factors as Float32Array, f >> 2);
      const mode = t.normalization;
      const c = t.compatibility;
      return {
        d1,
        m: lat.numVertices,
        off,
        w,
        sw,
        nb,
        inScale: mode === 'symmetric' || mode === 'before' ? f : 0,
        outScale: mode === 'symmetric' || mode === 'after' ? f : 0,
        weight: c.kind === 'potts' ? c.weight : 0,
      };
    });
    // Packed into the (still unused) logits region, then padded by the module; every lane is written (padding
    // lanes 0): the memory may be a recycled one (memorypool.ts).
    f32.set(unary, this.logitsAt >> 2);
    this.kernel.pad(this.logitsAt, this.unaryAt, n, L, P);
  }

  private disposed = false;

  /** Gives the module's memory to the reuse pool (memorypool.ts). The engine must not be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    giveMemory(this.memory);
  }

  /** An engine for these terms, or null when the kernel does not apply (non-Potts term, L ≤ 2, no SIMD). */
  static create(
    terms: readonly PairwiseTerm[],
    unary: Float32Array,
    L: number,
    exactExp: boolean,
  ): WasmMeanField | null {
    if (L <= 2 || terms.length === 0) return null;
    for (const t of terms) if (t.compatibility.kind !== 'potts') return null;
    const module = kernelModule();
    if (!module) return null;
    try {
      return new WasmMeanField(module, terms, unary, L, exactExp);
    } catch {
      return null; // e.g. memory could not be reserved: the JS path still works
    }
  }

  /** `Q = softmax(−U)` in the module (`expAndNormalize` with the CRF's exactExp choice, bit for bit). */
  start(): void {
    const n = this.numPoints;
    this.kernel.negate(this.unaryAt, this.logitsAt, n * this.stride);
    this.kernel.softmax(this.logitsAt, this.qAt, n, this.numLabels, this.stride, this.fast);
  }

  /** One mean-field iteration entirely in the module: `Q ← softmax(−U − Σ_k μ_k(K̂_k Q))`. */
  step(): void {
    this.kernelMessages(new Float32Array(this.memory.buffer));
    this.kernel.softmax(this.logitsAt, this.qAt, this.numPoints, this.numLabels, this.stride, this.fast);
  }

  /** Sets the module's Q from `q` (N × L); the logits region (rewritten by every step) is the staging area. */
  writeQ(q: Float32Array): void {
    new Float32Array(this.memory.buffer, this.logitsAt, q.length).set(q);
    this.kernel.pad(this.logitsAt, this.qAt, this.numPoints, this.numLabels, this.stride);
  }

  /** Copies the module's Q (padded) into `out` (N × L), staged through the logits region. */
  readQ(out: Float32Array): void {
    this.kernel.unpad(this.qAt, this.logitsAt, this.numPoints, this.numLabels, this.stride);
    out.set(new Float32Array(this.memory.buffer, this.logitsAt, out.length));
  }

  private kernelMessages(f32: Float32Array): void {
    const n = this.numPoints;
    const P = this.stride;
    const k = this.kernel;
    const rowFloats = P;
    for (let t = 0; t < this.terms.length; t++) {
      const term = this.terms[t] as TermLayout;
      const { d1, m } = term;
      f32.fill(0, this.vals0 >> 2, (this.vals0 >> 2) + (m + 1) * rowFloats);
      f32.fill(0, this.vals1 >> 2, (this.vals1 >> 2) + rowFloats);
      // d + 1 = 3 (2-D Gaussian) and 6 (bilateral): the kernels with the simplex held in locals.
      const unrolled = d1 === 3 || d1 === 6;
      if (unrolled) {
        const splat = d1 === 3 ? k.splat3 : k.splat6;
        splat(this.qAt, term.inScale, this.vals0, term.off, term.w, n, P);
      } else k.splat(this.qAt, term.inScale, this.tmpAt, this.vals0, term.off, term.w, n, d1, P);
      let src = this.vals0;
      let dst = this.vals1;
      for (let j = 0; j < d1; j++) {
        k.blur(src, dst, term.nb + j * m * 8, m, P);
        const s = src;
        src = dst;
        dst = s;
      }
      const unary = t === 0 ? this.unaryAt : 0;
      if (unrolled) {
        const slice = d1 === 3 ? k.slicePotts3 : k.slicePotts6;
        slice(src, this.logitsAt, term.off, term.sw, n, P, term.outScale, term.weight, unary);
      } else k.slicePotts(src, this.logitsAt, term.off, term.sw, n, d1, P, term.outScale, term.weight, unary);
    }
  }
}
