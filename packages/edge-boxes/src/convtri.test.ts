import { describe, expect, it } from 'vitest';
import { convTri, convTriBytesInto, convTriInto } from './convtri.js';
import { rng } from './test-helpers.js';

/** Symmetric (edge-repeating) index by explicit unfolding, independent of the implementation's formula. */
function sym(i: number, n: number): number {
  for (;;) {
    if (i < 0) i = -1 - i;
    else if (i >= n) i = 2 * n - 1 - i;
    else return i;
  }
}

function bruteForce(src: Float32Array, w: number, h: number, r: number): Float64Array {
  const out = new Float64Array(w * h);
  const k = (d: number) => (r + 1 - Math.abs(d)) / (r + 1) ** 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) s += k(dx) * k(dy) * src[sym(y + dy, h) * w + sym(x + dx, w)]!;
      }
      out[y * w + x] = s;
    }
  }
  return out;
}

describe('convTri', () => {
  it.each([
    [1, 9, 7],
    [4, 23, 17],
    [4, 3, 5], // radius larger than the image: padding folds more than once
    [2, 1, 6],
  ])('matches a brute-force 2-D triangle convolution with symmetric padding (r=%i, %i×%i)', (r, w, h) => {
    const rand = rng(r * 100 + w);
    const src = Float32Array.from({ length: w * h }, () => rand() * 255);
    const got = convTri(src, w, h, r);
    const want = bruteForce(src, w, h, r);
    for (let i = 0; i < w * h; i++) expect(got[i]).toBeCloseTo(want[i]!, 3);
  });

  it('keeps constants and the total mass of a centred impulse', () => {
    const c = convTri(new Float32Array(30).fill(7), 6, 5, 3);
    for (const v of c) expect(v).toBeCloseTo(7, 5);
    const imp = new Float32Array(21 * 21);
    imp[10 * 21 + 10] = 1;
    const out = convTri(imp, 21, 21, 4);
    let sum = 0;
    for (const v of out) sum += v;
    expect(sum).toBeCloseTo(1, 6);
    // peak = (1/(r+1))² = 1/25; one step right = (4/25)·(5/25)
    expect(out[10 * 21 + 10]).toBeCloseTo(1 / 25, 7);
    expect(out[10 * 21 + 11]).toBeCloseTo((4 / 25) * (5 / 25), 7);
  });

  it('r = 0 is the identity; bad radius and size are rejected', () => {
    const src = Float32Array.of(1, 2, 3, 4);
    expect(Array.from(convTri(src, 2, 2, 0))).toEqual([1, 2, 3, 4]);
    expect(() => convTri(src, 2, 2, 1.5)).toThrow(/radius/);
    expect(() => convTri(src, 3, 2, 1)).toThrow(/values/);
  });
});

describe('convTriInto / convTriBytesInto (several channels at once)', () => {
  it.each([
    [4, 37, 23],
    [1, 5, 4],
    [4, 3, 5], // radius larger than the image
    [0, 6, 3],
    [17, 40, 30], // beyond int32's range: the float64 fallback
  ])('equal convTri of each channel bit for bit (r=%i, %i×%i)', (r, w, h) => {
    const rand = rng(r * 31 + w * h);
    const n = w * h;
    const bytes = Uint8Array.from({ length: 3 * n }, () => Math.floor(rand() * 256));
    const floats = Float32Array.from({ length: 3 * n }, () => rand() * 3 - 1);
    const fromBytes = new Float32Array(3 * n);
    const fromFloats = new Float32Array(3 * n);
    convTriBytesInto(bytes, w, h, r, fromBytes);
    convTriInto(floats, w, h, 3, r, fromFloats);
    for (let c = 0; c < 3; c++) {
      const pb = Float32Array.from({ length: n }, (_, i) => bytes[3 * i + c]!);
      const pf = Float32Array.from({ length: n }, (_, i) => floats[3 * i + c]!);
      const wb = convTri(pb, w, h, r);
      const wf = convTri(pf, w, h, r);
      for (let i = 0; i < n; i++) {
        expect(fromBytes[3 * i + c]).toBe(wb[i]);
        expect(fromFloats[3 * i + c]).toBe(wf[i]);
      }
    }
  });
});
