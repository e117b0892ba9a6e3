import { RESAMPLE_WASM_BASE64 } from './wasm/resamplebytes.js';
import { compileWasm, ensureWasmMemory, instantiateWasm, type WasmMemory, type WasmModule } from './wasm-module.js';

interface Exports {
  memory: WasmMemory;
  lerpRow(x0: number, x1: number, wx: number, out: number, n: number, C: number, check: number): void;
  clampRow(p: number, len: number): void;
  tameRow(p: number, len: number): number;
  blendRow(a: number, b: number, t: number, dst: number, len: number, mode: number, check: number): void;
  blendRow2(a: number, b: number, t: number, dst: number, t2: number, dst2: number, len: number, mode: number): void;
}

/** The compiled resample.wat, or null where WebAssembly (with SIMD) is unavailable. */
function kernelModule(): WasmModule | null {
  return compileWasm(RESAMPLE_WASM_BASE64);
}

/** Whether the WebAssembly SIMD resample kernel can run here (else the plain JS kernel runs, same results ±1 ulp). */
export function simdAvailable(): boolean {
  return kernelModule() !== null;
}

/** Memories owned by kernels, by their current buffer: a destination living there is written in place. */
const owners = new WeakMap<ArrayBuffer, SimdKernel>();

/**
 * One instance of the SIMD kernel with its own memory. The first `reserved` bytes belong to a canvas (see
 * createScoreCanvas); scratch (source row, taps, row buffers) follows and grows on demand. Growing replaces the
 * memory's ArrayBuffer (old views detach), so views are re-derived through {@link f32} / {@link i32}.
 */
export class SimdKernel {
  readonly exports: Exports;
  readonly reserved: number;
  private f32View: Float32Array;
  private i32View: Int32Array;

  constructor(reserved: number, module: WasmModule) {
    this.exports = instantiateWasm<Exports>(module);
    this.reserved = reserved;
    this.ensure(reserved + 65536);
    this.f32View = new Float32Array(this.exports.memory.buffer);
    this.i32View = new Int32Array(this.exports.memory.buffer);
  }

  /** The kernel owning `buffer`, if any. */
  static owner(buffer: ArrayBufferLike): SimdKernel | undefined {
    return owners.get(buffer as ArrayBuffer);
  }

  ensure(bytes: number): void {
    ensureWasmMemory(this.exports.memory, bytes);
    owners.set(this.exports.memory.buffer, this);
  }

  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  f32(): Float32Array {
    if (this.f32View.buffer !== this.exports.memory.buffer) this.f32View = new Float32Array(this.exports.memory.buffer);
    return this.f32View;
  }

  i32(): Int32Array {
    if (this.i32View.buffer !== this.exports.memory.buffer) this.i32View = new Int32Array(this.exports.memory.buffer);
    return this.i32View;
  }
}

let shared: SimdKernel | null | undefined;

/** The kernel used for destinations outside any kernel memory (rows are computed there and copied out). */
export function sharedKernel(): SimdKernel | null {
  if (shared === undefined) {
    const mod = kernelModule();
    shared = mod ? new SimdKernel(0, mod) : null;
  }
  return shared;
}

/** A new kernel whose memory starts with `bytes` for a canvas, or null without WebAssembly SIMD. */
export function createKernel(bytes: number): SimdKernel | null {
  const mod = kernelModule();
  return mod ? new SimdKernel(bytes, mod) : null;
}
