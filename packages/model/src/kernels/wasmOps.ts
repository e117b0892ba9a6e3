import {
  getKernel,
  type KernelBackend,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './backendTypes.js';

/**
 * Runs another kernel of the same backend from inside a kernel (tfjs kernels cannot call ops). Captured at
 * registration time so that our own replacements are never re-entered.
 */
export function callKernel(
  name: string,
  backendName: string,
  backend: KernelBackend,
  inputs: Record<string, TensorInfo | TensorInfo[]>,
  attrs: object = {},
): TensorInfo {
  const config = getKernel(name, backendName);
  if (!config) throw new Error(`fast kernels: kernel '${name}' is not registered for backend '${backendName}'`);
  return (config.kernelFunc as KernelFunc)({
    inputs: inputs as never,
    backend,
    attrs: attrs as NamedAttrMap,
  }) as TensorInfo;
}

/** A view of `t` with another shape (same data id: no copy; wasm kernels read only the id and the shape). */
export function reshaped(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** Float32 view of a tensor on the wasm heap. Re-read after any allocation: the heap may grow and move. */
export function heapF32(backend: WasmBackendLike, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}
