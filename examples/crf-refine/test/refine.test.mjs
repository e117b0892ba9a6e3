import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refine } from '../refine.mjs';

test('the CRF cleans up a noisy probability map along colour edges', () => {
  // 40×30 image: left half dark, right half bright; the "network" is right 70 % of the time, at random pixels.
  const W = 40;
  const H = 30;
  const data = new Uint8Array(W * H * 3);
  const truth = new Uint8Array(W * H);
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  const probs = new Float32Array(W * H * 2);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const c = x < W / 2 ? 0 : 1;
      truth[p] = c;
      data.fill(c ? 220 : 30, p * 3, p * 3 + 3);
      const guess = rnd() < 0.7 ? c : 1 - c;
      probs[p * 2 + guess] = 0.6;
      probs[p * 2 + 1 - guess] = 0.4;
    }
  }
  const acc = (labels) => labels.reduce((s, l, i) => s + (l === truth[i] ? 1 : 0), 0) / truth.length;
  const before = acc(Uint8Array.from({ length: W * H }, (_, p) => (probs[p * 2 + 1] > probs[p * 2] ? 1 : 0)));
  const { labels, marginals } = refine({ width: W, height: H, data }, probs, 2, { spatialScale: 0.5 });
  const after = acc(labels);
  assert.ok(before > 0.6 && before < 0.8, `noisy input (${before})`);
  assert.ok(after > 0.97, `CRF output ${after} should be nearly perfect`);
  for (let p = 0; p < W * H; p += 37) assert.ok(Math.abs(marginals[p * 2] + marginals[p * 2 + 1] - 1) < 1e-4);
});
