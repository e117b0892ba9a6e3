import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { CpuBackendLike, WasmBackendLike } from './backendTypes.js';
import { heapView, tileInPlace } from './copyKernels.js';

/**
 * cpu: broadcasting float32 Add/Sub/Multiply/RealDiv. The stock cpu kernels map every element through
 * indexToLoc/locToIndex when shapes differ (~0.3–0.8 µs per element: batch norm's [B,H,W,C]·[C] products dominated
 * a training step), and run a generic closure per element otherwise. (The wasm backend's own kernels are as fast as
 * JS can be here, measured A/B, so they are left alone.)
 */

export type BinaryOp = 'Add' | 'Sub' | 'Multiply' | 'RealDiv';

/**
 * Collapses a broadcast into dims where each operand is either contiguous or constant (stride 0), merging
 * neighbours that behave alike. Returns out dims and per-operand strides (elements).
 */
export function broadcastPlan(aShape: readonly number[], bShape: readonly number[]) {
  const outShape = backend_util.assertAndGetBroadcastShape(aShape as number[], bShape as number[]);
  const rank = outShape.length;
  const pa = [...Array<number>(rank - aShape.length).fill(1), ...aShape];
  const pb = [...Array<number>(rank - bShape.length).fill(1), ...bShape];
  const dims: number[] = [];
  const aBc: boolean[] = [];
  const bBc: boolean[] = [];
  for (let d = 0; d < rank; d++) {
    const n = outShape[d] as number;
    if (n === 1) continue;
    const ab = (pa[d] as number) === 1;
    const bb = (pb[d] as number) === 1;
    const last = dims.length - 1;
    if (last >= 0 && aBc[last] === ab && bBc[last] === bb) dims[last] = (dims[last] as number) * n;
    else {
      dims.push(n);
      aBc.push(ab);
      bBc.push(bb);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    aBc.push(false);
    bBc.push(false);
  }
  const strides = (bc: boolean[]) => {
    const s = new Array<number>(dims.length);
    let acc = 1;
    for (let d = dims.length - 1; d >= 0; d--) {
      s[d] = bc[d] ? 0 : acc;
      if (!bc[d]) acc *= dims[d] as number;
    }
    return s;
  };
  return { outShape, dims, aStrides: strides(aBc), bStrides: strides(bBc) };
}

export function broadcastBinary(
  op: BinaryOp,
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  out: Float32Array,
): number[] {
  const { outShape, dims, aStrides, bStrides } = broadcastPlan(aShape, bShape);
  const rank = dims.length;
  const n = dims[rank - 1] as number;
  const sa = aStrides[rank - 1] as number;
  const sb = bStrides[rank - 1] as number;
  const idx = new Array<number>(rank - 1).fill(0);
  let ia = 0;
  let ib = 0;
  let o = 0;
  for (;;) {
    switch (op) {
      case 'Add':
        for (let i = 0; i < n; i++) out[o + i] = (a[ia + i * sa] as number) + (b[ib + i * sb] as number);
        break;
      case 'Sub':
        for (let i = 0; i < n; i++) out[o + i] = (a[ia + i * sa] as number) - (b[ib + i * sb] as number);
        break;
      case 'Multiply':
        for (let i = 0; i < n; i++) out[o + i] = (a[ia + i * sa] as number) * (b[ib + i * sb] as number);
        break;
      case 'RealDiv':
        for (let i = 0; i < n; i++) out[o + i] = (a[ia + i * sa] as number) / (b[ib + i * sb] as number);
        break;
    }
    o += n;
    let d = rank - 2;
    for (; d >= 0; d--) {
      if ((idx[d] as number) + 1 < (dims[d] as number)) {
        idx[d] = (idx[d] as number) + 1;
        ia += aStrides[d] as number;
        ib += bStrides[d] as number;
        break;
      }
      ia -= (idx[d] as number) * (aStrides[d] as number);
      ib -= (idx[d] as number) * (bStrides[d] as number);
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return outShape;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function binaryKernel(op: BinaryOp, fallback: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      if (fallback) return fallback(args) as TensorInfo;
      throw new Error(`${op} (fast cpu): float32 only and no stock kernel`);
    }
    const backend = args.backend as CpuBackendLike;
    const av = backend.readSync(a.dataId) as Float32Array;
    const bv = backend.readSync(b.dataId) as Float32Array;
    const out = new Float32Array(util.sizeFromShape(broadcastPlan(a.shape, b.shape).outShape));
    const shape = broadcastBinary(op, av, a.shape, bv, b.shape, out);
    return backend.makeTensorInfo(shape, 'float32', out);
  };
  return { kernelName: op, backendName: 'cpu', kernelFunc: kernelFunc as KernelFunc };
}

/** cpu Add/Sub/Multiply/RealDiv (float32; other dtypes go to the stock kernels). */
export function makeBinaryKernels(stock: (name: string) => KernelFunc | undefined): KernelConfig[] {
  return (['Add', 'Sub', 'Multiply', 'RealDiv'] as const).map((op) => binaryKernel(op, stock(op)));
}

/**
 * wasm: the stock binary kernels run 5× slower per element when an operand is broadcast ([B,H,W,C]·[C] in every
 * batch-norm gradient) than on equal shapes (SIMD). So the broadcast operand is first tiled to the output shape
 * (native memmoves) and the stock kernel runs on equal shapes. Scalars and operands broadcast along the innermost
 * dimension (per-element repeats) stay with the stock kernel.
 */
function wasmBinaryKernel(op: BinaryOp, stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    if (!stock) throw new Error(`${op} (fast wasm): no stock kernel`);
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || sameShape(a.shape, b.shape)) return stock(args) as TensorInfo;
    const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    // Below ~8k elements the extra call costs more than it saves (measured A/B).
    if (util.sizeFromShape(outShape) < 8192) return stock(args) as TensorInfo;
    const backend = args.backend as WasmBackendLike;
    const plan = (t: TensorInfo) => {
      const padded = [...Array<number>(outShape.length - t.shape.length).fill(1), ...t.shape];
      if (sameShape(padded, outShape)) return { t, tile: false };
      const reps = outShape.map((n, d) => n / (padded[d] as number));
      // Worth it only for whole runs: the innermost dim must not be repeated, and the operand must not be a scalar.
      const ok = reps[reps.length - 1] === 1 && util.sizeFromShape(t.shape) > 1;
      return { t, tile: ok, padded, reps };
    };
    const pa = plan(a);
    const pb = plan(b);
    const aOk = !pa.tile && sameShape([...Array(outShape.length - a.shape.length).fill(1), ...a.shape], outShape);
    const bOk = !pb.tile && sameShape([...Array(outShape.length - b.shape.length).fill(1), ...b.shape], outShape);
    if (!(pa.tile || aOk) || !(pb.tile || bOk)) return stock(args) as TensorInfo;
    const temps: TensorInfo[] = [];
    const expand = (p: ReturnType<typeof plan>): TensorInfo => {
      if (!p.tile || !p.padded || !p.reps) return { dataId: p.t.dataId, shape: outShape, dtype: 'float32' };
      const out = backend.makeOutput(outShape, 'float32');
      const heap = heapView(backend, 'float32');
      const src = backend.typedArrayFromHeap(p.t);
      const dst = backend.typedArrayFromHeap(out);
      const base = dst.byteOffset >>> 2;
      heap.copyWithin(base, src.byteOffset >>> 2, (src.byteOffset >>> 2) + src.length);
      tileInPlace(heap, base, p.padded, p.reps);
      temps.push(out);
      return out;
    };
    const ea = expand(pa);
    const eb = expand(pb);
    const res = stock({ ...args, inputs: { a: ea, b: eb } }) as TensorInfo;
    for (const t of temps) backend.disposeData(t.dataId);
    return res;
  };
  return { kernelName: op, backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}

export function makeWasmBinaryKernels(stock: (name: string) => KernelFunc | undefined): KernelConfig[] {
  return (['Add', 'Sub', 'Multiply', 'RealDiv'] as const).map((op) => wasmBinaryKernel(op, stock(op)));
}
