import type { LabelMap } from '@deconvnet/image';

/**
 * VOC-style boundary band: pixel p is void when some pixel within Chebyshev distance `radius` of p has a different
 * value in `regions` (an instance map with background 0). Computed as a separable (2r+1)² min/max filter: p is void
 * iff min ≠ max over its window. The image border adds nothing. Returns a 0/1 mask.
 */
export function voidBand(regions: LabelMap, radius: number): Uint8Array {
  const { width: W, height: H, data } = regions;
  const out = new Uint8Array(W * H);
  if (radius <= 0) return out;
  const rowMin = new Uint8Array(W * H);
  const rowMax = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let lo = 255;
      let hi = 0;
      const a = Math.max(0, x - radius);
      const b = Math.min(W - 1, x + radius);
      for (let k = a; k <= b; k++) {
        const v = data[y * W + k]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      rowMin[y * W + x] = lo;
      rowMax[y * W + x] = hi;
    }
  }
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < H; y++) {
      let lo = 255;
      let hi = 0;
      const a = Math.max(0, y - radius);
      const b = Math.min(H - 1, y + radius);
      for (let k = a; k <= b; k++) {
        const i = k * W + x;
        if (rowMin[i]! < lo) lo = rowMin[i]!;
        if (rowMax[i]! > hi) hi = rowMax[i]!;
      }
      if (lo !== hi) out[y * W + x] = 1;
    }
  }
  return out;
}
