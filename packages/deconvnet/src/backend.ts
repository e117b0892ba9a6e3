/**
 * Backend start-up: @deconvnet/model's selectBackend (tfjs-node-gpu → tfjs-node → wasm → cpu, DECONVNET_BACKEND, or
 * the one asked for), which also registers its fast training kernels on wasm/cpu (tfjs-backend-wasm has no conv
 * gradients of its own).
 */
import { selectBackend } from '@deconvnet/model';
import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './errors.js';

export interface BackendInfo {
  name: string;
  fastKernels: string[];
  /** Candidates skipped before the chosen one, with reasons. */
  skipped: string[];
}

const KNOWN = ['tensorflow', 'tfjs-node', 'tfjs-node-gpu', 'gpu', 'node', 'wasm', 'cpu'];

export async function initBackend(requested?: string): Promise<BackendInfo> {
  if (requested !== undefined && !KNOWN.includes(requested)) {
    throw new UsageError(`--backend must be one of tensorflow, tfjs-node-gpu, wasm, cpu; got "${requested}"`);
  }
  let r: Awaited<ReturnType<typeof selectBackend>>;
  try {
    r = await selectBackend({ ...(requested ? { prefer: [requested] } : {}), training: true });
  } catch (e) {
    throw new UsageError(`backend ${requested ?? '(default)'}: ${(e as Error).message.split('\n')[0]}`);
  }
  tf.enableProdMode();
  return { name: r.backend, fastKernels: r.fastKernels, skipped: r.skipped.map((s) => `${s.candidate}: ${s.reason}`) };
}
