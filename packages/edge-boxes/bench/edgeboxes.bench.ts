// Speed of detectEdges and edgeBoxes on a 500×375 VOC photo (maxBoxes 1000), the benchmark.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
  const edgeRuns = 21; // detectEdges is short: more runs steady its median on this shared VM
  const rows: string[] = [];
  // warm up the JIT
  for (let i = 0; i < 2; i++) edgeBoxes(detectEdges(img), { maxBoxes: 1000 });
  const tE: number[] = [];
  const cE: number[] = [];
  let edges = detectEdges(img);
  for (let i = 0; i < edgeRuns; i++) {
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
  // OpenCV 4.6 (Debian python3-opencv) on the same E/O, fresh object per run, when present. Paired rounds: each
  // round times this port (EdgeBoxes70, maxBoxes 1000) and then one OpenCV run, so both see the same load; the
  // median of the per-round ratios is robust to the load drifting during the bench.
  const dir = mkdtempSync(join(tmpdir(), 'eb-bench-'));
  try {
    writeFileSync(join(dir, 'E.f32'), edges.magnitude);
    writeFileSync(join(dir, 'O.f32'), edges.orientation);
    const py = `
import sys, time, numpy as np, cv2
E = np.fromfile('${dir}/E.f32', dtype=np.float32).reshape(${edges.height}, ${edges.width})
O = np.fromfile('${dir}/O.f32', dtype=np.float32).reshape(${edges.height}, ${edges.width})
cv2.ximgproc.createEdgeBoxes(maxBoxes=1000).getBoundingBoxes(E, O)  # warm-up
for line in sys.stdin:
    t, c = time.perf_counter(), time.process_time()
    b, s = cv2.ximgproc.createEdgeBoxes(maxBoxes=1000).getBoundingBoxes(E, O)
    print((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000, len(b), flush=True)`;
    const cv = spawn('/usr/bin/python3', ['-c', py], { stdio: ['pipe', 'pipe', 'ignore'] });
    const lines = createInterface({ input: cv.stdout! })[Symbol.asyncIterator]();
    const ours: number[] = [];
    const oursCpu: number[] = [];
    const theirs: number[] = [];
    const theirsCpu: number[] = [];
    const ratio: number[] = [];
    let nCv = 0;
    try {
      for (let i = 0; i < runs; i++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        edgeBoxes(edges, { maxBoxes: 1000 });
        ours.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        oursCpu.push((c.user + c.system) / 1000);
        cv.stdin!.write('run\n');
        const next = await lines.next();
        if (next.done) throw new Error('OpenCV process ended');
        const [w, cpu, n] = next.value.trim().split(/\s+/).map(Number);
        theirs.push(w!);
        theirsCpu.push(cpu!);
        nCv = n!;
        ratio.push(ours[i]! / w!);
      }
      rows.push(
        `| paired: edgeBoxes EdgeBoxes70, maxBoxes 1000 | ${median(ours).toFixed(1)} | ${Math.min(...ours).toFixed(1)} | ${median(oursCpu).toFixed(1)} | |`,
        `| paired: OpenCV 4.6 getBoundingBoxes, maxBoxes 1000 (same E/O) | ${median(theirs).toFixed(1)} | ${Math.min(...theirs).toFixed(1)} | ${median(theirsCpu).toFixed(1)} | ${nCv} boxes |`,
        `| paired: ratio this port / OpenCV (median of per-round wall ratios) | ${median(ratio).toFixed(2)} | ${Math.min(...ratio).toFixed(2)} | ${(median(oursCpu) / median(theirsCpu)).toFixed(2)} | |`,
      );
    } catch {
      rows.push('| OpenCV: not available (/usr/bin/python3 cannot import cv2) | | | | |');
    } finally {
      cv.stdin!.end();
      cv.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mem = process.memoryUsage();
  console.log(
    `\nEdge Boxes on ${PHOTO.split('/').pop()} (500×375), ${runs} runs (detectEdges ${edgeRuns}); load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log('| step | median ms | min ms | CPU median ms | output |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`peak rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heapUsed ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
});
