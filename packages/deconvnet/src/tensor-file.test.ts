import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorFile, encodeTensorFile, readTensorFile, writeTensorFile } from './tensor-file.js';

describe('tensor file', () => {
  const arrays = [
    { name: 'a/kernel', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) },
    { name: 'b', shape: [1], data: Float32Array.from([-0.25]) },
    { name: 'empty', shape: [0], data: new Float32Array(0) },
  ];
  it('round-trips names, shapes, values and metadata exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-'));
    const p = join(dir, 'x.ckpt');
    await writeTensorFile(p, { step: 3, rng: [1, 2, 3, 4] }, arrays);
    const { meta, arrays: back } = await readTensorFile(p);
    expect(meta).toEqual({ step: 3, rng: [1, 2, 3, 4] });
    expect(back.map((a) => a.name)).toEqual(['a/kernel', 'b', 'empty']);
    expect(Array.from(back[0]!.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(back[0]!.shape).toEqual([2, 3]);
    expect(back[1]!.data[0]).toBe(-0.25);
  });
  it('a truncated or corrupt file is a clear error naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-'));
    const p = join(dir, 'x.ckpt');
    await writeTensorFile(p, {}, arrays);
    const bytes = readFileSync(p);
    writeFileSync(p, bytes.subarray(0, bytes.length - 4));
    await expect(readTensorFile(p)).rejects.toThrow(/x\.ckpt: truncated file/);
    writeFileSync(p, Buffer.from('hello world, not a checkpoint'));
    await expect(readTensorFile(p)).rejects.toThrow(/bad magic/);
    await expect(readTensorFile(join(dir, 'missing'))).rejects.toThrow(/missing: file not found/);
    const enc = encodeTensorFile({}, arrays);
    expect(() => decodeTensorFile(enc.subarray(0, 14), 'h')).toThrow(/h: truncated header/);
  });
});
