import { createScoreMap, resizeScoreMap, type ScoreMap } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { type AggregationMode, createAggregator } from './aggregator.js';
import { rng } from './test-rng.js';

const constant = (...v: number[]): ScoreMap => ({ width: 1, height: 1, channels: v.length, data: new Float32Array(v) });
const at = (m: ScoreMap, x: number, y: number) => [
  ...m.data.subarray((y * m.width + x) * m.channels, (y * m.width + x + 1) * m.channels),
];

// Hand-worked 3×3 case, 2 classes: A = [1, −2] on pixels x,y ∈ {0,1}; B = [3, −1] on x,y ∈ {1,2}; (1,1) is under both,
// (2,0) and (0,2) under neither.
const A = { map: constant(1, -2), win: { x: 0, y: 0, width: 2, height: 2 } };
const B = { map: constant(3, -1), win: { x: 1, y: 1, width: 2, height: 2 } };
function run(mode: AggregationMode, extra: { maxFloor?: number } = {}) {
  const agg = createAggregator({ width: 3, height: 3, channels: 2, mode, ...extra });
  agg.add(A.map, A.win);
  agg.add(B.map, B.win);
  return agg;
}

describe('createAggregator: hand-worked modes', () => {
  it('max on a zero canvas (eq. 1 / original): negatives clip to 0, uncovered is 0', () => {
    const r = run('max').result();
    expect(at(r.scores, 0, 0)).toEqual([1, 0]);
    expect(at(r.scores, 1, 1)).toEqual([3, 0]);
    expect(at(r.scores, 2, 2)).toEqual([3, 0]);
    expect(at(r.scores, 2, 0)).toEqual([0, 0]);
    expect([...r.coverage]).toEqual([1, 1, 0, 1, 2, 1, 0, 1, 1]);
    expect(r.count).toBe(2);
  });

  it('max over covering proposals only (maxFloor −Infinity)', () => {
    const r = run('max', { maxFloor: Number.NEGATIVE_INFINITY }).result();
    expect(at(r.scores, 0, 0)).toEqual([1, -2]);
    expect(at(r.scores, 1, 1)).toEqual([3, -1]);
    expect(at(r.scores, 2, 0)).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const p = run('max', { maxFloor: Number.NEGATIVE_INFINITY }).probabilities({ fallback: 'background' });
    expect(at(p, 2, 0)).toEqual([1, 0]);
    expect(p.data.some(Number.isNaN)).toBe(false);
  });

  it('sum (eq. 2) and mean over covering proposals', () => {
    const s = run('sum').result().scores;
    expect(at(s, 0, 0)).toEqual([1, -2]);
    expect(at(s, 1, 1)).toEqual([4, -3]);
    expect(at(s, 2, 2)).toEqual([3, -1]);
    expect(at(s, 0, 2)).toEqual([0, 0]);
    const m = run('mean').result().scores;
    expect(at(m, 1, 1)).toEqual([2, -1.5]);
    expect(at(m, 0, 0)).toEqual([1, -2]);
    expect(at(m, 2, 1)).toEqual([3, -1]);
    expect(at(m, 2, 0)).toEqual([0, 0]);
  });

  it('max, sum and mean differ exactly where proposals overlap or scores are negative', () => {
    const mx = run('max').result().scores;
    const sm = run('sum').result().scores;
    const mn = run('mean').result().scores;
    // Overlap pixel: 3 (max) < 4 (sum), mean 2 in between the two proposals.
    expect([mx.data[8], sm.data[8], mn.data[8]]).toEqual([3, 4, 2]);
    // Single-coverage pixel, positive class: all equal; negative class: max clips to 0.
    expect([mx.data[0], sm.data[0], mn.data[0]]).toEqual([1, 1, 1]);
    expect([mx.data[1], sm.data[1], mn.data[1]]).toEqual([0, -2, -2]);
  });

  it('probabilities: softmax of the aggregate; uniform or the fallback where nothing covers', () => {
    const p = run('mean').probabilities();
    expect(at(p, 1, 1)[0]).toBeCloseTo(1 / (1 + Math.exp(-3.5)), 6);
    expect(at(p, 0, 0)[0]).toBeCloseTo(1 / (1 + Math.exp(-3)), 6);
    expect(at(p, 2, 0)).toEqual([0.5, 0.5]);
    const q = run('max').probabilities({ fallback: { vector: [1, 3] } });
    expect(at(q, 2, 0)).toEqual([0.25, 0.75]);
    expect(at(q, 0, 0)[0]).toBeCloseTo(Math.E / (Math.E + 1), 6);
  });

  it("input 'probabilities': max/sum renormalised per pixel, mean left as is", () => {
    const mk = (mode: AggregationMode) => {
      const agg = createAggregator({ width: 3, height: 3, channels: 2, mode, input: 'probabilities' });
      agg.add(constant(0.8, 0.2), A.win);
      agg.add(constant(0.4, 0.6), B.win);
      return agg.probabilities();
    };
    const mx = mk('max');
    expect(at(mx, 1, 1)[0]).toBeCloseTo(0.8 / 1.4, 6);
    expect(at(mx, 1, 1)[1]).toBeCloseTo(0.6 / 1.4, 6);
    expect(at(mx, 0, 0)[0]).toBeCloseTo(0.8, 6);
    for (const mode of ['sum', 'mean'] as const) {
      const p = mk(mode);
      expect(at(p, 1, 1)[0]).toBeCloseTo(0.6, 6);
      expect(at(p, 2, 2)[1]).toBeCloseTo(0.6, 6);
      expect(at(p, 2, 0)).toEqual([0.5, 0.5]);
    }
  });
});

describe('createAggregator: streaming against brute force', () => {
  const W = 40;
  const H = 30;
  const C = 5;
  const r = rng(7);
  const items = Array.from({ length: 12 }, () => {
    const mw = 4 + Math.floor(r() * 12);
    const mh = 4 + Math.floor(r() * 12);
    const map = createScoreMap(mw, mh, C);
    for (let i = 0; i < map.data.length; i++) map.data[i] = (r() - 0.5) * 10;
    const side = 8 + Math.floor(r() * 40);
    // Integral windows, many partly outside the image.
    const win = {
      x: Math.floor(r() * (W + 20)) - 15,
      y: Math.floor(r() * (H + 20)) - 15,
      width: side,
      height: Math.floor(side * (0.6 + r() * 0.8)),
    };
    return { map, win };
  });
  // Independent G_i: @deconvnet/image's resize to the window size, then a clipped copy into a zero image.
  const G = items.map(({ map, win }) => {
    const rs = resizeScoreMap(map, win.width, win.height);
    const g = new Float64Array(W * H * C);
    const covered = new Uint8Array(W * H);
    for (let y = 0; y < win.height; y++) {
      for (let x = 0; x < win.width; x++) {
        const ix = win.x + x;
        const iy = win.y + y;
        if (ix < 0 || iy < 0 || ix >= W || iy >= H) continue;
        covered[iy * W + ix] = 1;
        for (let c = 0; c < C; c++) g[(iy * W + ix) * C + c] = rs.data[(y * win.width + x) * C + c]!;
      }
    }
    return { g, covered };
  });

  for (const mode of ['max', 'sum', 'mean'] as const) {
    it(`${mode}: add one at a time equals the brute-force combination of zero-padded G_i`, () => {
      const agg = createAggregator({ width: W, height: H, channels: C, mode });
      for (const { map, win } of items) agg.add(map, win);
      const res = agg.result();
      let worst = 0;
      for (let p = 0; p < W * H; p++) {
        const k = G.reduce((s, { covered }) => s + covered[p]!, 0);
        expect(res.coverage[p]).toBe(k);
        for (let c = 0; c < C; c++) {
          const i = p * C + c;
          const vals = G.map(({ g }) => g[i]!);
          const want =
            mode === 'max'
              ? Math.max(0, ...vals)
              : mode === 'sum'
                ? vals.reduce((s, v) => s + v, 0)
                : k
                  ? vals.reduce((s, v) => s + v, 0) / k
                  : 0;
          worst = Math.max(worst, Math.abs(res.scores.data[i]! - want));
        }
      }
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('addBatch (array or one NHWC buffer) equals add; reset starts over', () => {
    const one = createAggregator({ width: W, height: H, channels: C, mode: 'sum' });
    for (const { map, win } of items) one.add(map, win);
    const same = items.filter(({ map }) => map.width === items[0]!.map.width && map.height === items[0]!.map.height);
    const arr = createAggregator({ width: W, height: H, channels: C, mode: 'sum' });
    arr.addBatch(
      items.map((i) => i.map),
      items.map((i) => i.win),
    );
    expect([...arr.result().scores.data]).toEqual([...one.result().scores.data]);
    // A batch buffer holding the maps that share the first map's size.
    const m0 = items[0]!.map;
    const size = m0.data.length;
    const data = new Float32Array(size * same.length);
    for (const [i, s] of same.entries()) data.set(s.map.data, i * size);
    const batch = createAggregator({ width: W, height: H, channels: C, mode: 'max' });
    batch.addBatch(
      { count: same.length, width: m0.width, height: m0.height, channels: C, data },
      same.map((s) => s.win),
    );
    const ref = createAggregator({ width: W, height: H, channels: C, mode: 'max' });
    for (const s of same) ref.add(s.map, s.win);
    expect([...batch.result().scores.data]).toEqual([...ref.result().scores.data]);
    expect(batch.count).toBe(same.length);
    batch.reset();
    expect(batch.count).toBe(0);
    expect(batch.result().scores.data.every((v) => v === 0)).toBe(true);
    expect(batch.coverage.every((v) => v === 0)).toBe(true);
    expect(() => arr.addBatch([m0], [])).toThrow(/windows/);
  });

  // Cache-blocked addBatch: bit-identical to add one at a time, whatever the band height (1 row, a few rows, all).
  for (const mode of ['max', 'sum', 'mean'] as const) {
    it(`${mode}: cache-blocked addBatch equals add one at a time bit for bit, and the brute force`, () => {
      const one = createAggregator({ width: W, height: H, channels: C, mode });
      for (const { map, win } of items) one.add(map, win);
      const want = one.result();
      for (const bandRows of [1, 3, 7, undefined]) {
        const b = createAggregator({ width: W, height: H, channels: C, mode, ...(bandRows ? { bandRows } : {}) });
        // Split in uneven batches, including a single map and an empty batch.
        b.addBatch(
          items.slice(0, 5).map((i) => i.map),
          items.slice(0, 5).map((i) => i.win),
        );
        b.addBatch([items[5]!.map], [items[5]!.win]);
        b.addBatch([], []);
        b.addBatch(
          items.slice(6).map((i) => i.map),
          items.slice(6).map((i) => i.win),
        );
        const got = b.result();
        expect(got.count).toBe(items.length);
        expect([...got.coverage]).toEqual([...want.coverage]);
        expect(Buffer.from(got.scores.data.buffer).equals(Buffer.from(want.scores.data.buffer))).toBe(true);
      }
      // And against the independent G_i (as the add test above).
      const b = createAggregator({ width: W, height: H, channels: C, mode, bandRows: 2 });
      b.addBatch(
        items.map((i) => i.map),
        items.map((i) => i.win),
      );
      const res = b.result();
      let worst = 0;
      for (let p = 0; p < W * H; p++) {
        const k = G.reduce((s, { covered }) => s + covered[p]!, 0);
        for (let c = 0; c < C; c++) {
          const vals = G.map(({ g }) => g[p * C + c]!);
          const sum = vals.reduce((s, v) => s + v, 0);
          const w = mode === 'max' ? Math.max(0, ...vals) : mode === 'sum' ? sum : k ? sum / k : 0;
          worst = Math.max(worst, Math.abs(res.scores.data[p * C + c]! - w));
        }
      }
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it('cache-blocked addBatch: fractional windows, off-by-one quirk, non-finite scores, NHWC buffer', () => {
    const r2 = rng(11);
    const n = 9;
    const mw = 7;
    const mh = 5;
    const data = new Float32Array(n * mw * mh * C);
    for (let i = 0; i < data.length; i++) data[i] = (r2() - 0.5) * 1e3;
    data[3] = Number.POSITIVE_INFINITY;
    data[40] = Number.NaN;
    data[100] = Number.NEGATIVE_INFINITY;
    data[mw * mh * C + 7] = 3e38; // sums overflow float32 where two of these overlap
    const wins = Array.from({ length: n }, () => ({
      x: r2() * (W + 10) - 8,
      y: r2() * (H + 10) - 8,
      width: 3 + r2() * 30,
      height: 3 + r2() * 25,
    }));
    const maps = Array.from({ length: n }, (_, i) => ({
      width: mw,
      height: mh,
      channels: C,
      data: data.subarray(i * mw * mh * C, (i + 1) * mw * mh * C),
    }));
    for (const mode of ['max', 'sum'] as const) {
      for (const emulateOffByOne of [false, true]) {
        const one = createAggregator({ width: W, height: H, channels: C, mode, emulateOffByOne });
        for (let i = 0; i < n; i++) one.add(maps[i]!, wins[i]!);
        const b = createAggregator({ width: W, height: H, channels: C, mode, emulateOffByOne, bandRows: 4 });
        b.addBatch({ count: n, width: mw, height: mh, channels: C, data }, wins);
        const x = one.result();
        const y = b.result();
        expect(Buffer.from(y.scores.data.buffer).equals(Buffer.from(x.scores.data.buffer))).toBe(true);
        expect([...y.coverage]).toEqual([...x.coverage]);
        expect(y.scores.data.some(Number.isNaN)).toBe(false);
      }
    }
  });

  it('addBatch is atomic: a bad map or window anywhere in the batch merges nothing', () => {
    const b = createAggregator({ width: W, height: H, channels: C, bandRows: 2 });
    b.add(items[0]!.map, items[0]!.win);
    const before = b.result();
    const bad = createScoreMap(4, 4, C + 1);
    expect(() =>
      b.addBatch([items[1]!.map, items[2]!.map, bad], [items[1]!.win, items[2]!.win, items[3]!.win]),
    ).toThrow(/maps\[2\].*channels/);
    expect(() =>
      b.addBatch([items[1]!.map, items[2]!.map], [items[1]!.win, { x: 0, y: 0, width: Number.NaN, height: 3 }]),
    ).toThrow(/window/);
    const after = b.result();
    expect(after.count).toBe(1);
    expect([...after.scores.data]).toEqual([...before.scores.data]);
    expect([...after.coverage]).toEqual([...before.coverage]);
    expect(() => createAggregator({ width: W, height: H, channels: C, bandRows: 0 })).toThrow(/bandRows/);
  });

  it('emulateOffByOne shifts the pasted maps by +1 px right and down', () => {
    const fixed = createAggregator({ width: W, height: H, channels: C });
    const quirk = createAggregator({ width: W, height: H, channels: C, emulateOffByOne: true });
    for (const { map, win } of items) {
      fixed.add(map, win);
      quirk.add(map, win);
    }
    const a = fixed.result().scores.data;
    const b = quirk.result().scores.data;
    let diff = 0;
    for (let y = 1; y < H; y++)
      for (let x = 1; x < W; x++)
        for (let c = 0; c < C; c++)
          diff = Math.max(diff, Math.abs(b[(y * W + x) * C + c]! - a[((y - 1) * W + x - 1) * C + c]!));
    expect(diff).toBe(0);
    expect([...a]).not.toEqual([...b]);
  });
});

describe('createAggregator: edge cases', () => {
  it('zero proposals: zero aggregate, zero coverage, uniform or fallback probabilities', () => {
    for (const mode of ['max', 'sum', 'mean'] as const) {
      const agg = createAggregator({ width: 4, height: 2, channels: 3, mode });
      const r = agg.result();
      expect(r.count).toBe(0);
      expect(r.scores.data.every((v) => v === 0)).toBe(true);
      expect(r.coverage.every((v) => v === 0)).toBe(true);
      const p = agg.probabilities();
      for (const v of p.data) expect(v).toBeCloseTo(1 / 3, 7);
      const bg = agg.probabilities({ fallback: 'background' });
      for (let i = 0; i < bg.data.length; i++) expect(bg.data[i]).toBe(i % 3 === 0 ? 1 : 0);
    }
  });

  it('no NaN anywhere with extreme scores (±1e30, ±Infinity, NaN, float32 overflow in sums)', () => {
    const map = createScoreMap(3, 3, 3);
    const vals = [1e30, -1e30, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN, 3e38, -3e38, 0, 1];
    for (let i = 0; i < map.data.length; i++) map.data[i] = vals[i % vals.length]!;
    for (const mode of ['max', 'sum', 'mean'] as const) {
      for (const input of ['scores', 'probabilities'] as const) {
        const agg = createAggregator({ width: 8, height: 8, channels: 3, mode, input });
        for (let k = 0; k < 5; k++) agg.add(map, { x: k - 2, y: 1 - k, width: 7, height: 6 });
        const r = agg.result().scores.data;
        expect(r.some(Number.isNaN)).toBe(false);
        const p = agg.probabilities().data;
        expect(p.some((v) => !Number.isFinite(v))).toBe(false);
        for (let i = 0; i < p.length; i += 3) expect(p[i]! + p[i + 1]! + p[i + 2]!).toBeCloseTo(1, 5);
      }
    }
    // A dominant 1e30 class wins outright; sums of 3e38 overflow float32 to +Infinity and still give a distribution.
    const one = createAggregator({ width: 2, height: 1, channels: 2, mode: 'sum' });
    for (let k = 0; k < 3; k++) one.add(constant(3e38, -3e38), { x: 0, y: 0, width: 2, height: 1 });
    expect(one.result().scores.data[0]).toBe(Number.POSITIVE_INFINITY);
    expect(one.result().scores.data[1]).toBe(Number.NEGATIVE_INFINITY);
    expect([...one.probabilities().data]).toEqual([1, 0, 1, 0]);
  });

  it('bad input fails with a clear message; dispose ends the lifetime', () => {
    expect(() => createAggregator({ width: 0, height: 3, channels: 2 })).toThrow(/width\/height/);
    expect(() => createAggregator({ width: 3, height: 3, channels: 2, mode: 'median' as never })).toThrow(/mode/);
    expect(() => createAggregator({ width: 3, height: 3, channels: 2, input: 'logits' as never })).toThrow(/input/);
    const agg = createAggregator({ width: 3, height: 3, channels: 2 });
    expect(() => agg.add(constant(1, 2, 3), A.win)).toThrow(/3 channels/);
    expect(() => agg.add({ width: 2, height: 2, channels: 2, data: new Float32Array(3) }, A.win)).toThrow(
      /data has 3 values/,
    );
    expect(() => agg.add(constant(1, 2), { x: 0, y: 0, width: -1, height: 1 })).toThrow(/window/);
    agg.dispose();
    expect(() => agg.add(A.map, A.win)).toThrow(/disposed/);
    expect(() => agg.result()).toThrow(/disposed/);
  });
});
