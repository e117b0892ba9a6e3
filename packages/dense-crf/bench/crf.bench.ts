import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodePpm, resizeRgb } from '@deconvnet/image';
import { test } from 'vitest';
import { DenseCRF2D, simdAvailable } from '../src/index.js';
import { syntheticCase } from './synthetic.js';

// Issue 5's two configurations on 500×375, 21 labels, 10 iterations (dense-crf.md §8.1 inputs):
// (a) Gaussian 3/3 w3 + bilateral 80/13 w10, symmetric; (b) DeconvNet: Gaussian 3/3 w3 + bilateral 20/3 w5, none.
// Reference C++ (-O3, single thread, same kind of 2-core VM, unloaded): (a) 0.23 s setup + 0.70 s inference;
// (b) 0.40 s + 2.32 s on the "natural" image, 0.70 s + 3.90 s on "shapes". Compare only with C++ runs made at the
// same moment (README): other jobs share the 2 cores.
// CRF_BENCH_SIMD=0 measures the plain-JS fallback (the WebAssembly SIMD kernel is the default).
const RUNS = Number(process.env.CRF_BENCH_RUNS ?? 3);
const SIMD = process.env.CRF_BENCH_SIMD !== '0';

interface Config {
  name: string;
  normalization: 'symmetric' | 'none';
  gaussian: { sxy: number; compat: number };
  bilateral: { sxy: number; srgb: number; compat: number };
}
const CONFIGS: Config[] = [
  {
    name: '(a) ref 3/3 w3 + 80/13 w10, symmetric',
    normalization: 'symmetric',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 80, srgb: 13, compat: 10 },
  },
  {
    name: '(b) DeconvNet 3/3 w3 + 20/3 w5, none',
    normalization: 'none',
    gaussian: { sxy: 3, compat: 3 },
    bilateral: { sxy: 20, srgb: 3, compat: 5 },
  },
];

const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1] as number;
const mb = (b: number): string => (b / 2 ** 20).toFixed(0);

test('dense CRF 500×375, 21 labels, 10 iterations', () => {
  const shapes = syntheticCase(500, 375, 21, 0, 'shapes');
  const im1 = decodePpm(
    readFileSync(fileURLToPath(new URL('../../../../shared/fixtures/densecrf/im1.ppm', import.meta.url))),
  );
  const natural = resizeRgb(im1, 500, 375, 'bilinear').data;
  const images: Array<[string, Uint8Array]> = [
    ['shapes', shapes.image],
    ['natural', natural],
  ];
  const rows: string[] = [];
  let peakRss = process.memoryUsage().rss;
  let peakHeap = 0;
  for (const cfg of CONFIGS) {
    for (const [imgName, image] of images) {
      const setup: number[] = [];
      const infer: number[] = [];
      let vertices = '';
      let acc = 0;
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        const crf = new DenseCRF2D(500, 375, 21, { simd: SIMD });
        crf.setUnaryEnergy(shapes.unary);
        crf.addPairwiseGaussian({ ...cfg.gaussian, normalization: cfg.normalization });
        crf.addPairwiseBilateral({ ...cfg.bilateral, image, normalization: cfg.normalization });
        const t1 = performance.now();
        const labels = crf.map(10);
        const t2 = performance.now();
        setup.push(t1 - t0);
        infer.push(t2 - t1);
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed + m.arrayBuffers);
        vertices = crf.pairwiseTerms.map((t) => t.lattice.numVertices).join(' / ');
        acc = labels.reduce((s, l, p) => s + (l === shapes.truth[p] ? 1 : 0), 0) / labels.length;
      }
      const s = median(setup);
      const i = median(infer);
      rows.push(
        `| ${cfg.name} | ${imgName} | ${s.toFixed(0)} | ${i.toFixed(0)} | ${(s + i).toFixed(0)} | ${(i / 10).toFixed(1)} | ${vertices} | ${(100 * acc).toFixed(1)} % |`,
      );
    }
  }
  let unaryAcc = 0;
  for (let p = 0; p < shapes.truth.length; p++) {
    let b = 0;
    for (let l = 1; l < 21; l++) if ((shapes.unary[p * 21 + l] as number) < (shapes.unary[p * 21 + b] as number)) b = l;
    if (b === shapes.truth[p]) unaryAcc++;
  }
  console.log(
    `\ndense-crf bench (${SIMD && simdAvailable() ? 'WebAssembly SIMD kernel' : 'plain JS'}): median of ${RUNS} runs, Node ${process.version}; unary-argmin accuracy ${((100 * unaryAcc) / shapes.truth.length).toFixed(1)} %`,
  );
  console.log(
    '| config | image | setup ms | inference ms | total ms | ms / iteration | lattice vertices (Gauss / bilateral) | accuracy vs synthetic truth |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(`peak RSS ${mb(peakRss)} MB, peak heap+ArrayBuffers ${mb(peakHeap)} MB`);
});
