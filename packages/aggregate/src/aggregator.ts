import {
  assertScoreMap,
  type Box,
  createScoreCanvas,
  createScoreMap,
  ImageError,
  isValidBox,
  type ResampleArgs,
  resampleBatch,
  type ScoreMap,
} from '@deconvnet/image';
import { applyFallback, type Fallback } from './fallback.js';
import { pasteArgs, pasteInto } from './pasteback.js';
import { softmax } from './softmax.js';
import { windowRegion } from './window.js';

/**
 * - 'max': P(x,y,c) = max_i G_i(x,y,c) over a canvas initialised to `maxFloor` (0: paper eq. 1 with zero-padded
 *   G_i, and the original code — negative scores are clipped to 0, uncovered pixels are 0);
 * - 'sum': P = Σ_i G_i (eq. 2);
 * - 'mean': Σ_i G_i / (number of proposals covering the pixel), 0 where none does.
 */
export type AggregationMode = 'max' | 'sum' | 'mean';

/** What the maps passed to `add` hold: raw pre-softmax scores (the deploy net's `seg-score`) or probabilities. */
export type AggregationInput = 'scores' | 'probabilities';

export interface AggregatorConfig {
  width: number;
  height: number;
  channels: number;
  /** Default 'max' (what the original ran). */
  mode?: AggregationMode;
  /** Default 'scores'. Decides how {@link Aggregator.probabilities} turns the aggregate into a distribution. */
  input?: AggregationInput;
  /**
   * Initial canvas value in 'max' mode. Default 0 (eq. 1 / original). `-Infinity` gives the max over covering
   * proposals only (uncovered pixels then stay −Infinity in `result()`; `probabilities()` applies the fallback).
   */
  maxFloor?: number;
  /**
   * Reproduce the original's off-by-one crop-back (reads rows/columns from `pad` instead of `pad+1`): the pasted maps
   * land shifted by +1 px right and down. Default false (fixed).
   */
  emulateOffByOne?: boolean;
  /**
   * Canvas rows per band in {@link Aggregator.addBatch} (cache blocking: every map of the batch is merged into one
   * band of rows before the next band, so the canvas streams through the caches once per batch instead of once per
   * map). Default: as many rows as fit in {@link DEFAULT_BAND_BYTES}. Results do not depend on it (bit-identical).
   */
  bandRows?: number;
}

/**
 * Canvas bytes per addBatch band by default (48 rows of a 500×21 canvas). Measured on the 2-core EPYC VM (512 KiB L2
 * per core, 32 MiB shared L3): since each map keeps its two interpolated source rows between bands (resampleBatch),
 * band heights from 6 rows (L2-sized) to 96 rows (4 MiB) all cost the same within noise — the blend is bound by
 * reading the two interpolated rows from L2, not by the canvas — and whole-canvas bands are slower.
 */
export const DEFAULT_BAND_BYTES = 2 * 1024 * 1024;

/** N maps of one size in one NHWC buffer, e.g. a model's batched output: map i is data[i·h·w·c … (i+1)·h·w·c). */
export interface ScoreMapBatch {
  count: number;
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

export interface AggregateResult {
  /** The aggregate P (image-sized, HWC). */
  scores: ScoreMap;
  /** Number of proposals covering each pixel (row-major, width·height). */
  coverage: Uint32Array;
  /** Proposals added since creation or the last reset. */
  count: number;
}

export interface ProbabilityOptions {
  /** Distribution for pixels no proposal covers. Default 'uniform' (what the original's softmax of 0 gives). */
  fallback?: Fallback;
  /** Write here instead of a new map. */
  out?: ScoreMap;
}

export interface Aggregator {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly mode: AggregationMode;
  readonly input: AggregationInput;
  /** Proposals added since creation or the last reset. */
  readonly count: number;
  /** Resizes `map` onto `window` (image coordinates, may extend past the image) and merges it. Maps may be any size. */
  add(map: ScoreMap, window: Box): void;
  /**
   * `add` for each map, in order, with the same result bit for bit (each pixel still merges the maps in array order),
   * but cache-blocked: the canvas is walked in bands of `bandRows` rows and every map of the batch is merged into a
   * band before the next. An array of maps, or one NHWC batch buffer (no copies). Atomic: every map and window is
   * checked before anything is merged. Pass the model's whole batch (8–50 maps) for the speed-up; memory is only
   * what the caller already holds.
   */
  addBatch(maps: readonly ScoreMap[] | ScoreMapBatch, windows: readonly Box[]): void;
  /** The per-pixel coverage count (do not modify): the same array each time, brought up to date when read. */
  readonly coverage: Uint32Array;
  /** A copy of the aggregate (mean divided by coverage) and the coverage. Pass `out` to reuse a buffer. */
  result(out?: ScoreMap): AggregateResult;
  /**
   * Class probabilities per pixel: softmax of the aggregate for 'scores' input (paper: softmax of P); for
   * 'probabilities' input the aggregate renormalised to sum 1 per pixel (a no-op for 'mean'). Uncovered pixels get
   * `fallback`. Always finite.
   */
  probabilities(options?: ProbabilityOptions): ScoreMap;
  /** Back to the empty canvas, keeping the buffers. */
  reset(): void;
  /** Releases the buffers; any later call throws. */
  dispose(): void;
}

const MODES: readonly AggregationMode[] = ['max', 'sum', 'mean'];

/**
 * A streaming aggregator: maps are pasted into one image-sized float32 canvas as they arrive, so 50 or 2000 proposals
 * never need to be in memory together (memory: width·height·(4·channels + 4) bytes).
 */
export function createAggregator(config: AggregatorConfig): Aggregator {
  const fn = 'createAggregator';
  if (!config || typeof config !== 'object') throw new ImageError(fn, 'config must be an object');
  const { width, height, channels, mode = 'max', input = 'scores', maxFloor = 0, emulateOffByOne = false } = config;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageError(fn, `config.width/height must be positive integers, got ${width}×${height}`);
  }
  if (!Number.isInteger(channels) || channels <= 0)
    throw new ImageError(fn, `config.channels must be a positive integer, got ${channels}`);
  if (!MODES.includes(mode))
    throw new ImageError(fn, `config.mode must be 'max', 'sum' or 'mean', got ${String(mode)}`);
  if (input !== 'scores' && input !== 'probabilities')
    throw new ImageError(fn, `config.input must be 'scores' or 'probabilities', got ${String(input)}`);
  if (Number.isNaN(maxFloor) || maxFloor === Number.POSITIVE_INFINITY)
    throw new ImageError(fn, `config.maxFloor must be a number below +Infinity, got ${maxFloor}`);
  const C = channels;
  // In WebAssembly memory where available: pastes merge into it in place with the SIMD kernel.
  let canvas: ScoreMap | null = createScoreCanvas(width, height, C);
  let cover: Uint32Array | null = new Uint32Array(width * height);
  const init = mode === 'max' ? maxFloor : 0;
  if (init !== 0) canvas.data.fill(init);
  let count = 0;
  const combine = mode === 'max' ? 'max' : 'sum';

  // Coverage is accumulated as per-row differences (+1 at a region's first column, −1 past its last: O(rows) per
  // paste instead of O(pixels)) and folded into `cover` whenever it is read.
  const diff = new Int32Array((width + 1) * height);
  let dirty = false;
  const flush = (co: Uint32Array): void => {
    if (!dirty) return;
    for (let y = 0; y < height; y++) {
      let run = 0;
      const d = y * (width + 1);
      const o = y * width;
      for (let x = 0; x < width; x++) {
        run += diff[d + x]!;
        if (run !== 0) co[o + x] = co[o + x]! + run;
      }
    }
    diff.fill(0);
    dirty = false;
  };

  const live = (what: string): { canvas: ScoreMap; cover: Uint32Array } => {
    if (!canvas || !cover) throw new ImageError(`aggregator.${what}`, 'the aggregator has been disposed');
    if (what !== 'add' && what !== 'addBatch') flush(cover);
    return { canvas, cover };
  };

  const bandRows =
    config.bandRows ?? Math.max(1, Math.floor(DEFAULT_BAND_BYTES / (width * C * Float32Array.BYTES_PER_ELEMENT)));
  if (!Number.isInteger(bandRows) || bandRows <= 0)
    throw new ImageError(fn, `config.bandRows must be a positive integer, got ${bandRows}`);

  /** Validates one map and window; returns the window the map is pasted onto (shifted by the off-by-one quirk). */
  const checked = (map: ScoreMap, window: Box, name: string): Box => {
    assertScoreMap(map, `aggregator.add ${name}`);
    if (map.channels !== C)
      throw new ImageError(`aggregator.add ${name}`, `has ${map.channels} channels, the aggregator ${C}`);
    if (!window || typeof window !== 'object' || !isValidBox(window))
      throw new ImageError(
        `aggregator.add window`,
        `must be a Box with finite coordinates and positive size, got ${JSON.stringify(window)}`,
      );
    return emulateOffByOne ? { x: window.x + 1, y: window.y + 1, width: window.width, height: window.height } : window;
  };

  const countCoverage = (w: Box): void => {
    const region = windowRegion(w, width, height);
    if (!region) return;
    for (let y = region.y0; y < region.y1; y++) {
      diff[y * (width + 1) + region.x0]!++;
      diff[y * (width + 1) + region.x1]!--;
    }
    dirty = true;
  };

  const add = (map: ScoreMap, window: Box, name = 'map'): void => {
    const { canvas: cv } = live('add');
    const w = checked(map, window, name);
    pasteInto(cv, map, w, { combine });
    countCoverage(w);
    count++;
  };

  /** Cache-blocked merge of several maps: band by band, every map in order within a band. */
  const addMany = (maps: readonly ScoreMap[], windows: readonly Box[]): void => {
    const { canvas: cv } = live('addBatch');
    const ws = maps.map((m, i) => checked(m, windows[i]!, `maps[${i}]`));
    // One resampleBatch: band by band of canvas rows, every map in order within a band; each map's two interpolated
    // source rows are kept between bands, so small (L2-sized) bands cost no re-interpolation.
    const calls: ResampleArgs<Float32Array>[] = [];
    for (let i = 0; i < maps.length; i++) {
      const region = windowRegion(ws[i]!, width, height);
      if (region) calls.push(pasteArgs(cv, maps[i]!, ws[i]!, region, combine));
    }
    resampleBatch(calls, { bandRows });
    for (const w of ws) countCoverage(w);
    count += maps.length;
  };

  const checkOut = (out: ScoreMap | undefined): void => {
    if (
      out &&
      (out.width !== width || out.height !== height || out.channels !== C || !(out.data instanceof Float32Array))
    ) {
      throw new ImageError(
        'aggregator.result out',
        `is ${out.width}×${out.height}×${out.channels}, expected ${width}×${height}×${C}`,
      );
    }
  };

  const self: Aggregator = {
    width,
    height,
    channels: C,
    mode,
    input,
    get count() {
      return count;
    },
    get coverage() {
      return live('coverage').cover;
    },
    add: (map, window) => add(map, window),
    addBatch(maps, windows) {
      live('addBatch');
      const n = Array.isArray(maps) ? maps.length : (maps as ScoreMapBatch).count;
      if (!Array.isArray(windows) || windows.length !== n) {
        throw new ImageError(
          'aggregator.addBatch windows',
          `expected ${n} windows (one per map), got ${Array.isArray(windows) ? windows.length : typeof windows}`,
        );
      }
      if (Array.isArray(maps)) {
        addMany(maps, windows);
        return;
      }
      const b = maps as ScoreMapBatch;
      const size = b.width * b.height * b.channels;
      if (
        !(b.data instanceof Float32Array) ||
        !Number.isInteger(b.count) ||
        b.count < 0 ||
        b.data.length !== b.count * size
      ) {
        throw new ImageError(
          'aggregator.addBatch maps',
          `batch data has ${b.data?.length} values, expected ${b.count}×${b.height}×${b.width}×${b.channels}`,
        );
      }
      const views: ScoreMap[] = [];
      for (let i = 0; i < n; i++) {
        views.push({
          width: b.width,
          height: b.height,
          channels: b.channels,
          data: b.data.subarray(i * size, (i + 1) * size),
        });
      }
      addMany(views, windows);
    },
    result(out) {
      const { canvas: cv, cover: co } = live('result');
      checkOut(out);
      const scores = out ?? createScoreMap(width, height, C);
      scores.data.set(cv.data);
      if (mode === 'mean') {
        const d = scores.data;
        for (let p = 0; p < width * height; p++) {
          const k = co[p]!;
          if (k > 1) {
            const inv = 1 / k;
            for (let c = p * C; c < p * C + C; c++) d[c] = d[c]! * inv;
          }
        }
      }
      return { scores, coverage: co.slice(), count };
    },
    probabilities(options = {}) {
      const { cover: co } = live('probabilities');
      const { fallback = 'uniform', out } = options;
      let probs: ScoreMap;
      if (input === 'scores' && mode !== 'mean') {
        // Straight from the canvas: no intermediate copy of the aggregate.
        checkOut(out);
        probs = softmax(canvas!, { out: out ?? createScoreMap(width, height, C) });
      } else {
        const agg = self.result(out).scores;
        probs = input === 'scores' ? softmax(agg, { out: agg }) : normalize(agg);
      }
      return applyFallback(probs, co, fallback);
    },
    reset() {
      const { canvas: cv, cover: co } = live('reset');
      cv.data.fill(init);
      co.fill(0);
      count = 0;
    },
    dispose() {
      canvas = null;
      cover = null;
    },
  };
  return self;
}

/** Renormalises non-negative per-pixel vectors to sum 1; all-zero or invalid pixels become uniform. In place. */
function normalize(map: ScoreMap): ScoreMap {
  const { channels: C, data: d } = map;
  const n = map.width * map.height;
  for (let p = 0; p < n; p++) {
    const o = p * C;
    let s = 0;
    for (let c = 0; c < C; c++) {
      const v = d[o + c]!;
      if (v > 0) s += v;
    }
    if (s > 0 && Number.isFinite(s)) {
      const inv = 1 / s;
      for (let c = 0; c < C; c++) {
        const v = d[o + c]!;
        d[o + c] = v > 0 ? v * inv : 0;
      }
    } else {
      for (let c = 0; c < C; c++) d[o + c] = 1 / C;
    }
  }
  return map;
}
