import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resizeRgb } from '@deconvnet/image';
import { readImage } from '@deconvnet/image/node';
import { describe, expect, it } from 'vitest';
import { groupAffinities } from './affinity.js';
import { clusterEdges } from './cluster.js';
import { detectEdges } from './detect.js';
import { edgeBoxesWith } from './edgeboxes.js';
import type { EdgeMap } from './edgemap.js';
import { gridShapes, stepSizes, windowCount } from './grid.js';
import { buildBoxIndex } from './integral.js';
import { type EdgeBoxesOptions, resolveParams } from './options.js';
import { scoringTables } from './score.js';
import { scoreKernelAvailable } from './score-kernel.js';
import { drawScene, FIXTURES } from './test-helpers.js';
import { scoreWindows } from './windows.js';

function columnMajor(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = src[y * w + x]!;
  return out;
}

function windowsBoth(edges: EdgeMap, opts: EdgeBoxesOptions) {
  const p = resolveParams(opts);
  const { width: W, height: H } = edges;
  const E = columnMajor(edges.magnitude, W, H);
  const groups = clusterEdges(E, columnMajor(edges.orientation, W, H), W, H, p);
  const aff = groupAffinities(groups, W, H, p.gamma);
  const inp = {
    W,
    H,
    groups,
    index: buildBoxIndex(E, groups, W, H, p.edgeMinMag),
    tables: scoringTables(W, H, groups, aff, p.kappa),
    minScore: p.minScore,
    kappa: p.kappa,
    shapes: gridShapes(W, H, p),
    ratio: stepSizes(p.alpha).ratio,
  };
  const n = windowCount(W, H, p);
  return { wasm: scoreWindows(inp, n, 'auto'), js: scoreWindows(inp, n, 'js'), n };
}

const scene = drawScene(
  160,
  120,
  [
    { kind: 'ellipse', cx: 50, cy: 55, rx: 30, ry: 20, angle: 0.4, color: [220, 40, 40] },
    { kind: 'rect', cx: 115, cy: 70, rx: 25, ry: 30, angle: -0.2, color: [30, 30, 200] },
  ],
  [120, 120, 120],
  11,
);

describe('window scoring: WebAssembly kernel vs the JS scorer', () => {
  it('the kernel runs on Node 20', () => {
    expect(scoreKernelAvailable()).toBe(true);
  });

  it('gives bit-identical scores and refined boxes for every window (photo 250×188, synthetic scene)', async () => {
    const photo = fileURLToPath(new URL('voc-mini/VOC2012/JPEGImages/2007_000063.jpg', FIXTURES));
    const cases: [EdgeMap, EdgeBoxesOptions][] = [
      [detectEdges(resizeRgb(await readImage(photo), 250, 188)), {}],
      [detectEdges(scene), { preset: 'EdgeBoxes90' }],
      [detectEdges(scene), { minScore: 0, kappa: 1.2, gamma: 3 }],
    ];
    for (const [edges, opts] of cases) {
      const { wasm, js, n } = windowsBoth(edges, opts);
      expect(wasm.count).toBe(n);
      expect(js.nonzero).toBeGreaterThan(50);
      expect(wasm.nonzero).toBe(js.nonzero);
      // the records (boxes and float32 score bits) byte for byte
      const bytes = (w: typeof js) => Buffer.from(w.box.buffer, w.box.byteOffset, w.box.byteLength);
      expect(bytes(wasm).equals(bytes(js))).toBe(true);
      // and the whole pipeline after them
      expect(edgeBoxesWith(edges, { ...opts, maxBoxes: 300 }, 'auto')).toEqual(
        edgeBoxesWith(edges, { ...opts, maxBoxes: 300 }, 'js'),
      );
    }
  });
});

describe('committed wasm bytes', () => {
  const wabtInstalled = existsSync(fileURLToPath(new URL('../../../node_modules/wabt/package.json', import.meta.url)));
  it.runIf(wabtInstalled)('equal a fresh wat2wasm build of src/wasm/score.wat', async () => {
    const script = fileURLToPath(new URL('../../../scripts/wat-to-ts.mjs', import.meta.url));
    const { buildWat, renderWasmModule } = await import(script);
    const wat = fileURLToPath(new URL('./wasm/score.wat', import.meta.url));
    const committed = readFileSync(fileURLToPath(new URL('./wasm/scorebytes.ts', import.meta.url)), 'utf8');
    expect(renderWasmModule(await buildWat(wat), 'score.wat', 'SCORE_WASM_BASE64')).toBe(committed);
  });
});
