import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVocDataset } from './dataset.js';

// The real CLI runs as a child process. dist/ may not be built in a test run, so src/cli.ts is bundled with esbuild
// (what tsup uses) in a few hundred ms, resolving sibling packages from source like the tests do. The bundle lives
// under the package's node_modules/.cache so that sharp & co. resolve exactly as for dist/cli.js.
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(pkg, 'node_modules', '.cache', `cli-test-${process.pid}`);
const cli = join(outDir, 'cli.mjs');
let tmp: string;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(pkg, 'src', 'cli.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@deconvnet/source'],
    external: ['sharp', 'fast-png', '@iconify-json/noto'],
    logLevel: 'silent',
  });
  tmp = mkdtempSync(join(tmpdir(), 'voc-cli-'));
});
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('deconvnet-voc CLI (child process)', () => {
  it('starts with a node shebang', () => {
    expect(readFileSync(join(pkg, 'src', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('synth writes a dataset that the loader reads back', async () => {
    const out = join(tmp, 'bench');
    const r = await run([
      'synth',
      '--out',
      out,
      '--train',
      '3',
      '--val',
      '2',
      '--size',
      '64x48',
      '--seed',
      '4',
      '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 5 images \(3 train, 2 val, \d+ objects\) to /);
    expect(readdirSync(join(out, 'JPEGImages'))).toHaveLength(5);
    const ds = await createVocDataset({ root: out, split: 'trainval', instances: true });
    let n = 0;
    for await (const s of ds) {
      expect([s.image.width, s.image.height]).toEqual([64, 48]);
      n++;
    }
    expect(n).toBe(5);
    const checked = await run(['check', '--root', out, '--split', 'trainval']);
    expect([checked.code, checked.stdout.trim()]).toEqual([0, '5 good, 0 bad']);
    // a second run into the same folder is refused with one line, unless --force
    const again = await run(['synth', '--out', out, '--train', '1', '--size', '64x48']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/not empty \(pass force \/ --force/);
    expect(
      (await run(['synth', '--out', out, '--train', '1', '--val', '0', '--size', '64x48', '--force', '--quiet'])).code,
    ).toBe(0);
  });

  it('--help prints usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deconvnet-voc synth|Usage: deconvnet-voc/);
    expect(r.stdout).toMatch(/--size WxH/);
    expect((await run(['synth', '--help'])).code).toBe(0);
  });

  it('wrong arguments give one clear line on stderr and a non-zero exit', async () => {
    const cases: [string[], RegExp][] = [
      [['synth', '--train', '3'], /synth needs --out DIR/],
      [['synth', '--out', join(tmp, 'x'), '--size', '64by48'], /--size must look like WxH/],
      [['synth', '--out', join(tmp, 'x'), '--train', '-3'], /--train|Option '--train/],
      [['synth', '--out', join(tmp, 'x'), '--train', 'many'], /--train must be an integer/],
      [['synth', '--out', join(tmp, 'x'), '--seed', '1.5'], /--seed must be an integer/],
      [['synth', '--out', join(tmp, 'x'), '--objects', '3-1'], /--objects must look like A-B/],
      [['synth', '--out', join(tmp, 'x'), '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['check', '--root', join(tmp, 'nothing-here')], /not a VOC2012 folder/],
    ];
    for (const [args, re] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(/^deconvnet-voc: /);
      expect(lines[0]).toMatch(re);
    }
  });

  it('eval scores predictions against a split (perfect predictions → 100 % mIoU)', async () => {
    const out = join(tmp, 'bench');
    const r = await run([
      'eval',
      '--root',
      out,
      '--pred',
      join(out, 'SegmentationClass'),
      '--split',
      'train',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { meanIoU: number; pixelAccuracy: number };
    expect(j.meanIoU).toBe(1);
    expect(j.pixelAccuracy).toBe(1);
  });
});
