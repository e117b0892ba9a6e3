import {
  type DataType,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import type { CpuBackendLike, WasmBackendLike } from './backendTypes.js';

/**
 * Data-movement kernels (Slice, StridedSlice, Concat, Tile) that profile hot in training: the stock wasm ones work
 * element by element with generic index arithmetic (Tile ~100 ns/element) or copy each innermost run through a
 * fresh subarray (Slice of rank 5, Concat), and cpu's go through TensorBuffer.get. Here every kernel is reduced to
 * copies of contiguous runs: short runs by plain loops, long ones by copyWithin/set (native memmove).
 */

type Arr = Float32Array | Int32Array | Uint8Array;

/** Copies n elements; long runs natively (`copyWithin` when both live in one array, e.g. the wasm heap). */
export function copyRun(src: Arr, s: number, dst: Arr, d: number, n: number): void {
  if (n >= 64) {
    if (src === dst) dst.copyWithin(d, s, s + n);
    else dst.set(src.subarray(s, s + n), d);
    return;
  }
  for (let i = 0; i < n; i++) dst[d + i] = src[s + i] as number;
}

/**
 * out[i₀…iₙ₋₁] = x[begin₀ + i₀·stride₀, …] for i within outShape (row-major, x of shape xShape). Trailing dimensions
 * copied whole and with stride 1 are merged into one contiguous run.
 */
export function stridedCopy(
  src: Arr,
  srcBase: number,
  xShape: readonly number[],
  begin: readonly number[],
  strides: readonly number[],
  outShape: readonly number[],
  dst: Arr,
  dstBase: number,
): void {
  const rank = xShape.length;
  const total = outShape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const xStrides = new Array<number>(rank);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    xStrides[d] = acc;
    acc *= xShape[d] as number;
  }
  // Contiguous run: from the last dim back, while stride is 1 and the dim is copied whole (then one partial dim).
  let run = 1;
  let inner = rank; // dims [inner, rank) are inside the run
  for (let d = rank - 1; d >= 0; d--) {
    if ((strides[d] as number) !== 1) break;
    run *= outShape[d] as number;
    inner = d;
    if ((outShape[d] as number) !== (xShape[d] as number)) break;
  }
  let baseOff = srcBase;
  for (let d = 0; d < rank; d++) baseOff += (begin[d] as number) * (xStrides[d] as number);
  if (inner === 0) {
    copyRun(src, baseOff, dst, dstBase, run);
    return;
  }
  // Innermost looped dim: inner-1, with its own stride (may be > 1 when run is 1).
  const last = inner - 1;
  const lastN = outShape[last] as number;
  const lastStep = (strides[last] as number) * (xStrides[last] as number);
  const outerDims = last; // dims [0, last) via an odometer
  const idx = new Array<number>(outerDims).fill(0);
  let outOff = dstBase;
  let off = baseOff;
  for (;;) {
    if (run === 1) {
      for (let i = 0, s = off; i < lastN; i++, s += lastStep) dst[outOff + i] = src[s] as number;
      outOff += lastN;
    } else {
      for (let i = 0, s = off; i < lastN; i++, s += lastStep, outOff += run) copyRun(src, s, dst, outOff, run);
    }
    let d = outerDims - 1;
    for (; d >= 0; d--) {
      const step = (strides[d] as number) * (xStrides[d] as number);
      if ((idx[d] as number) + 1 < (outShape[d] as number)) {
        idx[d] = (idx[d] as number) + 1;
        off += step;
        break;
      }
      off -= (idx[d] as number) * step;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Tiles in place: `buf[base…]` holds x (shape xShape) and is expanded dimension by dimension, last first. */
export function tileInPlace(buf: Arr, base: number, xShape: readonly number[], reps: readonly number[]): void {
  const cur = [...xShape];
  const rank = cur.length;
  for (let k = rank - 1; k >= 0; k--) {
    const r = reps[k] as number;
    if (r === 1) continue;
    let outer = 1;
    for (let d = 0; d < k; d++) outer *= cur[d] as number;
    let inner = 1;
    for (let d = k; d < rank; d++) inner *= cur[d] as number;
    const block = inner * r;
    for (let o = outer - 1; o >= 0; o--) {
      const src = base + o * inner;
      const dst = base + o * block;
      if (dst !== src) {
        if (inner >= 64) buf.copyWithin(dst, src, src + inner);
        else for (let j = inner - 1; j >= 0; j--) buf[dst + j] = buf[src + j] as number; // dst > src: back to front
      }
      if (inner >= 64) {
        // Doubling: log₂(r) native copies.
        for (let len = inner; len < block; ) {
          const n = Math.min(len, block - len);
          buf.copyWithin(dst + len, dst, dst + n);
          len += n;
        }
      } else {
        for (let j = inner; j < block; j++) buf[dst + j] = buf[dst + j - inner] as number;
      }
    }
    cur[k] = (cur[k] as number) * r;
  }
}

/** Copy plumbing per backend: where a tensor's elements live and how outputs are made. */
interface Io {
  /** One array per dtype holding all inputs/outputs (the wasm heap) or per tensor (cpu). */
  arr(t: TensorInfo): { a: Arr; off: number };
  alloc(shape: number[], dtype: DataType): TensorInfo;
  /** cpu: outputs are built in a fresh array first. */
  finish(t: TensorInfo): TensorInfo;
}

const views = new WeakMap<ArrayBufferLike, Map<DataType, Arr>>();

/** One view per heap buffer and dtype, so that copies between tensors are a single `copyWithin`. */
export function heapView(backend: WasmBackendLike, dtype: DataType): Arr {
  const buf = backend.wasm.HEAPU8.buffer;
  let byType = views.get(buf);
  if (!byType) {
    byType = new Map();
    views.set(buf, byType);
  }
  let v = byType.get(dtype);
  if (!v) {
    v = dtype === 'float32' ? new Float32Array(buf) : dtype === 'int32' ? new Int32Array(buf) : new Uint8Array(buf);
    byType.set(dtype, v);
  }
  return v;
}

function wasmIo(backend: WasmBackendLike): Io {
  return {
    arr(t) {
      const a = heapView(backend, t.dtype);
      const data = backend.dataIdMap.get(t.dataId);
      if (!data) throw new Error('fast kernels: tensor data not found on the wasm backend');
      return { a, off: data.memoryOffset / a.BYTES_PER_ELEMENT };
    },
    alloc: (shape, dtype) => backend.makeOutput(shape, dtype),
    finish: (t) => t,
  };
}

function cpuIo(backend: CpuBackendLike): Io {
  const pending = new Map<object, { shape: number[]; dtype: DataType; a: Arr }>();
  const make = (n: number, dtype: DataType): Arr =>
    dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  return {
    arr(t) {
      const p = pending.get(t.dataId);
      if (p) return { a: p.a, off: 0 };
      return { a: backend.readSync(t.dataId) as Arr, off: 0 };
    },
    alloc(shape, dtype) {
      const dataId = {};
      pending.set(dataId, { shape, dtype, a: make(util.sizeFromShape(shape), dtype) });
      return { dataId, shape, dtype };
    },
    finish(t) {
      const p = pending.get(t.dataId);
      if (!p) return t;
      pending.delete(t.dataId);
      return backend.makeTensorInfo(p.shape, p.dtype, p.a);
    },
  };
}

type Fallback = KernelFunc | undefined;
const COPYABLE = new Set<DataType>(['float32', 'int32', 'bool']);

function ioFor(backendName: 'wasm' | 'cpu', backend: unknown): Io {
  return backendName === 'wasm' ? wasmIo(backend as WasmBackendLike) : cpuIo(backend as CpuBackendLike);
}

function useFallback(fallback: Fallback, args: Parameters<KernelFunc>[0], name: string): TensorInfo {
  if (!fallback) throw new Error(`${name} (fast kernels): unsupported input and no stock kernel to fall back to`);
  return fallback(args) as TensorInfo;
}

function sliceKernel(backendName: 'wasm' | 'cpu', fallback: Fallback): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!COPYABLE.has(x.dtype)) return useFallback(fallback, args, 'Slice');
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [b, s] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    slice_util.assertParamsValid(x as never, b, s);
    const io = ioFor(backendName, args.backend);
    const out = io.alloc(s, x.dtype);
    const src = io.arr(x);
    const dst = io.arr(out);
    stridedCopy(
      src.a,
      src.off,
      x.shape,
      b,
      b.map(() => 1),
      s,
      dst.a,
      dst.off,
    );
    return io.finish(out);
  };
  return { kernelName: 'Slice', backendName, kernelFunc: kernelFunc as KernelFunc };
}

function stridedSliceKernel(backendName: 'wasm' | 'cpu', fallback: Fallback): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!COPYABLE.has(x.dtype)) return useFallback(fallback, args, 'StridedSlice');
    const a = args.attrs as unknown as {
      begin: number[];
      end: number[];
      strides: number[];
      beginMask: number;
      endMask: number;
      ellipsisMask: number;
      newAxisMask: number;
      shrinkAxisMask: number;
    };
    const info = slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    const outShape = info.finalShapeSparse;
    if (info.strides.some((st) => st <= 0) || info.begin.length !== x.shape.length) {
      return useFallback(fallback, args, 'StridedSlice');
    }
    const io = ioFor(backendName, args.backend);
    const out = io.alloc(outShape, x.dtype);
    const src = io.arr(x);
    const dst = io.arr(out);
    stridedCopy(src.a, src.off, x.shape, info.begin, info.strides, outShape, dst.a, dst.off);
    const done = io.finish(out);
    return { dataId: done.dataId, shape: info.finalShape, dtype: done.dtype };
  };
  return { kernelName: 'StridedSlice', backendName, kernelFunc: kernelFunc as KernelFunc };
}

function concatKernel(backendName: 'wasm' | 'cpu', fallback: Fallback): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const first = inputs[0];
    if (!first || inputs.some((t) => t.dtype !== first.dtype) || !COPYABLE.has(first.dtype)) {
      return useFallback(fallback, args, 'Concat');
    }
    const axis = util.parseAxisParam((args.attrs as NamedAttrMap).axis as number, first.shape)[0] as number;
    const outShape = [...first.shape];
    outShape[axis] = inputs.reduce((s, t) => s + (t.shape[axis] as number), 0);
    for (const t of inputs) {
      if (t.shape.length !== first.shape.length || t.shape.some((d, i) => i !== axis && d !== first.shape[i])) {
        return useFallback(fallback, args, 'Concat');
      }
    }
    const io = ioFor(backendName, args.backend);
    const out = io.alloc(outShape, first.dtype);
    const outer = util.sizeFromShape(first.shape.slice(0, axis));
    const inners = inputs.map((t) => util.sizeFromShape(t.shape.slice(axis)));
    const rowLen = inners.reduce((s, n) => s + n, 0);
    const dst = io.arr(out);
    let col = 0;
    inputs.forEach((t, i) => {
      const n = inners[i] as number;
      if (n > 0) {
        const src = io.arr(t);
        for (let o = 0; o < outer; o++) copyRun(src.a, src.off + o * n, dst.a, dst.off + o * rowLen + col, n);
      }
      col += n;
    });
    return io.finish(out);
  };
  return { kernelName: 'Concat', backendName, kernelFunc: kernelFunc as KernelFunc };
}

function tileKernel(backendName: 'wasm' | 'cpu', fallback: Fallback): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as unknown as { reps: number[] };
    if (!COPYABLE.has(x.dtype) || reps.length !== x.shape.length) return useFallback(fallback, args, 'Tile');
    const outShape = x.shape.map((d, i) => d * (reps[i] as number));
    const io = ioFor(backendName, args.backend);
    const out = io.alloc(outShape, x.dtype);
    const dst = io.arr(out);
    const src = io.arr(x);
    const n = util.sizeFromShape(x.shape);
    if (n > 0) {
      copyRun(src.a, src.off, dst.a, dst.off, n);
      tileInPlace(dst.a, dst.off, x.shape, reps);
    }
    return io.finish(out);
  };
  return { kernelName: 'Tile', backendName, kernelFunc: kernelFunc as KernelFunc };
}

/**
 * wasm Identity without a copy: the output shares the input's data (reference counted), as tfjs-backend-cpu does.
 * tfjs never writes a tensor's data in place, and the engine calls Identity for every clone, variable update and
 * gradient pass-through (over a thousand full-size copies per DeconvNet training step).
 */
function identityKernel(fallback: Fallback): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return useFallback(fallback, args, 'Identity');
    (args.backend as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}

/**
 * wasm Cast to the same dtype shares the data like Identity (the stock kernel copies): every ReLU gradient casts its
 * float32 `Step` mask to float32. Real conversions go to the stock kernel.
 */
function castKernel(fallback: Fallback): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: DataType };
    if (x.dtype !== dtype || x.dtype === 'string') return useFallback(fallback, args, 'Cast');
    (args.backend as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Cast', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}

/** The copy kernels for one backend; `stock(name)` gives the kernel they replace, for unsupported dtypes. */
export function makeCopyKernels(backendName: 'wasm' | 'cpu', stock: (name: string) => Fallback): KernelConfig[] {
  return [
    sliceKernel(backendName, stock('Slice')),
    stridedSliceKernel(backendName, stock('StridedSlice')),
    concatKernel(backendName, stock('Concat')),
    tileKernel(backendName, stock('Tile')),
    ...(backendName === 'wasm' ? [identityKernel(stock('Identity')), castKernel(stock('Cast'))] : []),
  ];
}
