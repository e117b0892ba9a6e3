import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { registerFastKernels, restoreKernels } from './registerFastKernels.js';

/** Test helpers (not exported from the package entry): run kernels on a backend, with the fast or the stock ones. */

export type Backend = 'wasm' | 'cpu';

export async function use(backend: Backend): Promise<void> {
  tf.enableProdMode();
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  await tf.ready();
}

export interface Operand {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype?: 'float32' | 'int32' | 'bool';
}

/** Runs kernel `name` on the current backend; returns plain values and checks no backend data ids leak. */
export function run(
  name: string,
  inputs: Record<string, Operand> | Operand[],
  attrs: object,
): { values: Float32Array | Int32Array | Uint8Array; shape: number[] } {
  const mk = (o: Operand) => tf.tensor(o.values, o.shape, o.dtype ?? 'float32');
  const ins = Array.isArray(inputs)
    ? inputs.map(mk)
    : Object.fromEntries(Object.entries(inputs).map(([k, o]) => [k, mk(o)]));
  const before = tf.engine().backend.numDataIds();
  const out = tf.engine().runKernel(name, ins as never, attrs as never) as tf.Tensor;
  const after = tf.engine().backend.numDataIds();
  if (after !== before + 1) throw new Error(`${name} on ${tf.getBackend()}: ${after - before - 1} data ids leaked`);
  const values = out.dataSync() as Float32Array | Int32Array | Uint8Array;
  const shape = out.shape;
  out.dispose();
  tf.dispose(Object.values(ins));
  return { values: values.slice(), shape };
}

/** Runs `fn` with the stock kernels of `backend` (ours unregistered), then registers ours again. */
export function withStock<T>(backend: Backend, fn: () => T): T {
  restoreKernels(backend);
  try {
    return fn();
  } finally {
    registerFastKernels(backend);
  }
}

/** Deterministic pseudo-random values in [-1, 1) (xorshift), so failures reproduce. */
export function rand(n: number, seed = 1): Float32Array {
  let s = seed * 2654435761 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** max |a − b| / (1 + max |b|): relative to the result's scale. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return m / (1 + scale);
}
