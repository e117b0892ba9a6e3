import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The few members of tfjs-backend-wasm's `BackendWasm` the kernels use. Declared structurally so this module needs no
 * (deep) import of the optional wasm package: they are public members of the class in 4.22.
 */
export interface WasmBackendLike extends KernelBackend {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number, values?: ArrayLike<number>): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  wasm: {
    cwrap(name: string, ret: null | 'number', args: string[]): (...args: unknown[]) => unknown;
    HEAPU8: Uint8Array;
  };
}

/** The members of tfjs-backend-cpu's `MathBackendCPU` used here (public in 4.22). */
export interface CpuBackendLike extends KernelBackend {
  makeTensorInfo(shape: number[], dtype: DataType, values?: ArrayLike<number> | Float32Array): TensorInfo;
}
