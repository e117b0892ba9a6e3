// Cross-check against OpenCV's port (cv2.ximgproc.createEdgeBoxes, Debian python3-opencv) on identical float32
// E/O inputs. Skipped, with a message, when /usr/bin/python3 cannot import cv2.ximgproc.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resizeRgb } from '@deconvnet/image';
import { readImage } from '@deconvnet/image/node';
import { describe, expect, it } from 'vitest';
import { detectEdges } from './detect.js';
import { edgeBoxesPdollar, type PdollarBox } from './edgeboxes.js';
import type { EdgeMap } from './edgemap.js';
import { type EdgeBoxesOptions, resolveParams } from './options.js';
import { drawScene, FIXTURES } from './test-helpers.js';

const PY = '/usr/bin/python3';
const probe = spawnSync(PY, ['-c', 'import cv2; cv2.ximgproc.createEdgeBoxes; print(cv2.__version__)'], {
  encoding: 'utf8',
});
const cvVersion = probe.status === 0 ? probe.stdout.trim() : null;
if (!cvVersion) {
  console.warn(
    `[edge-boxes] OpenCV cross-check skipped: ${PY} cannot import cv2.ximgproc (install Debian python3-opencv)`,
  );
}

const SCRIPT = `
import sys, json, numpy as np, cv2
d = sys.argv[1]
a = json.load(open(d + '/args.json'))
w, h = a['width'], a['height']
E = np.fromfile(d + '/E.f32', dtype=np.float32).reshape(h, w)
O = np.fromfile(d + '/O.f32', dtype=np.float32).reshape(h, w)
p = a['params']
eb = cv2.ximgproc.createEdgeBoxes(alpha=p['alpha'], beta=p['beta'], eta=p['eta'], minScore=p['minScore'],
    maxBoxes=p['maxBoxes'], edgeMinMag=p['edgeMinMag'], edgeMergeThr=p['edgeMergeThr'],
    clusterMinMag=p['clusterMinMag'], maxAspectRatio=p['maxAspectRatio'], minBoxArea=p['minBoxArea'],
    gamma=p['gamma'], kappa=p['kappa'])
boxes, scores = eb.getBoundingBoxes(E, O)
out = [[int(b[0]), int(b[1]), int(b[2]), int(b[3]), float(s)] for b, s in zip(np.array(boxes).reshape(-1, 4), np.array(scores).ravel())]
json.dump(out, open(d + '/cv.json', 'w'))
`;

/** Runs OpenCV on the same E/O with a fresh EdgeBoxes object (its objects keep state between calls). */
function opencvBoxes(edges: EdgeMap, opts: EdgeBoxesOptions): PdollarBox[] {
  const dir = mkdtempSync(join(tmpdir(), 'eb-cv-'));
  try {
    const p = resolveParams(opts);
    writeFileSync(join(dir, 'E.f32'), edges.magnitude);
    writeFileSync(join(dir, 'O.f32'), edges.orientation);
    writeFileSync(join(dir, 'args.json'), JSON.stringify({ width: edges.width, height: edges.height, params: p }));
    writeFileSync(join(dir, 'run.py'), SCRIPT);
    const r = spawnSync(PY, [join(dir, 'run.py'), dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`OpenCV run failed: ${r.stderr}`);
    const rows = JSON.parse(readFileSync(join(dir, 'cv.json'), 'utf8')) as number[][];
    return rows.map(([x, y, w, h, score]) => ({ x: x!, y: y!, w: w!, h: h!, score: score! }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const coords = (b: PdollarBox) => `${b.x},${b.y},${b.w},${b.h}`;

function compare(edges: EdgeMap, opts: EdgeBoxesOptions): void {
  const ours = edgeBoxesPdollar(edges, opts);
  const theirs = opencvBoxes(edges, opts);
  expect(ours.length).toBe(theirs.length);
  expect(ours.length).toBeGreaterThan(0);
  // Both are in the same 1-based, w = x1 − x0 convention. Scores are float32 in both; they may differ in the
  // last bits only, because glibc's cosf/atan2f/powf and fround(Math.cos/…) round differently now and then.
  // Equal scores are ordered as libstdc++'s std::sort leaves them (replayed by cppSort), so the order is the same too.
  let differ = 0;
  for (let i = 0; i < ours.length; i++) {
    const o = ours[i]!;
    const t = theirs[i]!;
    if (coords(o) !== coords(t)) differ++;
    if (i < 100) {
      expect(coords(o), `box ${i}`).toBe(coords(t));
      expect(Math.abs(o.score - t.score), `score ${i}: ${o.score} vs ${t.score}`).toBeLessThanOrEqual(1e-6 * t.score);
    }
  }
  let maxRel = 0;
  for (let i = 0; i < ours.length; i++)
    maxRel = Math.max(maxRel, Math.abs(ours[i]!.score - theirs[i]!.score) / theirs[i]!.score);
  console.log(
    `[edge-boxes] vs OpenCV ${JSON.stringify(opts)}: ${ours.length} boxes, ${differ} differ, max score rel. diff ${maxRel.toExponential(1)}`,
  );
  expect(differ).toBe(0);
  expect(maxRel).toBeLessThanOrEqual(1e-6);
}

describe.skipIf(!cvVersion)(
  `agreement with OpenCV ${cvVersion ?? ''} ximgproc EdgeBoxes: same boxes in the same order`,
  () => {
    const photo = fileURLToPath(new URL('voc-mini/VOC2012/JPEGImages/2007_000063.jpg', FIXTURES));

    it('500×375 VOC photo, defaults with maxBoxes 1000', async () => {
      compare(detectEdges(await readImage(photo)), { maxBoxes: 1000 });
    });

    it('VOC photo at 250×188 with the bestAR preset (adaptive NMS)', async () => {
      const edges = detectEdges(resizeRgb(await readImage(photo), 250, 188));
      compare(edges, { preset: 'bestAR', maxBoxes: 1000 });
    });

    it('synthetic scene: pure defaults and EdgeBoxes90 (α .85: float32 grid steps)', () => {
      const img = drawScene(
        160,
        120,
        [
          { kind: 'ellipse', cx: 50, cy: 55, rx: 30, ry: 20, angle: 0.4, color: [220, 40, 40] },
          { kind: 'rect', cx: 115, cy: 70, rx: 25, ry: 30, angle: -0.2, color: [30, 30, 200] },
        ],
        [120, 120, 120],
        11,
      );
      const edges = detectEdges(img);
      compare(edges, {});
      compare(edges, { preset: 'EdgeBoxes90', maxBoxes: 300 });
    });
  },
);
