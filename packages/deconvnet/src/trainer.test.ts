import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { writeTensorFile } from './tensor-file.js';
import { tinyNet } from './test-helpers.js';
import { train } from './trainer.js';
import { memoryStream, type SampleSource } from './training-stream.js';
import { getModelWeights, setModelWeights } from './weights.js';

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

/** 10 samples of 8×8: random colours, label = which channel is brightest; sample content also depends on the RNG. */
function samples(failAt?: { calls: number }): SampleSource {
  let calls = 0;
  return {
    count: 10,
    get(index, rng: Rng) {
      calls++;
      if (failAt && calls === failAt.calls) throw new Error('simulated crash');
      const base = new Rng(index);
      const data = new Uint8Array(8 * 8 * 3);
      const lab = new Uint8Array(64);
      const jitter = rng.int(30);
      for (let p = 0; p < 64; p++) {
        const rgb = [base.int(200) + jitter, base.int(200), base.int(200)];
        data.set(rgb, p * 3);
        lab[p] = p % 13 === 0 ? 255 : rgb.indexOf(Math.max(...rgb));
      }
      return { image: { width: 8, height: 8, data }, label: { width: 8, height: 8, data: lab } };
    },
  };
}

const src = (failAt?: { calls: number }) => memoryStream(samples(failAt), 9);

const opts = {
  epochs: 3,
  batchSize: 2,
  accumulate: 2,
  sgd: { lr: 0.05, stepSize: 3, gamma: 0.5 },
  seed: 9,
  name: 'stage1',
};

describe('train', () => {
  it('loss falls on a learnable task, and the history has one entry per step and per epoch', async () => {
    const net = tinyNet(8, 3, 1);
    const h = await train({ net, data: src(), ...opts, epochs: 10, validate: () => 0.5 });
    expect(h.loss).toHaveLength(20); // floor(10 / (2·2)) = 2 steps per epoch × 10 epochs
    expect(h.validation.map((v) => v[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const first = h.loss.slice(0, 3).reduce((s, v) => s + v[1], 0) / 3;
    const last = h.loss.slice(-3).reduce((s, v) => s + v[1], 0) / 3;
    expect(last).toBeLessThan(first);
    expect(h.lr).toEqual([0, 3, 6, 9, 12, 15, 18].map((s, k) => [s, 0.05 * 0.5 ** k]));
    net.model.dispose();
  });

  it('resume after a crash reproduces the uninterrupted run exactly (weights, BN statistics, history)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const a = tinyNet(8, 3, 5);
    const init = getModelWeights(a.model);
    const ha = await train({
      net: a,
      data: src(),
      ...opts,
      checkpoint: { path: join(dir, 'a.ckpt'), every: 2 },
      validate: () => 0.25,
    });
    const wa = getModelWeights(a.model);

    // Same initial weights; crash during step 4 (calls 13–16 belong to step 4 with 4 samples per step).
    const b = tinyNet(8, 3, 5);
    setModelWeights(b.model, init);
    const ck = { path: join(dir, 'b.ckpt'), every: 2, resume: true };
    await expect(
      train({ net: b, data: src({ calls: 14 }), ...opts, checkpoint: ck, validate: () => 0.25 }),
    ).rejects.toThrow(/simulated crash/);
    b.model.dispose();
    // A fresh process: different initial weights, everything must come from the checkpoint (step 2).
    const c = tinyNet(8, 3, 77);
    const logs: string[] = [];
    const hc = await train({
      net: c,
      data: src(),
      ...opts,
      checkpoint: ck,
      validate: () => 0.25,
      onProgress: (e) => e.kind === 'log' && logs.push(e.message),
    });
    expect(logs.join('\n')).toMatch(/resumed .* at step 2/);
    const wc = getModelWeights(c.model);
    expect(wc.map((w) => w.name)).toEqual(wa.map((w) => w.name));
    for (let i = 0; i < wa.length; i++) expect(Array.from(wc[i]!.data)).toEqual(Array.from(wa[i]!.data));
    expect(wa.some((w, i) => w.data.some((v, k) => v !== init[i]!.data[k]))).toBe(true);
    expect(hc.loss).toEqual(ha.loss);
    expect(hc.validation).toEqual(ha.validation);
    a.model.dispose();
    c.model.dispose();
  });

  it('refuses a checkpoint made with another batch configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const net = tinyNet(8, 3, 5);
    await train({ net, data: src(), ...opts, epochs: 1, checkpoint: { path: join(dir, 'x.ckpt'), every: 1 } });
    await expect(
      train({
        net,
        data: src(),
        ...opts,
        batchSize: 1,
        checkpoint: { path: join(dir, 'x.ckpt'), every: 1, resume: true },
      }),
    ).rejects.toThrow(/batchSize = 2, this run has 1/);
    net.model.dispose();
  });

  it('refuses a checkpoint of the old format (version 1) with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const net = tinyNet(8, 3, 5);
    const path = join(dir, 'old.ckpt');
    const before = tf.memory().numTensors;
    await writeTensorFile(path, { format: 'deconvnet-checkpoint', version: 1, name: 'stage1', step: 2 }, []);
    await expect(train({ net, data: src(), ...opts, checkpoint: { path, every: 1, resume: true } })).rejects.toThrow(
      /old\.ckpt: checkpoint format version 1 .*cannot be resumed by version 2; delete it or train without --resume/,
    );
    expect(tf.memory().numTensors).toBe(before); // the trainer's buffers were freed
    net.model.dispose();
  });

  it('does not leak tensors', async () => {
    const net = tinyNet(8, 3, 2);
    await train({ net, data: src(), ...opts, epochs: 1 });
    const before = tf.memory().numTensors;
    await train({ net, data: src(), ...opts, epochs: 2 });
    expect(tf.memory().numTensors).toBe(before);
    net.model.dispose();
  });
});
