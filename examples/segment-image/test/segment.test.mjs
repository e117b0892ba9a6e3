import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readLabelPng } from '@deconvnet/image/node';
import { generateSyntheticVoc } from '@deconvnet/voc';
import { initBackend, trainPipeline } from 'deconvnet';

test('segments a synthetic image with a freshly trained tiny model', { timeout: 120_000 }, async () => {
  process.env.DECONVNET_BACKEND = 'cpu';
  await initBackend('cpu');
  const dir = mkdtempSync(join(tmpdir(), 'ex-seg-'));
  const voc = await generateSyntheticVoc({ out: join(dir, 'voc'), train: 3, val: 1, width: 64, height: 64, seed: 2 });
  const st = { epochs: 1, batchSize: 2, maxSteps: 1 };
  const res = await trainPipeline({
    root: voc.root,
    out: join(dir, 'model'),
    stage: '1',
    fcn: true,
    preset: 'tiny',
    stage1: st,
    stage2: st,
    fcnStage: st,
    valSplit: null,
    bnReestimate: false,
  });
  res.deconvnet.model.dispose();
  res.fcn?.model.dispose();
  const image = join(voc.root, 'JPEGImages', `${voc.val[0]}.jpg`);
  const out = join(dir, 'out.png');
  const script = fileURLToPath(new URL('../segment.mjs', import.meta.url));
  const stdout = execFileSync(process.execPath, [script, join(dir, 'model'), image, out, '8'], {
    encoding: 'utf8',
    env: { ...process.env, DECONVNET_BACKEND: 'cpu' },
  });
  assert.match(stdout, /proposals, classes:/);
  const labels = await readLabelPng(out);
  assert.equal(labels.width, 64);
  assert.equal(labels.height, 64);
  assert.ok(
    labels.data.every((v) => v <= 20),
    'labels are VOC classes',
  );
});
