// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

/** Step sizes chosen so that neighbouring windows overlap with IoU ≈ α (float32, as the C++). */
export interface StepSizes {
  /** Scale step √(1/α). */
  scale: number;
  /** Aspect step (1+α)/(2α). */
  aspect: number;
  /** Position step as a fraction of the box side, (1−α)/(1+α). */
  ratio: number;
}

export function stepSizes(alpha: number): StepSizes {
  const a = f(alpha);
  return {
    scale: f(Math.sqrt(f(1 / a))),
    aspect: f(f(1 + a) / f(2 * a)),
    ratio: f(f(1 - a) / f(1 + a)),
  };
}

export interface GridParams {
  alpha: number;
  maxAspectRatio: number;
  minBoxArea: number;
}

/** One window shape of the grid with its position steps. */
export interface GridShape {
  w: number;
  h: number;
  kx: number;
  ky: number;
}

/**
 * The window shapes of pdollar/edges `scoreAllBoxes`: scNum scales × (2·arRad+1) aspect ratios, in the C++ order.
 * Windows of a shape sit at x = 0, kx, … while x < W − w + kx (likewise y); they may extend past the image.
 */
export function gridShapes(W: number, H: number, p: GridParams): GridShape[] {
  const st = stepSizes(p.alpha);
  const minSize = f(Math.sqrt(f(p.minBoxArea)));
  const arRad = Math.trunc(f(f(Math.log(f(p.maxAspectRatio))) / f(Math.log(f(st.aspect * st.aspect)))));
  const scNum = Math.ceil(f(f(Math.log(f(Math.max(W, H) / minSize))) / f(Math.log(st.scale))));
  const shapes: GridShape[] = [];
  for (let s = 0; s < scNum; s++) {
    for (let a = 0; a < 2 * arRad + 1; a++) {
      const ar = f(st.aspect ** (a - arRad));
      const sc = f(minSize * f(st.scale ** s));
      const h = Math.trunc(f(sc / ar));
      const ky = Math.max(2, Math.trunc(f(h * st.ratio)));
      const w = Math.trunc(f(sc * ar));
      const kx = Math.max(2, Math.trunc(f(w * st.ratio)));
      shapes.push({ w, h, kx, ky });
    }
  }
  return shapes;
}

/** Number of positions 0, k, 2k, … below `limit` (C++ `for (x=0; x<limit; x+=k)`). */
export function positions(limit: number, k: number): number {
  return limit > 0 ? Math.ceil(limit / k) : 0;
}

/** Total number of sliding windows for a W×H image (e.g. ≈55,100 at 500×375 with α = .65). */
export function windowCount(W: number, H: number, p: GridParams): number {
  let n = 0;
  for (const s of gridShapes(W, H, p)) n += positions(W - s.w + s.kx, s.kx) * positions(H - s.h + s.ky, s.ky);
  return n;
}
