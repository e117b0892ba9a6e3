// Speed of detectEdges and edgeBoxes on a 500×375 VOC photo (maxBoxes 1000), the benchmark.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage } from '@deconvnet/image/node';
import { test } from 'vitest';
import { detectEdges, type EdgeBoxesOptions, edgeBoxes } from '../src/index.js';

const PHOTO = fileURLToPath(
  new URL('../../../../shared/fixtures/voc-mini/VOC2012/JPEGImages/2007_000063.jpg', import.meta.url),
);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

test('edge boxes speed, 500×375', async () => {
  const img = await readImage(PHOTO);
  const runs = 9;
  const rows: string[] = [];
  // warm up the JIT
  for (let i = 0; i < 2; i++) edgeBoxes(detectEdges(img), { maxBoxes: 1000 });
  const tE: number[] = [];
  const cE: number[] = [];
  let edges = detectEdges(img);
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    edges = detectEdges(img);
    tE.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cE.push((c.user + c.system) / 1000);
  }
  let strong = 0;
  for (const v of edges.magnitude) if (v > 0.1) strong++;
  const configs: [string, EdgeBoxesOptions][] = [
    ['EdgeBoxes70, maxBoxes 1000', { maxBoxes: 1000 }],
    ['defaults (maxBoxes 10000)', {}],
    ['fast, maxBoxes 1000', { preset: 'fast', maxBoxes: 1000 }],
    ['bestAR, maxBoxes 1000', { preset: 'bestAR', maxBoxes: 1000 }],
  ];
  rows.push(
    `| detectEdges | ${median(tE).toFixed(1)} | ${Math.min(...tE).toFixed(1)} | ${median(cE).toFixed(1)} | ${strong} px > 0.1 |`,
  );
  for (const [name, opts] of configs) {
    const t: number[] = [];
    const cpu: number[] = [];
    let n = 0;
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      n = edgeBoxes(edges, opts).length;
      t.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    rows.push(
      `| edgeBoxes ${name} | ${median(t).toFixed(1)} | ${Math.min(...t).toFixed(1)} | ${median(cpu).toFixed(1)} | ${n} boxes |`,
    );
  }
  // OpenCV 4.6 (Debian python3-opencv) on the same E/O, same conditions, fresh object per run, when present
  const dir = mkdtempSync(join(tmpdir(), 'eb-bench-'));
  try {
    writeFileSync(join(dir, 'E.f32'), edges.magnitude);
    writeFileSync(join(dir, 'O.f32'), edges.orientation);
    const py = `
import time, numpy as np, cv2
E = np.fromfile('${dir}/E.f32', dtype=np.float32).reshape(${edges.height}, ${edges.width})
O = np.fromfile('${dir}/O.f32', dtype=np.float32).reshape(${edges.height}, ${edges.width})
wall, cpu = [], []
for i in range(${runs}):
    t, c = time.perf_counter(), time.process_time()
    b, s = cv2.ximgproc.createEdgeBoxes(maxBoxes=1000).getBoundingBoxes(E, O)
    wall.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
print(sorted(wall)[len(wall)//2]*1000, min(wall)*1000, sorted(cpu)[len(cpu)//2]*1000, len(b))`;
    const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8' });
    if (r.status === 0) {
      const [med, min, cpu, n] = r.stdout.trim().split(/\s+/).map(Number);
      rows.push(
        `| OpenCV ${'4.6'} getBoundingBoxes, maxBoxes 1000 (same E/O) | ${med!.toFixed(1)} | ${min!.toFixed(1)} | ${cpu!.toFixed(1)} | ${n} boxes |`,
      );
    } else rows.push('| OpenCV: not available (/usr/bin/python3 cannot import cv2) | | | | |');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mem = process.memoryUsage();
  console.log(
    `\nEdge Boxes on ${PHOTO.split('/').pop()} (500×375), ${runs} runs; load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log('| step | median ms | min ms | CPU median ms | output |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`peak rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heapUsed ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
});
