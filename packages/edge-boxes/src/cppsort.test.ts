import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cppSort, cppSortDescending, cppSortDescendingOrder } from './cppsort.js';
import { rng } from './test-helpers.js';

/** Random keys with many ties (few distinct values), so the tie order is exercised. */
function keys(n: number, distinct: number, seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => Math.floor(r() * distinct) / 8);
}

const SIZES: [number, number][] = [
  [0, 1],
  [1, 1],
  [15, 3],
  [17, 4],
  [100, 5],
  [1000, 30],
  [5000, 2],
  [20000, 700],
];

describe('cppSort', () => {
  it('sorts ascending by key for any size, including many ties and a worst-case-ish pattern', () => {
    const inputs = [
      ...SIZES.map(([n, d], i) => keys(n, d, i + 1)),
      Array.from({ length: 3000 }, (_, i) => (i % 2 ? i : 3000 - i)),
    ];
    for (const input of inputs) {
      const a = input.map((k, i) => ({ k, i }));
      cppSort(a, (v) => v.k);
      expect(a.map((v) => v.k)).toEqual([...input].sort((x, y) => x - y));
      expect(new Set(a.map((v) => v.i)).size).toBe(input.length); // a permutation
    }
    const d = [{ score: 1 }, { score: 3 }, { score: 2 }];
    cppSortDescending(d);
    expect(d.map((b) => b.score)).toEqual([3, 2, 1]);
  });

  const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!gxx)(
    'leaves ties in the same order as libstdc++ std::sort (and its heapsort fallback) on reverse iterators (needs g++)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'eb-sort-'));
      try {
        writeFileSync(
          join(dir, 's.cpp'),
          `#include <algorithm>
#include <cstdio>
#include <vector>
struct B { float s; int id; };
static bool cmp(const B &a, const B &b) { return a.s < b.s; }
int main() { int n; std::vector<B> v;
  while (scanf("%d", &n) == 1) { v.resize(n); for (int i = 0; i < n; i++) { scanf("%f", &v[i].s); v[i].id = i; }
    std::vector<B> h = v; std::partial_sort(h.rbegin(), h.rend(), h.rend(), cmp);
    std::sort(v.rbegin(), v.rend(), cmp); for (int i = 0; i < n; i++) printf("%d ", v[i].id); printf("\\n");
    for (int i = 0; i < n; i++) printf("%d ", h[i].id); printf("\\n"); } }`,
        );
        const cc = spawnSync('g++', ['-O1', '-o', join(dir, 's'), join(dir, 's.cpp')], { encoding: 'utf8' });
        expect(cc.status, cc.stderr).toBe(0);
        const inputs = SIZES.map(([n, d], i) => keys(n, d, 100 + i));
        const stdin = inputs.map((ks) => `${ks.length} ${ks.join(' ')}`).join('\n');
        const run = spawnSync(join(dir, 's'), { input: stdin, encoding: 'utf8', maxBuffer: 1 << 26 });
        const lines = run.stdout.split('\n');
        inputs.forEach((ks, t) => {
          const a = ks.map((score, id) => ({ score, id }));
          cppSortDescending(a);
          expect(a.map((b) => b.id).join(' ')).toBe(lines[2 * t]!.trim());
          // the index form over strided records (5 words, score last), as edgeBoxes sorts its windows
          const rec = new Float32Array(5 * ks.length);
          ks.forEach((k, i) => {
            rec[5 * i + 4] = k;
          });
          expect(Array.from(cppSortDescendingOrder(rec, 5, 4)).join(' ')).toBe(lines[2 * t]!.trim());
          // the heapsort fallback (introsort at depth 0; ranges > 16 only) is std::partial_sort over the whole range
          if (ks.length <= 16) return;
          const hp = ks.map((score, id) => ({ score, id })).reverse();
          cppSort(hp, (b) => b.score, 0);
          expect(
            hp
              .reverse()
              .map((b) => b.id)
              .join(' '),
          ).toBe(lines[2 * t + 1]!.trim());
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
