import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVocRoot } from './data-path.js';

describe('resolveVocRoot', () => {
  it('accepts the VOC2012 folder or a VOCdevkit above it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-'));
    const voc = join(dir, 'VOCdevkit', 'VOC2012');
    mkdirSync(join(voc, 'ImageSets', 'Segmentation'), { recursive: true });
    mkdirSync(join(dir, 'VOCdevkit', 'VOC2007'), { recursive: true });
    expect(await resolveVocRoot(voc)).toBe(voc);
    expect(await resolveVocRoot(join(dir, 'VOCdevkit'))).toBe(voc);
  });
  it('explains what is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-'));
    await expect(resolveVocRoot(join(dir, 'nope'))).rejects.toThrow(/--data .*nope: not a directory/);
    await expect(resolveVocRoot(dir)).rejects.toThrow(/not a VOC dataset \(expected ImageSets/);
    writeFileSync(join(dir, 'f'), 'x');
    await expect(resolveVocRoot(join(dir, 'f'))).rejects.toThrow(/not a directory/);
  });
});
