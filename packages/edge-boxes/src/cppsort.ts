/**
 * `std::sort` as GCC's libstdc++ implements it (introsort: median-of-three Hoare partitions down to 16 elements,
 * heapsort past 2·⌊log2 n⌋ levels, then one insertion sort). It is not stable, so the order it leaves equal keys
 * in decides which of two tied, overlapping boxes survives NMS; replaying it reproduces the original's ties.
 *
 * Sorts `a` (any values) ascending by `key(a[i])`, comparing with `<` exactly like the C++ comparator.
 * `depthLimit` overrides the introsort depth (0 = straight to the heapsort of `std::partial_sort`; for tests).
 */
export function cppSort<T>(a: T[], key: (v: T) => number, depthLimit?: number): void {
  const n = a.length;
  if (n < 2) return;
  // sort an index permutation, moving each key along with its index, then apply it
  const ks = new Float64Array(n);
  for (let i = 0; i < n; i++) ks[i] = key(a[i]!);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const kv = (i: number) => ks[i]!;
  const swap = (i: number, j: number) => {
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
    const u = ks[i]!;
    ks[i] = ks[j]!;
    ks[j] = u;
  };
  const move = (to: number, from: number) => {
    idx[to] = idx[from]!;
    ks[to] = ks[from]!;
  };

  function moveMedianToFirst(result: number, x: number, y: number, z: number): void {
    const ka = kv(x);
    const kb = kv(y);
    const kc = kv(z);
    if (ka < kb) {
      if (kb < kc) swap(result, y);
      else if (ka < kc) swap(result, z);
      else swap(result, x);
    } else if (ka < kc) swap(result, x);
    else if (kb < kc) swap(result, z);
    else swap(result, y);
  }

  function unguardedPartition(first: number, last: number, pivot: number): number {
    const kp = kv(pivot);
    for (;;) {
      while (kv(first) < kp) first++;
      last--;
      while (kp < kv(last)) last--;
      if (!(first < last)) return first;
      swap(first, last);
      first++;
    }
  }

  function pushHeap(first: number, hole: number, top: number, value: number, kVal: number): void {
    let parent = ((hole - 1) / 2) | 0;
    while (hole > top && ks[first + parent]! < kVal) {
      move(first + hole, first + parent);
      hole = parent;
      parent = ((hole - 1) / 2) | 0;
    }
    idx[first + hole] = value;
    ks[first + hole] = kVal;
  }

  function adjustHeap(first: number, hole: number, len: number, value: number, kVal: number): void {
    const top = hole;
    let child = hole;
    while (child < (((len - 1) / 2) | 0)) {
      child = 2 * (child + 1);
      if (kv(first + child) < kv(first + child - 1)) child--;
      move(first + hole, first + child);
      hole = child;
    }
    if ((len & 1) === 0 && child === (((len - 2) / 2) | 0)) {
      child = 2 * (child + 1);
      move(first + hole, first + child - 1);
      hole = child - 1;
    }
    pushHeap(first, hole, top, value, kVal);
  }

  function heapSort(first: number, last: number): void {
    const len = last - first;
    if (len >= 2) {
      for (let parent = ((len - 2) / 2) | 0; ; parent--) {
        adjustHeap(first, parent, len, idx[first + parent]!, ks[first + parent]!);
        if (parent === 0) break;
      }
    }
    while (last - first > 1) {
      last--;
      const value = idx[last]!;
      const kVal = ks[last]!;
      move(last, first);
      adjustHeap(first, 0, last - first, value, kVal);
    }
  }

  function introsortLoop(first: number, last: number, depth: number): void {
    while (last - first > 16) {
      if (depth === 0) {
        heapSort(first, last);
        return;
      }
      depth--;
      const mid = first + (((last - first) / 2) | 0);
      moveMedianToFirst(first, first + 1, mid, last - 1);
      const cut = unguardedPartition(first + 1, last, first);
      introsortLoop(cut, last, depth);
      last = cut;
    }
  }

  function linearInsert(last: number): void {
    const val = idx[last]!;
    const kVal = ks[last]!;
    let next = last - 1;
    while (kVal < ks[next]!) {
      move(last, next);
      last = next;
      next--;
    }
    idx[last] = val;
    ks[last] = kVal;
  }

  function insertionSort(first: number, last: number): void {
    for (let i = first + 1; i < last; i++) {
      if (kv(i) < kv(first)) {
        const val = idx[i]!;
        const kVal = ks[i]!;
        idx.copyWithin(first + 1, first, i);
        ks.copyWithin(first + 1, first, i);
        idx[first] = val;
        ks[first] = kVal;
      } else linearInsert(i);
    }
  }

  introsortLoop(0, n, depthLimit ?? 2 * (31 - Math.clz32(n))); // 2·__lg(n)
  if (n > 16) {
    insertionSort(0, 16);
    for (let i = 16; i < n; i++) linearInsert(i);
  } else insertionSort(0, n);

  const copy = a.slice();
  for (let i = 0; i < n; i++) a[i] = copy[idx[i]!]!;
}

/** `sort(v.rbegin(), v.rend(), [](a, b) { return a.s < b.s; })`: descending by score, libstdc++'s tie order. */
export function cppSortDescending<T extends { score: number }>(a: T[]): void {
  a.reverse();
  cppSort(a, (b) => b.score);
  a.reverse();
}
