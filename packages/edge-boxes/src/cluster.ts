// Local alias (not imported): bundlers' live bindings would turn every call into a property load.
const f = Math.fround;
/** π as the C++ spells it (`3.14159265f`, `(float)CV_PI`): the float nearest π. */
const PI_F = Math.fround(Math.PI);

/** Edge groups ("segments") of pdollar/edges `clusterEdges`. Arrays are column-major: `i = x*height + y`. */
export interface EdgeGroups {
  /** Group id per pixel: −1 border/weak, 0 none, 1…count−1 a group. */
  ids: Int32Array;
  /** Number of ids in use including the unused id 0 (C++ `_segCnt`). */
  count: number;
  /** Σ E over the group (float32). */
  mag: Float32Array;
  /** E-weighted mean position. */
  meanX: Float32Array;
  meanY: Float32Array;
  /** Mean normal orientation by doubled angles. */
  meanO: Float32Array;
  /** Anchor: the last pixel of the group in scan order (x outer, y inner) — decides "inside a box". */
  anchorX: Int32Array;
  anchorY: Int32Array;
}

export interface ClusterParams {
  edgeMinMag: number;
  edgeMergeThr: number;
  clusterMinMag: number;
}

/** Orientation difference folded to [0, 0.5] (×π), float32 as the C++. */
function orientDiff(o1: number, o0: number): number {
  const v = f(Math.abs(f(o1 - o0)) / PI_F);
  return v > 0.5 ? f(1 - v) : v;
}

/**
 * Greedy grouping of edge pixels (pdollar/edges edgeBoxesMex.cpp `clusterEdges`), scanning x outer, y inner:
 * chains of 8-connected pixels until the accumulated orientation change reaches edgeMergeThr; groups with
 * Σ E ≤ clusterMinMag are dissolved into the neighbouring group of closest orientation; ids are compacted.
 * `E` and `O` are column-major (`x*h + y`).
 */
export function clusterEdges(E: Float32Array, O: Float32Array, w: number, h: number, p: ClusterParams): EdgeGroups {
  const ids = new Int32Array(w * h).fill(-1);
  const minMag = f(p.edgeMinMag);
  const mergeThr = f(p.edgeMergeThr);
  const clusterMin = f(p.clusterMinMag);
  // Only interior pixels with E > edgeMinMag ever carry an id ≥ 0; every later pass walks this list of them, in
  // scan order (x outer, y inner), instead of the whole image: same visits in the same order.
  let np = 0;
  let px = new Int32Array(1024);
  for (let x = 1; x < w - 1; x++) {
    for (let i = x * h + 1, e = x * h + h - 1; i < e; i++) {
      if (E[i]! > minMag) {
        ids[i] = 0;
        if (np === px.length) {
          const grown = new Int32Array(2 * np);
          grown.set(px);
          px = grown;
        }
        px[np++] = i;
      }
    }
  }

  // Greedy chaining. The C++ keeps a candidate list, takes the cheapest unused candidate (earliest listed on ties)
  // by a linear scan and searches the list to avoid duplicates; a binary heap ordered by (cost, listing order)
  // and a per-pixel "listed" mark make the same choices in O(log n).
  let cnt = 1;
  const listed = new Int32Array(w * h);
  let heapV = new Float32Array(64);
  let heapN = new Int32Array(64); // listing order, the tie-breaker
  let heapP = new Int32Array(64); // pixel
  const offs = [-h - 1, -h, -h + 1, -1, 0, 1, h - 1, h, h + 1]; // (xd, yd) in C++ loop order
  for (let t = 0; t < np; t++) {
    let p0 = px[t]!;
    if (ids[p0] !== 0) continue;
    let sumv = 0;
    let order = 0;
    let size = 0;
    while (sumv < mergeThr) {
      ids[p0] = cnt;
      const o0 = O[p0]!;
      for (let k = 0; k < 9; k++) {
        const q = p0 + offs[k]!;
        if (ids[q] !== 0 || listed[q] === cnt) continue;
        listed[q] = cnt;
        if (size === heapV.length) {
          const nv = new Float32Array(size * 2);
          nv.set(heapV);
          heapV = nv;
          const nn = new Int32Array(size * 2);
          nn.set(heapN);
          heapN = nn;
          const np = new Int32Array(size * 2);
          np.set(heapP);
          heapP = np;
        }
        // sift up
        const v = orientDiff(O[q]!, o0);
        const nOrd = order++;
        let c = size++;
        while (c > 0) {
          const par = (c - 1) >> 1;
          const pv = heapV[par]!;
          if (pv < v || (pv === v && heapN[par]! < nOrd)) break;
          heapV[c] = pv;
          heapN[c] = heapN[par]!;
          heapP[c] = heapP[par]!;
          c = par;
        }
        heapV[c] = v;
        heapN[c] = nOrd;
        heapP[c] = q;
      }
      if (size === 0) {
        sumv = f(sumv + 1000); // no candidate left: the C++ adds its sentinel cost and stops
        continue;
      }
      const minv = heapV[0]!;
      p0 = heapP[0]!;
      // pop: move the last element to the root and sift down
      size--;
      const lv = heapV[size]!;
      const ln = heapN[size]!;
      const lp = heapP[size]!;
      let c = 0;
      for (;;) {
        let m = 2 * c + 1;
        if (m >= size) break;
        const r = m + 1;
        if (r < size && (heapV[r]! < heapV[m]! || (heapV[r] === heapV[m] && heapN[r]! < heapN[m]!))) m = r;
        if (lv < heapV[m]! || (lv === heapV[m] && ln < heapN[m]!)) break;
        heapV[c] = heapV[m]!;
        heapN[c] = heapN[m]!;
        heapP[c] = heapP[m]!;
        c = m;
      }
      heapV[c] = lv;
      heapN[c] = ln;
      heapP[c] = lp;
      sumv = f(sumv + minv);
    }
    cnt++;
  }

  // dissolve small groups
  let mag = new Float32Array(cnt);
  for (let t = 0; t < np; t++) {
    const i = px[t]!;
    const j = ids[i]!;
    if (j > 0) mag[j] = f(mag[j]! + E[i]!);
  }
  for (let t = 0; t < np; t++) {
    const i = px[t]!;
    const j = ids[i]!;
    if (j > 0 && mag[j]! <= clusterMin) ids[i] = 0;
  }
  // Repeated full scans until one assigns nothing; every still-unassigned pixel takes the id of the neighbouring
  // group of closest orientation, updates visible at once. Only unassigned pixels matter, so each scan walks a list
  // of them in scan order (ascending column-major index) instead of the whole image: same assignments, and no
  // whole-image pass per step when labels creep against the scan direction one pixel per scan.
  let todo: number[] = [];
  for (let t = 0; t < np; t++) if (ids[px[t]!] === 0) todo.push(px[t]!);
  for (let changed = 1; changed > 0; ) {
    changed = 0;
    const next: number[] = [];
    for (let t = 0; t < todo.length; t++) {
      const i = todo[t]!;
      const o0 = O[i]!;
      let minv = 1000;
      let j = 0;
      for (let k = 0; k < 9; k++) {
        const q = i + offs[k]!;
        const s = ids[q]!;
        if (s <= 0) continue;
        const v = orientDiff(O[q]!, o0);
        if (v < minv) {
          minv = v;
          j = s;
        }
      }
      ids[i] = j;
      if (j > 0) changed++;
      else next.push(i);
    }
    todo = next;
  }

  // compact ids
  mag = new Float32Array(cnt);
  for (let t = 0; t < np; t++) {
    const i = px[t]!;
    const j = ids[i]!;
    if (j > 0) mag[j] = f(mag[j]! + E[i]!);
  }
  const map = new Int32Array(cnt);
  let count = 1;
  for (let i = 0; i < cnt; i++) if (mag[i]! > 0) map[i] = count++;
  for (let t = 0; t < np; t++) {
    const i = px[t]!;
    const j = ids[i]!;
    if (j > 0) ids[i] = map[j]!;
  }

  // statistics (float32 accumulators, as the C++)
  mag = new Float32Array(count);
  const meanX = new Float32Array(count);
  const meanY = new Float32Array(count);
  const meanOx = new Float32Array(count);
  const meanOy = new Float32Array(count);
  const meanO = new Float32Array(count);
  const anchorX = new Int32Array(count);
  const anchorY = new Int32Array(count);
  for (let t = 0; t < np; t++) {
    const i = px[t]!;
    const j = ids[i]!;
    if (j <= 0) continue;
    const x = (i / h) | 0;
    const y = i - x * h;
    const m = E[i]!;
    const o2 = f(2 * O[i]!);
    mag[j] = f(mag[j]! + m);
    meanOx[j] = f(meanOx[j]! + f(m * f(Math.cos(o2))));
    meanOy[j] = f(meanOy[j]! + f(m * f(Math.sin(o2))));
    meanX[j] = f(meanX[j]! + f(m * x));
    meanY[j] = f(meanY[j]! + f(m * y));
    anchorX[j] = x;
    anchorY[j] = y;
  }
  for (let i = 0; i < count; i++) {
    const m = mag[i]!;
    if (m > 0) {
      meanX[i] = f(meanX[i]! / m);
      meanY[i] = f(meanY[i]! / m);
      meanO[i] = f(f(Math.atan2(f(meanOy[i]! / m), f(meanOx[i]! / m))) / 2);
    }
  }
  return { ids, count, mag, meanX, meanY, meanO, anchorX, anchorY };
}
