import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { deconvNet } from '../builders/deconvnet.js';
import { labelsToTensor, preprocess } from '../preprocess.js';
import { rng, useBackend } from '../test-setup.js';
import { createTrainer, stepSchedule } from './trainer.js';

let fast: string[] = [];
beforeAll(async () => {
  fast = await useBackend('cpu', { fastKernels: true });
});

/** Noisy background with one coloured rectangle; the label is its colour's class, a 1-px void band around it. */
function synthetic(count: number, size: number, seed: number) {
  const r = rng(seed);
  const colours = [
    [200, 40, 40],
    [40, 200, 40],
    [40, 40, 200],
  ];
  return Array.from({ length: count }, () => {
    const data = new Uint8Array(size * size * 3);
    const label = new Uint8Array(size * size);
    const cls = 1 + Math.floor(r() * 3);
    const x0 = Math.floor(r() * size * 0.4);
    const y0 = Math.floor(r() * size * 0.4);
    const x1 = x0 + Math.floor(size * 0.35 + r() * size * 0.2);
    const y1 = y0 + Math.floor(size * 0.35 + r() * size * 0.2);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
        const edge = inside && (x === x0 || y === y0 || x === x1 - 1 || y === y1 - 1);
        const c = inside ? colours[cls - 1]! : [110, 110, 110];
        for (let k = 0; k < 3; k++) data[(y * size + x) * 3 + k] = Math.max(0, Math.min(255, c[k]! + (r() - 0.5) * 60));
        label[y * size + x] = edge ? 255 : inside ? cls : 0;
      }
    return { image: { width: size, height: size, data }, label: { width: size, height: size, data: label } };
  });
}

describe('createTrainer', () => {
  test('the tiny preset overfits a handful of synthetic images on the cpu backend (loss falls ≥ 5×)', async () => {
    const size = 32;
    const m = deconvNet({ preset: 'tiny', inputSize: size, numClasses: 4, seed: 1 });
    const set = synthetic(3, size, 5);
    const x = preprocess(set.map((s) => s.image));
    const y = labelsToTensor(
      set.map((s) => s.label),
      { numClasses: 4 },
    );
    const trainer = createTrainer(m, { learningRate: stepSchedule(0.2, 0.5, 15), weightDecay: 0.0005 });
    const losses: number[] = [];
    let tensorsAfterFirst = 0;
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) {
      const { loss } = await trainer.step(x, y);
      losses.push(loss);
      if (i === 0) tensorsAfterFirst = tf.memory().numTensors;
    }
    if (process.env.DECONVNET_VERBOSE)
      console.log(
        `overfit: ${losses.length} steps, ${Date.now() - t0} ms, fast kernels [${fast}], loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)}`,
      );
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst); // no leak per step
    expect(losses[0]).toBeGreaterThan(1); // ≈ ln 4 at the start
    expect(Math.min(...losses.slice(-3))).toBeLessThan(losses[0]! / 5);
    trainer.dispose();
    tf.dispose([x, y]);
    m.dispose();
  });
});
