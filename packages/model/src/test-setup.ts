// Test helpers (not exported by the package): a quiet cpu backend with the fast kernels when available.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';

export async function useBackend(name: 'cpu' | 'wasm', options: { fastKernels?: boolean } = {}): Promise<string[]> {
  tf.env().set('IS_TEST', true);
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(name);
  await tf.ready();
  const mod = (await import('./kernels/index.js').catch(() => undefined)) as
    | { registerFastKernels?: (b: 'wasm' | 'cpu') => string[] }
    | undefined;
  return options.fastKernels ? (mod?.registerFastKernels?.(name) ?? []) : [];
}

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
