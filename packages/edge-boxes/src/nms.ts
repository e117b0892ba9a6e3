import { cppSortDescending } from './cppsort.js';
import type { RawBox } from './refine.js';

// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;

/**
 * IoU in the code's convention (pdollar/edges `boxesOverlap`): areas w·h, intersection of [x, x+w) spans, float32.
 * The second early exit tests `a` against `b`'s far corner, exactly as the original.
 */
export function rawOverlap(a: RawBox, b: RawBox): number {
  const y1i = a.y + a.h;
  const x1i = a.x + a.w;
  if (a.y >= y1i || a.x >= x1i) return 0;
  const y1j = b.y + b.h;
  const x1j = b.x + b.w;
  if (a.y >= y1j || a.x >= x1j) return 0;
  const areai = f(a.w * a.h);
  const areaj = f(b.w * b.h);
  const y0 = Math.max(a.y, b.y);
  const y1 = Math.min(y1i, y1j);
  const x0 = Math.max(a.x, b.x);
  const x1 = Math.min(x1i, x1j);
  const areaij = f(Math.max(0, y1 - y0) * Math.max(0, x1 - x0));
  return f(areaij / f(f(areai + areaj) - areaij));
}

/**
 * Greedy NMS with area bins and the adaptive threshold of pdollar/edges `boxesNms` (Hosang et al. §5.E):
 * keep a box if its IoU with every kept box in nearby area bins is ≤ thr; after each kept box, while η < 1 and
 * thr > 0.5, thr ← thr·η. Stops after maxBoxes. β > 0.99 returns all boxes, sorted, without NMS or cap.
 * Sorts in place with libstdc++'s std::sort order (see {@link cppSortDescending}).
 */
export function boxesNms(boxes: RawBox[], beta: number, eta: number, maxBoxes: number): RawBox[] {
  cppSortDescending(boxes);
  let thr = f(beta);
  const etaF = f(eta);
  if (thr > f(0.99)) return boxes;
  const nBin = 10000;
  const lstep = f(Math.log(f(1 / thr)));
  const kept: RawBox[][] = [];
  let m = 0;
  let d = 1;
  for (let i = 0; i < boxes.length && m < maxBoxes; i++) {
    const box = boxes[i]!;
    const area = box.w * box.h;
    const raw = Math.ceil(f(f(Math.log(f(area))) / lstep));
    // log(0) = −∞: the C++ int conversion then clamps to the lowest bin
    const b = Number.isFinite(raw) ? Math.min(Math.max(raw, d), nBin - d) : d;
    let keep = true;
    for (let j = b - d; j <= b + d && keep; j++) {
      const bin = kept[j];
      if (!bin) continue;
      for (let k = 0; k < bin.length; k++) {
        const o = bin[k]!;
        // disjoint boxes (the usual case) have IoU 0 ≤ thr: skip the float32 division
        if (o.x >= box.x + box.w || box.x >= o.x + o.w || o.y >= box.y + box.h || box.y >= o.y + o.h) continue;
        if (rawOverlap(box, o) > thr) {
          keep = false;
          break;
        }
      }
    }
    if (keep) {
      let bin = kept[b];
      if (!bin) {
        bin = [];
        kept[b] = bin;
      }
      bin.push(box);
      m++;
      if (etaF < 1 && thr > 0.5) {
        thr = f(thr * etaF);
        d = Math.ceil(f(f(Math.log(f(1 / thr))) / lstep));
      }
    }
  }
  // gathered bin by bin and sorted again, as the original (this fixes the order of equal scores)
  const out: RawBox[] = [];
  for (let j = 0; j < nBin; j++) for (const b of kept[j] ?? []) out.push(b);
  cppSortDescending(out);
  return out;
}
