import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateSyntheticVoc } from '@deconvnet/voc';
import { loadModelDir } from 'deconvnet';
import { trainOwn } from '../train.mjs';

test('trains both stages and FCN on a VOC-format folder given as a VOCdevkit', { timeout: 120_000 }, async () => {
  process.env.DECONVNET_BACKEND = 'cpu';
  const dir = mkdtempSync(join(tmpdir(), 'ex-train-'));
  await generateSyntheticVoc({
    out: join(dir, 'VOCdevkit', 'VOC2012'),
    train: 3,
    val: 1,
    width: 64,
    height: 64,
    seed: 4,
  });
  await trainOwn(join(dir, 'VOCdevkit'), join(dir, 'model'), { epochs: 2, maxSteps: 2, bnReestimate: false });
  const desc = JSON.parse(readFileSync(join(dir, 'model', 'deconvnet.json'), 'utf8'));
  assert.equal(desc.classes.length, 21);
  assert.equal(desc.training.stage1.loss.length, 2);
  assert.equal(desc.training.stage2.loss.length, 2);
  assert.equal(desc.training.fcn.loss.length, 2);
  assert.equal(desc.training.stage1.validation.length > 0 || desc.training.stage1.epochs === 0, true);
  const m = await loadModelDir(join(dir, 'model'));
  assert.ok(m.fcn, 'FCN saved');
  m.dispose();
});
