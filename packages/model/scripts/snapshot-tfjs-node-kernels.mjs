#!/usr/bin/env node
// Regenerates data/tfjs-node-<version>-kernels.json: the kernel names that @tensorflow/tfjs-node registers for its
// 'tensorflow' backend, read from the npm tarball (dist/kernels/*.js) without installing it or loading its native
// binding (see shared/reference/toolchain.md §9). Usage: node scripts/snapshot-tfjs-node-kernels.mjs [version]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tfjsCore from '@tensorflow/tfjs-core';

/** tfjs-core's exported constants, looked up by the identifier a kernel file uses (`tfjs_1.Abs` → 'Abs'). */
const coreConstants = new Map(Object.entries(tfjsCore).filter(([, v]) => typeof v === 'string'));

const version = process.argv[2] ?? '4.22.0';
const tmp = mkdtempSync(join(tmpdir(), 'tfjs-node-kernels-'));
try {
  const tgz = execFileSync('npm', ['pack', `@tensorflow/tfjs-node@${version}`, '--silent'], {
    cwd: tmp,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  execFileSync('tar', ['xzf', join(tmp, tgz), '-C', tmp]);
  const dir = join(tmp, 'package', 'dist', 'kernels');
  const names = new Set();
  const unresolved = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const src = readFileSync(join(dir, file), 'utf8');
    // Two forms: `kernelName: tfjs_1.Abs` (a tfjs-core constant, resolved to its value) and `kernelName: 'Softmax'`.
    for (const m of src.matchAll(/kernelName:\s*(?:'([^']+)'|"([^"]+)"|(?:[\w$]+\.)?([\w$]+))/g)) {
      const literal = m[1] ?? m[2];
      if (literal) names.add(literal);
      else if (coreConstants.has(m[3])) names.add(coreConstants.get(m[3]));
      else unresolved.push(`${file}: ${m[0]}`);
    }
  }
  if (unresolved.length) throw new Error(`cannot resolve kernel names:\n${unresolved.join('\n')}`);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', `tfjs-node-${version}-kernels.json`);
  const json = {
    package: '@tensorflow/tfjs-node',
    version,
    backend: 'tensorflow',
    source: 'dist/kernels/*.js of the npm tarball (scripts/snapshot-tfjs-node-kernels.mjs)',
    kernels: [...names].sort(),
  };
  writeFileSync(`${out}.tmp`, `${JSON.stringify(json, null, 2)}\n`);
  renameSync(`${out}.tmp`, out);
  console.log(`${names.size} kernels -> ${out}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
