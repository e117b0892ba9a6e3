// The subset of the WebAssembly JS API used by the kernels, typed locally: the package compiles against ES2022
// without DOM types, and the global is looked up at run time so that a realm without it simply keeps the JS paths.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __wasmModule?: never;
}
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

/** Compiles a base64 module (SIMD included), or null where WebAssembly or one of its features is unavailable. */
export function wasmModule(base64: string): WasmModule | null {
  const env = globalThis as { WebAssembly?: WasmApi; atob?: (b64: string) => string };
  try {
    const wasm = env.WebAssembly;
    if (typeof wasm !== 'object' || typeof env.atob !== 'function') return null;
    const bin = env.atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    // Synchronous compile: the modules are a few KB, under every browser's main-thread limit.
    return wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    return null;
  }
}
