// The subset of the WebAssembly JS API the @deconvnet kernels use, typed here: the packages compile against ES2022
// without DOM types, and the global is looked up at run time so a realm without it keeps the JS paths.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: unknown };
}

const cache = new Map<string, WasmModule | null>();

/**
 * Compiles an embedded base64 module once per realm; null where WebAssembly, or a feature the module uses (SIMD),
 * is unavailable. The modules are a few KB, so the synchronous compile stays under browsers' main-thread limit.
 */
export function compileWasm(base64: string): WasmModule | null {
  const hit = cache.get(base64);
  if (hit !== undefined) return hit;
  let mod: WasmModule | null = null;
  const env = globalThis as { WebAssembly?: WasmApi; atob?: (b64: string) => string };
  try {
    const api = env.WebAssembly;
    if (api && typeof env.atob === 'function') {
      const bin = env.atob(base64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      if (api.validate(bytes)) mod = new api.Module(bytes);
    }
  } catch {
    mod = null;
  }
  cache.set(base64, mod);
  return mod;
}

/** A fresh instance of a module from {@link compileWasm} (no imports), typed by the caller. */
export function instantiateWasm<Exports>(module: WasmModule): Exports {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) throw new Error('instantiateWasm: WebAssembly is unavailable');
  return new api.Instance(module).exports as Exports;
}

/** Grows `memory` so it holds at least `bytes` (growing detaches views of the old buffer). */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}
