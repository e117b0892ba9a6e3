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
  cppSortKeys(ks, idx, depthLimit);
  const copy = a.slice();
  for (let i = 0; i < n; i++) a[i] = copy[idx[i]!]!;
}

/**
 * The order in which `sort(v.rbegin(), v.rend(), [](a, b) { return a.s < b.s; })` leaves the scores `s`
 * (descending, libstdc++'s tie order): element i of the result is the index of the i-th sorted element. The scores
 * are `s[offset + stride·k]`, k = 0, 1, … (strided records).
 */
export function cppSortDescendingOrder(s: ArrayLike<number>, stride = 1, offset = 0): Int32Array {
  const n = Math.max(0, Math.ceil((s.length - offset) / stride));
  const ks = new Float64Array(n);
  const idx = new Int32Array(n);
  // the reversed range, sorted ascending, read backwards
  for (let i = 0; i < n; i++) {
    ks[i] = s[offset + stride * (n - 1 - i)]!;
    idx[i] = n - 1 - i;
  }
  cppSortKeys(ks, idx, undefined);
  return idx.reverse();
}

/** `sort(v.rbegin(), v.rend(), [](a, b) { return a.s < b.s; })`: descending by score, libstdc++'s tie order. */
export function cppSortDescending<T extends { score: number }>(a: T[]): void {
  const order = cppSortDescendingOrder(a.map((b) => b.score));
  const copy = a.slice();
  for (let i = 0; i < a.length; i++) a[i] = copy[order[i]!]!;
}

/** Sorts keys `ks` ascending as std::sort does, moving `idx` along. */
function cppSortKeys(ks: Float64Array, idx: Int32Array, depthLimit: number | undefined): void {
  const n = ks.length;
  if (n < 2) return;
  introsortLoop(ks, idx, 0, n, depthLimit ?? 2 * (31 - Math.clz32(n))); // 2·__lg(n)
  if (n > 16) {
    insertionSort(ks, idx, 0, 16);
    for (let i = 16; i < n; i++) linearInsert(ks, idx, i);
  } else insertionSort(ks, idx, 0, n);
}

function swap(ks: Float64Array, idx: Int32Array, i: number, j: number): void {
  const t = idx[i]!;
  idx[i] = idx[j]!;
  idx[j] = t;
  const u = ks[i]!;
  ks[i] = ks[j]!;
  ks[j] = u;
}

function moveMedianToFirst(ks: Float64Array, idx: Int32Array, result: number, x: number, y: number, z: number): void {
  const ka = ks[x]!;
  const kb = ks[y]!;
  const kc = ks[z]!;
  if (ka < kb) {
    if (kb < kc) swap(ks, idx, result, y);
    else if (ka < kc) swap(ks, idx, result, z);
    else swap(ks, idx, result, x);
  } else if (ka < kc) swap(ks, idx, result, x);
  else if (kb < kc) swap(ks, idx, result, z);
  else swap(ks, idx, result, y);
}

function unguardedPartition(ks: Float64Array, idx: Int32Array, first: number, last: number, pivot: number): number {
  const kp = ks[pivot]!;
  for (;;) {
    while (ks[first]! < kp) first++;
    last--;
    while (kp < ks[last]!) last--;
    if (!(first < last)) return first;
    swap(ks, idx, first, last);
    first++;
  }
}

function pushHeap(
  ks: Float64Array,
  idx: Int32Array,
  first: number,
  hole: number,
  top: number,
  value: number,
  kVal: number,
): void {
  let parent = ((hole - 1) / 2) | 0;
  while (hole > top && ks[first + parent]! < kVal) {
    idx[first + hole] = idx[first + parent]!;
    ks[first + hole] = ks[first + parent]!;
    hole = parent;
    parent = ((hole - 1) / 2) | 0;
  }
  idx[first + hole] = value;
  ks[first + hole] = kVal;
}

function adjustHeap(
  ks: Float64Array,
  idx: Int32Array,
  first: number,
  hole: number,
  len: number,
  value: number,
  kVal: number,
): void {
  const top = hole;
  let child = hole;
  while (child < (((len - 1) / 2) | 0)) {
    child = 2 * (child + 1);
    if (ks[first + child]! < ks[first + child - 1]!) child--;
    idx[first + hole] = idx[first + child]!;
    ks[first + hole] = ks[first + child]!;
    hole = child;
  }
  if ((len & 1) === 0 && child === (((len - 2) / 2) | 0)) {
    child = 2 * (child + 1);
    idx[first + hole] = idx[first + child - 1]!;
    ks[first + hole] = ks[first + child - 1]!;
    hole = child - 1;
  }
  pushHeap(ks, idx, first, hole, top, value, kVal);
}

function heapSort(ks: Float64Array, idx: Int32Array, first: number, last: number): void {
  const len = last - first;
  if (len >= 2) {
    for (let parent = ((len - 2) / 2) | 0; ; parent--) {
      adjustHeap(ks, idx, first, parent, len, idx[first + parent]!, ks[first + parent]!);
      if (parent === 0) break;
    }
  }
  while (last - first > 1) {
    last--;
    const value = idx[last]!;
    const kVal = ks[last]!;
    idx[last] = idx[first]!;
    ks[last] = ks[first]!;
    adjustHeap(ks, idx, first, 0, last - first, value, kVal);
  }
}

function introsortLoop(ks: Float64Array, idx: Int32Array, first: number, last: number, depth: number): void {
  while (last - first > 16) {
    if (depth === 0) {
      heapSort(ks, idx, first, last);
      return;
    }
    depth--;
    const mid = first + (((last - first) / 2) | 0);
    moveMedianToFirst(ks, idx, first, first + 1, mid, last - 1);
    const cut = unguardedPartition(ks, idx, first + 1, last, first);
    introsortLoop(ks, idx, cut, last, depth);
    last = cut;
  }
}

function linearInsert(ks: Float64Array, idx: Int32Array, last: number): void {
  const val = idx[last]!;
  const kVal = ks[last]!;
  let next = last - 1;
  while (kVal < ks[next]!) {
    idx[last] = idx[next]!;
    ks[last] = ks[next]!;
    last = next;
    next--;
  }
  idx[last] = val;
  ks[last] = kVal;
}

function insertionSort(ks: Float64Array, idx: Int32Array, first: number, last: number): void {
  for (let i = first + 1; i < last; i++) {
    if (ks[i]! < ks[first]!) {
      const val = idx[i]!;
      const kVal = ks[i]!;
      idx.copyWithin(first + 1, first, i);
      ks.copyWithin(first + 1, first, i);
      idx[first] = val;
      ks[first] = kVal;
    } else linearInsert(ks, idx, i);
  }
}
