import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { makeBinaryKernels, makeWasmBinaryKernels } from './broadcastArithmetic.js';
import { makeCpuConv2dBackpropFilter, makeWasmConv2dBackpropFilter } from './conv2dBackpropFilter.js';
import { makeWasmConv2dBackpropInput } from './conv2dBackpropInput.js';
import { makeCopyKernels } from './copyKernels.js';
import { makeMaxPoolGrad } from './maxPoolGrad.js';
import { makeReduceKernels } from './reductions.js';

export type FastKernelBackend = 'wasm' | 'cpu';

/** The kernels that were registered before ours, per backend, so `restoreKernels` can put them back. */
const originals = new Map<string, KernelConfig | undefined>();

function configsFor(backend: FastKernelBackend): KernelConfig[] {
  const stock = (name: string) => originalOf(name, backend)?.kernelFunc;
  if (backend === 'cpu') {
    return [
      makeCpuConv2dBackpropFilter(stock('Conv2DBackpropFilter')),
      ...makeCopyKernels('cpu', stock),
      ...makeBinaryKernels(stock),
      ...makeReduceKernels(stock),
      makeMaxPoolGrad('cpu', stock('MaxPoolGrad')),
    ];
  }
  return [
    ...makeCopyKernels('wasm', stock),
    ...makeWasmBinaryKernels(stock),
    makeWasmConv2dBackpropFilter(),
    makeWasmConv2dBackpropInput(stock('Conv2DBackpropInput')),
    makeMaxPoolGrad('wasm', stock('MaxPoolGrad')),
  ];
}

function key(name: string, backend: string): string {
  return `${backend}/${name}`;
}

function originalOf(name: string, backend: string): KernelConfig | undefined {
  const k = key(name, backend);
  return originals.has(k) ? originals.get(k) : getKernel(name, backend);
}

/**
 * Registers the fast training kernels for `backend` ('wasm' or 'cpu'), replacing any kernel of the same name, and
 * returns their names. Idempotent. Never touches the tensorflow (tfjs-node) backend.
 */
export function registerFastKernels(backend: FastKernelBackend): string[] {
  if (backend !== 'wasm' && backend !== 'cpu') {
    throw new Error(`registerFastKernels: backend must be 'wasm' or 'cpu', got ${JSON.stringify(backend)}`);
  }
  const names: string[] = [];
  for (const config of configsFor(backend)) {
    const k = key(config.kernelName, backend);
    const existing = getKernel(config.kernelName, backend);
    if (!originals.has(k)) originals.set(k, existing);
    if (existing) unregisterKernel(config.kernelName, backend);
    // Our kernels fall back to the stock ones, whose setup (e.g. wasm cwrap) runs when the backend initialises:
    // keep it, or a stock kernel replaced before initialisation would never be set up.
    const stock = originals.get(k);
    registerKernel(stock?.setupFunc && !config.setupFunc ? { ...config, setupFunc: stock.setupFunc } : config);
    names.push(config.kernelName);
  }
  return names;
}

/** Puts back the kernels that `registerFastKernels(backend)` replaced (for before/after benchmarks and tests). */
export function restoreKernels(backend: FastKernelBackend): void {
  for (const [k, config] of originals) {
    const [b, name] = k.split('/') as [string, string];
    if (b !== backend) continue;
    if (getKernel(name, b)) unregisterKernel(name, b);
    if (config) registerKernel(config);
    originals.delete(k);
  }
}
