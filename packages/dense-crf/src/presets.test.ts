import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodePpm } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { DenseCRF2D } from './densecrf.js';
import { applyPreset, PRESETS } from './presets.js';

const median = (a: Float32Array): number => {
  const s = Float32Array.from(a).sort();
  return s[s.length >> 1] as number;
};

describe('presets', () => {
  it('carry the published parameter sets (dense-crf.md §7)', () => {
    expect(PRESETS.reference).toMatchObject({
      iterations: 5,
      normalization: 'symmetric',
      gaussian: { sxy: 3, compat: 3 },
      bilateral: { sxy: 80, srgb: 13, compat: 10 },
    });
    expect(PRESETS.deconvnet).toMatchObject({
      iterations: 10,
      normalization: 'none',
      gaussian: { sxy: 3, compat: 3 },
      bilateral: { sxy: 20, srgb: 3, compat: 5 },
    });
    expect(PRESETS.deeplab.normalization).toBe('after');
    for (const p of Object.values(PRESETS)) expect(p.source.length).toBeGreaterThan(5);
  });

  it('example 1 with the reference preset: raw lattice sums as measured with the reference (§4)', () => {
    const im = decodePpm(
      readFileSync(fileURLToPath(new URL('../../../../shared/fixtures/densecrf/im1.ppm', import.meta.url))),
    );
    const crf = new DenseCRF2D(im.width, im.height, 21);
    const iterations = applyPreset(crf, 'reference', im);
    expect(iterations).toBe(5);
    const [gauss, bilateral] = crf.pairwiseTerms;
    expect(gauss?.normalization).toBe('symmetric');
    // Gaussian θγ 3: median ≈ 50; bilateral (80, 13): median ≈ 3.5·10³, maximum ≈ 9.4·10³.
    expect(median(gauss?.rawNorm as Float32Array)).toBeGreaterThan(45);
    expect(median(gauss?.rawNorm as Float32Array)).toBeLessThan(52);
    const b = bilateral?.rawNorm as Float32Array;
    expect(median(b) / 3.5e3).toBeGreaterThan(0.93);
    expect(median(b) / 3.5e3).toBeLessThan(1.07);
    expect(Math.max(...b) / 9.4e3).toBeGreaterThan(0.97);
    expect(Math.max(...b) / 9.4e3).toBeLessThan(1.03);
    // Symmetric factors are 1/sqrt(n).
    expect(bilateral?.factors?.[100]).toBeCloseTo(1 / Math.sqrt(b[100] as number), 6);
  });

  it('the DeconvNet preset uses raw sums (no factors) and the DeepLab preset 1/n', () => {
    const W = 24;
    const H = 16;
    const img = new Uint8Array(W * H * 3).fill(100);
    const crf = new DenseCRF2D(W, H, 3);
    applyPreset(crf, 'deconvnet', img);
    expect(crf.pairwiseTerms.every((t) => t.factors === null)).toBe(true);
    const dl = new DenseCRF2D(W, H, 3);
    applyPreset(dl, 'deeplab', img);
    const t = dl.pairwiseTerms[1];
    expect(t?.factors?.[5]).toBeCloseTo(1 / (t?.rawNorm[5] as number), 6);
  });
});
