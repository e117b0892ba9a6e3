import {
  assertScoreMap,
  type Box,
  createScoreCanvas,
  createScoreMap,
  ImageError,
  type ScoreMap,
} from '@deconvnet/image';
import { applyFallback, type Fallback } from './fallback.js';
import { pasteInto } from './pasteback.js';
import { softmax } from './softmax.js';

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
}

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
  /** `add` for each map: an array of maps, or one NHWC batch buffer (no copies). */
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
    if (what !== 'add') flush(cover);
    return { canvas, cover };
  };

  const add = (map: ScoreMap, window: Box, name = 'map'): void => {
    const { canvas: cv } = live('add');
    assertScoreMap(map, `aggregator.add ${name}`);
    if (map.channels !== C)
      throw new ImageError(`aggregator.add ${name}`, `has ${map.channels} channels, the aggregator ${C}`);
    if (!window || typeof window !== 'object') throw new ImageError(`aggregator.add window`, 'must be a Box');
    const w = emulateOffByOne
      ? { x: window.x + 1, y: window.y + 1, width: window.width, height: window.height }
      : window;
    const region = pasteInto(cv, map, w, { combine });
    if (region) {
      for (let y = region.y0; y < region.y1; y++) {
        diff[y * (width + 1) + region.x0]!++;
        diff[y * (width + 1) + region.x1]!--;
      }
      dirty = true;
    }
    count++;
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
        for (let i = 0; i < n; i++) add(maps[i]!, windows[i]!, `maps[${i}]`);
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
      for (let i = 0; i < n; i++) {
        const view: ScoreMap = {
          width: b.width,
          height: b.height,
          channels: b.channels,
          data: b.data.subarray(i * size, (i + 1) * size),
        };
        add(view, windows[i]!, `batch[${i}]`);
      }
    },
    result(out) {
      const { canvas: cv, cover: co } = live('result');
      if (
        out &&
        (out.width !== width || out.height !== height || out.channels !== C || !(out.data instanceof Float32Array))
      ) {
        throw new ImageError(
          'aggregator.result out',
          `is ${out.width}×${out.height}×${out.channels}, expected ${width}×${height}×${C}`,
        );
      }
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
      const agg = self.result(out).scores;
      const probs = input === 'scores' ? softmax(agg, { out: agg }) : normalize(agg);
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
