/**
 * Deterministic synthetic benchmark inputs after dense-crf.md §8.1: 500×375, 21 labels; unary = −log softmax(logits)
 * with logits = +3 on the label of a drawn shape + a smooth random field + per-pixel noise; images "shapes"
 * (piecewise-constant coloured shapes + σ = 6 noise) and "noise" (uniform random RGB, the lattice's worst case).
 * The generator is this package's own (the reference's generator is not published), so vertex counts differ a little.
 */
export interface SyntheticCase {
  width: number;
  height: number;
  numLabels: number;
  image: Uint8Array;
  unary: Float32Array;
  truth: Uint8Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticCase(
  width = 500,
  height = 375,
  numLabels = 21,
  seed = 0,
  kind: 'shapes' | 'noise' = 'shapes',
): SyntheticCase {
  const rnd = mulberry32(seed + 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const n = width * height;
  const truth = new Uint8Array(n);
  const colors: number[][] = [];
  for (let l = 0; l < numLabels; l++)
    colors.push([Math.floor(rnd() * 256), Math.floor(rnd() * 256), Math.floor(rnd() * 256)]);
  // 12 shapes (ellipses and rectangles) over a background of label 0.
  for (let s = 0; s < 12; s++) {
    const label = 1 + Math.floor(rnd() * (numLabels - 1));
    const cx = rnd() * width;
    const cy = rnd() * height;
    const rx = 20 + rnd() * 100;
    const ry = 20 + rnd() * 80;
    const ellipse = rnd() < 0.5;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = (x - cx) / rx;
        const dy = (y - cy) / ry;
        if (ellipse ? dx * dx + dy * dy <= 1 : Math.abs(dx) <= 1 && Math.abs(dy) <= 1) truth[y * width + x] = label;
      }
    }
  }
  const image = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const c = colors[truth[p] as number] as number[];
    for (let k = 0; k < 3; k++) {
      const v = kind === 'noise' ? rnd() * 256 : (c[k] as number) + 6 * gauss();
      image[3 * p + k] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  // Smooth random field: 3 random low-frequency waves per label.
  const waves: number[][] = [];
  for (let l = 0; l < numLabels; l++) {
    for (let k = 0; k < 3; k++) waves.push([l, rnd() * 0.05, rnd() * 0.05, rnd() * 6.28, 1.5 * rnd()]);
  }
  const unary = new Float32Array(n * numLabels);
  const logits = new Float64Array(numLabels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      logits.fill(0);
      logits[truth[p] as number] = 3;
      for (const [l, fx, fy, ph, a] of waves as [number, number, number, number, number][]) {
        logits[l] = (logits[l] as number) + a * Math.sin(fx * x + fy * y + ph);
      }
      let mx = -Infinity;
      for (let l = 0; l < numLabels; l++) {
        logits[l] = (logits[l] as number) + 0.9 * gauss();
        mx = Math.max(mx, logits[l] as number);
      }
      let s = 0;
      for (let l = 0; l < numLabels; l++) s += Math.exp((logits[l] as number) - mx);
      const lse = mx + Math.log(s);
      for (let l = 0; l < numLabels; l++) unary[p * numLabels + l] = lse - (logits[l] as number);
    }
  }
  return { width, height, numLabels, image, unary, truth };
}
