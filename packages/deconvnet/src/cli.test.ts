/**
 * The real `deconvnet` process (dist/cli.js, built by turbo before the tests): help, argument errors and missing
 * files give one clear line on stderr and a non-zero exit, without loading any model.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe.skipIf(!existsSync(CLI))('deconvnet CLI', () => {
  it('--help at the top and for every command', () => {
    const top = run('--help');
    expect(top.code).toBe(0);
    for (const c of ['demo', 'synth', 'train', 'segment', 'evaluate', 'proposals']) expect(top.out).toContain(c);
    for (const [c, opt] of [
      ['demo', '--quick'],
      ['synth', '--size'],
      ['train', '--resume'],
      ['segment', '--no-crf'],
      ['evaluate', '--variants'],
      ['proposals', '--max'],
    ] as const) {
      const r = run(c, '--help');
      expect(r.code, c).toBe(0);
      expect(r.out, c).toContain(opt);
    }
    expect(run('--version').out).toContain('0.1.0');
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['train', '--data', '/nonexistent-dir', '--out', '/tmp/x'], /--data \/nonexistent-dir: not a directory/],
    [['train', '--out', '/tmp/x'], /--data is required/],
    [['train', '--data', '.', '--out', '/tmp/x', '--epochs', 'many'], /--epochs must be an integer, got "many"/],
    [['train', '--data', '.', '--out', '/tmp/x', '--preset', 'huge'], /--preset must be one of tiny, small, paper/],
    [['train', '--data', '.', '--out', '/tmp/x', '--stage', '3'], /--stage must be one of 1, 2, both/],
    [['train', '--bogus'], /Unknown option `--bogus`/],
    [['synth', '--out', '/tmp/x', '--size', '12by3'], /--size must look like WIDTHxHEIGHT/],
    [['segment', '/nonexistent.jpg', '--model', '/m', '--out', '/tmp/o'], /IMAGE \/nonexistent.jpg: file not found/],
    [['segment', '--model', '/m', '--out', '/tmp/o'], /give at least one IMAGE/],
    [['evaluate', '--data', '/nonexistent', '--model', '/m'], /not a directory/],
    [['evaluate', '--data', '.', '--model', '/m', '--variants', 'FCN,Magic'], /unknown item "Magic"/],
    [['proposals', '/nonexistent.png'], /IMAGE \/nonexistent.png: file not found/],
    [['proposals'], /missing required args/],
  ])('%j → one line on stderr, exit ≠ 0', (args, msg) => {
    const r = run(...args);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(msg);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it('a corrupt image is a clear error naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const p = join(dir, 'bad.jpg');
    writeFileSync(p, 'not a jpeg');
    const r = run('proposals', p);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad\.jpg: (unsupported|corrupt|cannot decode)/);
  });

  it('proposals for a real photo: JSON boxes inside the image', () => {
    const photo = fileURLToPath(new URL('../../../../shared/fixtures/voc-mini/VOC2012/JPEGImages/', import.meta.url));
    const files = existsSync(photo) ? readdirSync(photo) : [];
    if (!files.length) return;
    const r = run('proposals', join(photo, files[0]!), '--max', '20');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.boxes.length).toBeGreaterThan(0);
    expect(j.boxes.length).toBeLessThanOrEqual(20);
    for (const b of j.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(j.width + 1e-6);
    }
  });
});
