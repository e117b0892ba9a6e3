import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodePpm, type RgbImage } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { argmaxLabels, DenseCRF2D } from './densecrf.js';
import type { Normalization } from './normalization.js';
import { labelsFromColorAnnotation, unaryFromLabels } from './unary.js';

// Oracle produced with the authors' C++ (densecrf v2.2); see src/oracle/README.md for exactly how.
interface OracleCase {
  image: number;
  latticeVertices: [number, number];
  width: number;
  height: number;
  labels: number;
  iterations: number;
  normalization: Normalization;
  compat: 'potts' | 'diag' | 'matrix';
  labelRle: number[];
  labelSums: number[];
  samplePixels: number[];
  sampleMarginals: number[];
}
const oracle = JSON.parse(readFileSync(new URL('./oracle/reference-oracle.json', import.meta.url), 'utf8')) as {
  cases: OracleCase[];
};

const f32 = Math.fround;
const fixture = (name: string): RgbImage =>
  decodePpm(
    readFileSync(fileURLToPath(new URL(`../../../../shared/fixtures/densecrf/${name}`, import.meta.url))),
    name,
  );

function crop(img: RgbImage, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) out.set(img.data.subarray(y * img.width * 3, (y * img.width + w) * 3), y * w * 3);
  return out;
}

/** The oracle's compatibilities (same float32 arithmetic as its C++ harness). */
function compat(kind: OracleCase['compat'], w: number, L: number): number | Float32Array {
  if (kind === 'potts') return w;
  if (kind === 'diag') return Float32Array.from({ length: L }, (_, l) => -w * f32(1 + f32(f32(0.05) * l)));
  const m = new Float32Array(L * L);
  for (let a = 0; a < L; a++)
    for (let b = 0; b < L; b++) m[a * L + b] = a === b ? -w : (a + 2 * b) % 3 === 0 ? f32(f32(0.1) * w) : 0;
  return m;
}

describe('reference example unaries (examples/dense_inference.cpp)', () => {
  it('labels = non-black colours in order of first appearance; black = unknown', () => {
    const expected: Record<number, Array<[number, number, number]>> = {
      1: [
        [64, 128, 0],
        [0, 64, 0],
      ],
      2: [
        [0, 128, 0],
        [0, 192, 0],
      ],
      3: [
        [0, 128, 0],
        [192, 128, 0],
        [64, 64, 0],
      ],
    };
    for (const k of [1, 2, 3]) {
      const anno = fixture(`anno${k}.ppm`);
      const n = anno.width * anno.height;
      const { labels, colors } = labelsFromColorAnnotation(anno.data, n, 21);
      expect(new Set(colors.map((c) => c.join()))).toEqual(new Set((expected[k] ?? []).map((c) => c.join())));
      // First appearance order, counted independently.
      let firstSeen = -1;
      for (let p = 0; p < n; p++) {
        const c = [anno.data[3 * p], anno.data[3 * p + 1], anno.data[3 * p + 2]].join();
        if (c !== '0,0,0') {
          firstSeen = p;
          expect(c).toBe(colors[0]?.join());
          break;
        }
      }
      expect(labels[firstSeen]).toBe(0);
      let black = 0;
      let unknown = 0;
      for (let p = 0; p < n; p++) {
        if (anno.data[3 * p] === 0 && anno.data[3 * p + 1] === 0 && anno.data[3 * p + 2] === 0) black++;
        if ((labels[p] as number) < 0) unknown++;
      }
      expect(unknown).toBe(black);
    }
  });

  it('energies: −log 0.5 on the label, −log(0.5/20) elsewhere, −log(1/21) when unknown', () => {
    const u = unaryFromLabels(new Int16Array([1, -1]), 21);
    expect(u[1]).toBe(f32(Math.LN2));
    expect(u[0]).toBe(f32(Math.log(40)));
    expect(u[21]).toBe(f32(Math.log(21)));
    expect(u[41]).toBe(f32(Math.log(21)));
  });
});

describe('agreement with the C++ reference on the example photos', () => {
  for (const c of oracle.cases) {
    // exactExp on the crops and on example 1; the default mode (Eigen's exp on every label, flush) on examples 2, 3.
    const exactExp = c.width * c.height < 30000 || c.image === 1;
    const name = `example ${c.image} ${c.width}×${c.height}, L=${c.labels}, ${c.iterations} it, ${c.normalization}, ${c.compat}, ${exactExp ? 'exactExp' : 'default exp'}`;
    it(name, () => {
      const im = fixture(`im${c.image}.ppm`);
      const anno = fixture(`anno${c.image}.ppm`);
      const W = c.width;
      const H = c.height;
      const N = W * H;
      const L = c.labels;
      const crf = new DenseCRF2D(W, H, L, { exactExp });
      crf.setUnaryEnergy(unaryFromLabels(labelsFromColorAnnotation(crop(anno, W, H), N, L).labels, L));
      crf.addPairwiseGaussian({ sx: 3, sy: 3, compat: compat(c.compat, 3, L), normalization: c.normalization });
      crf.addPairwiseBilateral({
        sx: 80,
        sy: 80,
        sr: 13,
        sg: 13,
        sb: 13,
        image: crop(im, W, H),
        compat: compat(c.compat, 10, L),
        normalization: c.normalization,
      });
      expect(crf.pairwiseTerms.map((t) => t.lattice.numVertices)).toEqual(c.latticeVertices);
      const q = crf.inference(c.iterations);

      const labels = argmaxLabels(q, L);
      const expected = new Uint8Array(N);
      for (let i = 0, p = 0; i < c.labelRle.length; i += 2) {
        expected.fill(c.labelRle[i] as number, p, p + (c.labelRle[i + 1] as number));
        p += c.labelRle[i + 1] as number;
      }
      let differing = 0;
      for (let p = 0; p < N; p++) if (labels[p] !== expected[p]) differing++;
      expect(differing).toBe(0);

      const tol = exactExp ? 1e-8 : 1e-6;
      let maxDiff = 0;
      c.samplePixels.forEach((p, s) => {
        for (let l = 0; l < L; l++)
          maxDiff = Math.max(maxDiff, Math.abs((q[p * L + l] as number) - (c.sampleMarginals[s * L + l] as number)));
      });
      expect(maxDiff).toBeLessThan(tol);
      const sums = new Float64Array(L);
      for (let p = 0; p < N; p++) for (let l = 0; l < L; l++) sums[l] = (sums[l] as number) + (q[p * L + l] as number);
      for (let l = 0; l < L; l++)
        expect(Math.abs((sums[l] as number) - (c.labelSums[l] as number))).toBeLessThan(tol * N * 0.1 + 1e-6);
    });
  }
});
