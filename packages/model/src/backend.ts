import * as tf from '@tensorflow/tfjs-core';
import { ModelError } from './errors.js';

export type BackendCandidate = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

export const DEFAULT_BACKEND_ORDER: readonly BackendCandidate[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface BackendSelection {
  /** The tfjs backend now active: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** The candidate that provided it. */
  via: BackendCandidate;
  /** Candidates tried before it, each with the reason it was skipped. */
  skipped: Array<{ candidate: string; reason: string }>;
  /** Fast training kernels registered for it (wasm/cpu; empty for tensorflow). */
  fastKernels: string[];
  /** Where the order came from. */
  source: 'default' | 'option' | 'DECONVNET_BACKEND';
}

export interface SelectBackendOptions {
  /** Candidates in order of preference; a string is a comma-separated list. Default: DECONVNET_BACKEND, else the default order. */
  prefer?: readonly string[] | string;
  /** The backend will train: skip a wasm backend that cannot compute convolution gradients. */
  training?: boolean;
  /** Register the fast wasm/cpu training kernels (default true). */
  fastKernels?: boolean;
}

const ALIASES: Record<string, BackendCandidate> = {
  'tfjs-node-gpu': 'tfjs-node-gpu',
  gpu: 'tfjs-node-gpu',
  'tfjs-node': 'tfjs-node',
  node: 'tfjs-node',
  tensorflow: 'tfjs-node',
  wasm: 'wasm',
  cpu: 'cpu',
};

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

async function registerFast(backend: 'wasm' | 'cpu'): Promise<string[]> {
  // The kernels module is optional at run time (a trimmed build may lack it); its absence is not an error.
  const mod = (await import('./kernels/index.js').catch(() => undefined)) as
    | { registerFastKernels?: (b: 'wasm' | 'cpu') => string[] }
    | undefined;
  return mod?.registerFastKernels ? mod.registerFastKernels(backend) : [];
}

async function activate(candidate: BackendCandidate): Promise<string> {
  if (candidate === 'tfjs-node-gpu' || candidate === 'tfjs-node') {
    const spec = `@tensorflow/${candidate}`; // a variable specifier, so bundlers leave the optional peer alone
    await import(/* @vite-ignore */ spec);
    if (!(await tf.setBackend('tensorflow'))) throw new Error('backend "tensorflow" failed to initialise');
    return 'tensorflow';
  }
  if (candidate === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('backend "wasm" failed to initialise');
    return 'wasm';
  }
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('backend "cpu" failed to initialise');
  return 'cpu';
}

/**
 * Picks the fastest working tfjs backend: tfjs-node-gpu → tfjs-node → wasm → cpu (toolchain.md §6), or the order in
 * `options.prefer` / the `DECONVNET_BACKEND` environment variable (e.g. `wasm,cpu`). Missing packages, missing native
 * bindings and failed initialisations are skipped with their reason; it throws only when no candidate works. On wasm
 * and cpu it registers the fast training kernels (`@deconvnet/model/kernels`); tfjs-node is left untouched.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const env = typeof process !== 'undefined' ? process.env?.DECONVNET_BACKEND?.trim() : undefined;
  const source = options.prefer !== undefined ? 'option' : env ? 'DECONVNET_BACKEND' : 'default';
  const raw = options.prefer ?? (env ? env : DEFAULT_BACKEND_ORDER);
  const list = (typeof raw === 'string' ? raw.split(',') : [...raw]).map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 0)
    throw new ModelError(source === 'option' ? 'selectBackend' : source, 'no backend candidates given');
  const skipped: BackendSelection['skipped'] = [];
  for (const name of list) {
    const candidate = ALIASES[name];
    if (!candidate) {
      skipped.push({ candidate: name, reason: `unknown backend (expected ${DEFAULT_BACKEND_ORDER.join(', ')})` });
      continue;
    }
    let backend: string;
    try {
      backend = await activate(candidate);
      await tf.ready();
    } catch (e) {
      skipped.push({ candidate, reason: firstLine(e) });
      continue;
    }
    let fastKernels: string[] = [];
    if (backend === 'wasm' || backend === 'cpu') {
      if (options.fastKernels !== false) {
        try {
          fastKernels = await registerFast(backend);
        } catch (e) {
          skipped.push({
            candidate,
            reason: `fast kernels failed to register (${firstLine(e)}); using the stock kernels`,
          });
        }
      }
      if (options.training && backend === 'wasm' && !tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
        skipped.push({ candidate, reason: 'cannot train: no Conv2DBackpropFilter kernel on wasm' });
        continue;
      }
    }
    return { backend, via: candidate, skipped, fastKernels, source };
  }
  throw new ModelError(
    source === 'option' ? 'selectBackend' : source === 'DECONVNET_BACKEND' ? 'DECONVNET_BACKEND' : 'selectBackend',
    `no usable tfjs backend among ${list.join(', ')}: ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`,
  );
}
