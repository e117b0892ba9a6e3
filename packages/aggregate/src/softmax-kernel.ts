import { compileWasm, ensureWasmMemory, instantiateWasm, type WasmMemory } from '@deconvnet/image';
import { SOFTMAX_WASM_BASE64 } from './wasm/softmaxbytes.js';

/**
 * Driver of the WebAssembly SIMD softmax (src/wasm/softmax.wat): per-pixel softmax in float64 with f64x2 lanes and a
 * polynomial exp (relative error < 1e-14 against Math.exp), about 10× faster than scalar JS with Math.exp. Where
 * WebAssembly SIMD is unavailable `softmaxPixels` returns false and callers run their JS loops (same results).
 */

interface Exports {
  memory: WasmMemory;
  softmax(
    a: number,
    b: number,
    out: number,
    n: number,
    C: number,
    scale: number,
    kind: number,
    out64: number,
    L: number,
    list: number,
  ): number;
  expRow(x: number, out: number, n: number): void;
}

let instance: Exports | null | undefined;

function kernel(): Exports | null {
  if (instance === undefined) {
    const mod = compileWasm(SOFTMAX_WASM_BASE64);
    instance = mod ? instantiateWasm<Exports>(mod) : null;
  }
  return instance;
}

/** Pixels per kernel call: inputs and outputs of one chunk stay in L2 (and the memory stays small). */
const CHUNK_BYTES = 128 * 1024;
const al = (n: number) => (n + 15) & ~15;

export interface SoftmaxPixelsArgs {
  /** 'scaled': logits = a·scale; 'product': logits = max(0, a)·max(0, b) (float64, exact). */
  kind: 'scaled' | 'product';
  a: Float32Array;
  b?: Float32Array;
  scale?: number;
  channels: number;
  /** First pixel and pixel count (a and b are read at pixel p's offset p·C). */
  p0: number;
  n: number;
  /** Pixel p is written at out[(p − p0 + outP0)·C …]. */
  out: Float32Array | Float64Array;
  outP0: number;
  /** Called for pixels the kernel leaves alone (max logit ±∞, or all NaN): the caller applies softmaxAt's rules. */
  fix: (p: number) => void;
}

/** Softmax of pixels [p0, p0 + n) with the WebAssembly kernel. Returns false (nothing done) without WebAssembly SIMD. */
export function softmaxPixels(args: SoftmaxPixelsArgs): boolean {
  const k = kernel();
  if (!k) return false;
  const { kind, a, b, channels: C, p0, n, out, outP0, fix } = args;
  const scale = args.scale ?? 1;
  const out64 = out instanceof Float64Array;
  const chunk = Math.max(1, Math.min(n, Math.floor(CHUNK_BYTES / (C * 4))));
  const A = 0;
  const B = A + al(chunk * C * 4);
  const OUT = B + (kind === 'product' ? al(chunk * C * 4) : 0);
  const L = OUT + al(chunk * C * (out64 ? 8 : 4));
  const LIST = L + al((C + 2) * 8);
  ensureWasmMemory(k.memory, LIST + chunk * 4);
  const buf = k.memory.buffer;
  const f32 = new Float32Array(buf);
  const f64 = new Float64Array(buf);
  const i32 = new Int32Array(buf);
  for (let q = 0; q < n; q += chunk) {
    const m = Math.min(chunk, n - q);
    const s = (p0 + q) * C;
    f32.set(a.subarray(s, s + m * C), A / 4);
    if (kind === 'product') f32.set(b!.subarray(s, s + m * C), B / 4);
    const skipped = k.softmax(A, B, OUT, m, C, scale, kind === 'product' ? 1 : 0, out64 ? 1 : 0, L, LIST);
    // The skipped pixels first, while `a`/`b` still hold their inputs (out may be a or b: in place), then the
    // kernel's results around them (the list is ascending).
    for (let i = 0; i < skipped; i++) fix(p0 + q + i32[LIST / 4 + i]!);
    const view = out64 ? f64.subarray(OUT / 8, OUT / 8 + m * C) : f32.subarray(OUT / 4, OUT / 4 + m * C);
    const o = (outP0 + q) * C;
    let from = 0;
    for (let i = 0; i <= skipped; i++) {
      const to = i < skipped ? i32[LIST / 4 + i]! : m;
      if (to > from) out.set(view.subarray(from * C, to * C), o + from * C);
      from = to + 1;
    }
  }
  return true;
}

/** exp of each value with the kernel's polynomial (for the accuracy test); null without WebAssembly SIMD. */
export function kernelExp(xs: Float64Array): Float64Array | null {
  const k = kernel();
  if (!k) return null;
  const n = xs.length + (xs.length & 1);
  ensureWasmMemory(k.memory, n * 16);
  const f64 = new Float64Array(k.memory.buffer);
  f64.fill(0, 0, 2 * n);
  f64.set(xs, 0);
  k.expRow(0, n * 8, n);
  return f64.slice(n, n + xs.length);
}

/** Whether the WebAssembly SIMD softmax kernel runs here. */
export function softmaxKernelAvailable(): boolean {
  return kernel() !== null;
}
