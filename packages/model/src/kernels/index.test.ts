import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, test } from 'vitest';

describe('@deconvnet/model/kernels entry', () => {
  test('importing it registers the kernels for the wasm and cpu backends already registered', async () => {
    // Stock tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all.
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    const stockCpu = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    const { registerFastKernels, restoreKernels } = await import('./index.js');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).not.toBe(stockCpu);
    // Nothing is ever registered for tfjs-node's backend.
    expect(tf.getKernelsForBackend('tensorflow')).toEqual([]);

    const wasmNames = registerFastKernels('wasm');
    expect(wasmNames).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Slice', 'Tile']));
    expect(registerFastKernels('wasm')).toEqual(wasmNames); // idempotent
    const cpuNames = registerFastKernels('cpu');
    expect(cpuNames).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Multiply', 'Sum']));
    for (const n of cpuNames) expect(tf.getKernel(n, 'cpu')).toBeDefined();

    restoreKernels('cpu');
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(stockCpu);
    restoreKernels('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    registerFastKernels('wasm');
    registerFastKernels('cpu');
  });

  test('a backend other than wasm or cpu is a clear error', async () => {
    const { registerFastKernels } = await import('./index.js');
    expect(() => registerFastKernels('tensorflow' as 'cpu')).toThrow(/backend must be 'wasm' or 'cpu'.*tensorflow/);
  });
});
