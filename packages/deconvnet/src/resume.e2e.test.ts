/**
 * Crash safety of the real CLI: `deconvnet train` is killed with SIGKILL right after a checkpoint appears, then
 * `--resume` finishes the run; the weights must be bit-identical to an uninterrupted run with the same seed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeTensorFile } from './tensor-file.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ENV = { ...process.env };

function runSync(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 240_000, env: ENV });
  if (r.status !== 0) throw new Error(`deconvnet ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

function checkpointStep(path: string): number {
  try {
    return (decodeTensorFile(new Uint8Array(readFileSync(path))).meta as { step: number }).step;
  } catch {
    return -1;
  }
}

describe.skipIf(!existsSync(CLI))('train --resume after SIGKILL', () => {
  let data = '';
  beforeAll(() => {
    data = join(mkdtempSync(join(tmpdir(), 'resume-')), 'voc');
    runSync(['synth', '--out', data, '--train', '6', '--val', '0', '--size', '64x64', '--seed', '3']);
  }, 120_000);

  it('resumes exactly, losing at most the steps since the last checkpoint', async () => {
    const base = [
      'train',
      '--data',
      data,
      '--stage',
      '1',
      '--preset',
      'tiny',
      '--batch',
      '2',
      '--epochs',
      '50',
      '--max-steps',
      '8',
      '--checkpoint-every',
      '2',
      '--val-split',
      'none',
      '--no-bn-reestimate',
      '--seed',
      '5',
      '--backend',
      'wasm',
    ];
    const tmp = mkdtempSync(join(tmpdir(), 'resume-out-'));
    const full = join(tmp, 'full');
    const killed = join(tmp, 'killed');
    runSync([...base, '--out', full]);

    const ckpt = join(killed, 'checkpoints', 'stage1.ckpt');
    const child: ChildProcess = spawn(process.execPath, [CLI, ...base, '--out', killed], { env: ENV, stdio: 'ignore' });
    const exit = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
    let stepAtKill = -1;
    while (child.exitCode === null) {
      const s = checkpointStep(ckpt);
      if (s >= 2 && s < 8) {
        child.kill('SIGKILL');
        stepAtKill = s;
        break;
      }
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(await exit).toBe('SIGKILL');
    expect(stepAtKill).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(killed, 'deconvnet.json'))).toBe(false); // never finished

    const r = runSync([...base, '--out', killed, '--resume']);
    expect(r.stderr).toMatch(/resumed .* at step (\d+)/);
    const a = readFileSync(join(full, 'deconvnet.weights'));
    const b = readFileSync(join(killed, 'deconvnet.weights'));
    expect(b.equals(a)).toBe(true);
    const ha = JSON.parse(readFileSync(join(full, 'deconvnet.json'), 'utf8')).training.stage1;
    const hb = JSON.parse(readFileSync(join(killed, 'deconvnet.json'), 'utf8')).training.stage1;
    expect(hb.loss).toEqual(ha.loss);
    expect(hb.loss).toHaveLength(8);
  }, 240_000);
});
