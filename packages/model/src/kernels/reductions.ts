import { type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { CpuBackendLike } from './backendTypes.js';

/**
 * Sum over `axes` when they are contiguous after dropping size-1 dims: x viewed as [outer, reduce, inner];
 * float64 accumulation as the stock kernel.
 */
export function reduceContiguous(
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
): Float64Array | undefined {
  const kept = shape.map((_, d) => d).filter((d) => (shape[d] as number) !== 1);
  const red = new Set(axes);
  const flags = kept.map((d) => red.has(d));
  const first = flags.indexOf(true);
  const last = flags.lastIndexOf(true);
  let outer = 1;
  let reduce = 1;
  let inner = 1;
  if (first >= 0) {
    for (let i = first; i <= last; i++) if (!flags[i]) return undefined;
  }
  kept.forEach((d, i) => {
    const n = shape[d] as number;
    if (first < 0 || i < first) outer *= n;
    else if (i > last) inner *= n;
    else reduce *= n;
  });
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * reduce * inner;
    if (inner === 1) {
      let s = 0;
      for (let r = 0; r < reduce; r++) s += x[base + r] as number;
      out[o] = s;
    } else {
      const ob = o * inner;
      for (let r = 0; r < reduce; r++) {
        const row = base + r * inner;
        for (let i = 0; i < inner; i++) out[ob + i] = (out[ob + i] as number) + (x[row + i] as number);
      }
    }
  }
  return out;
}

/**
 * cpu Sum/Mean over contiguous axes (float32): the stock kernel transposes, then reduces through generic loops.
 * (On wasm the stock kernels measured faster than this JS, A/B, so they are left alone.)
 */
function reduceKernel(name: 'Sum' | 'Mean', fallback: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    const backend = args.backend as CpuBackendLike;
    const attrs = args.attrs as NamedAttrMap;
    const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const sums =
      x.dtype === 'float32' && axes.length > 0
        ? reduceContiguous(backend.readSync(x.dataId) as Float32Array, x.shape, axes)
        : undefined;
    if (!sums) {
      if (fallback) return fallback(args) as TensorInfo;
      throw new Error(`${name} (fast cpu): unsupported input and no stock kernel`);
    }
    const red = new Set(axes);
    const count = axes.reduce((p, d) => p * (x.shape[d] as number), 1);
    const shape = attrs.keepDims ? x.shape.map((n, d) => (red.has(d) ? 1 : n)) : x.shape.filter((_, d) => !red.has(d));
    const out = new Float32Array(sums.length);
    for (let i = 0; i < sums.length; i++) out[i] = name === 'Mean' ? (sums[i] as number) / count : (sums[i] as number);
    return backend.makeTensorInfo(shape, 'float32', out);
  };
  return { kernelName: name, backendName: 'cpu', kernelFunc: kernelFunc as KernelFunc };
}

export function makeReduceKernels(stock: (name: string) => KernelFunc | undefined): KernelConfig[] {
  return [reduceKernel('Sum', stock('Sum')), reduceKernel('Mean', stock('Mean'))];
}
