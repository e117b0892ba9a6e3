import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, test } from 'vitest';
import { selectBackend } from './backend.js';

const saved = process.env.DECONVNET_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.DECONVNET_BACKEND;
  else process.env.DECONVNET_BACKEND = saved;
});

describe('selectBackend', () => {
  test('default order: skips the absent tfjs-node packages with their reason and falls back to wasm', async () => {
    delete process.env.DECONVNET_BACKEND;
    const s = await selectBackend();
    expect(s.source).toBe('default');
    expect(s.skipped.map((k) => k.candidate).slice(0, 2)).toEqual(['tfjs-node-gpu', 'tfjs-node']);
    for (const k of s.skipped.slice(0, 2)) expect(k.reason).toMatch(/resolve|find|cannot|not/i);
    expect(s.backend).toBe('wasm');
    expect(s.via).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  test('DECONVNET_BACKEND overrides the order; cpu gets the fast kernels when the kernels module has them', async () => {
    process.env.DECONVNET_BACKEND = 'bogus, cpu';
    const s = await selectBackend();
    expect(s.source).toBe('DECONVNET_BACKEND');
    expect(s.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(s.skipped).toEqual([{ candidate: 'bogus', reason: expect.stringMatching(/unknown backend/) }]);
    expect(Array.isArray(s.fastKernels)).toBe(true);
    for (const k of s.fastKernels) expect(tf.getKernel(k, 'cpu')).toBeDefined();
  });

  test('options.prefer wins over the environment; no usable candidate is a clear error', async () => {
    process.env.DECONVNET_BACKEND = 'cpu';
    expect((await selectBackend({ prefer: ['wasm'] })).backend).toBe('wasm');
    await expect(selectBackend({ prefer: 'tfjs-node' })).rejects.toThrow(
      /selectBackend: no usable tfjs backend among tfjs-node: tfjs-node: /,
    );
    process.env.DECONVNET_BACKEND = 'nothing';
    await expect(selectBackend()).rejects.toThrow(
      /DECONVNET_BACKEND: no usable tfjs backend among nothing: nothing: unknown backend/,
    );
  });
});
