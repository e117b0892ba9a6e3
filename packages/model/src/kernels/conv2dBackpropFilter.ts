import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { CpuBackendLike, WasmBackendLike } from './backendTypes.js';
import { copyRun, heapView } from './copyKernels.js';
import { callKernel, heapF32, reshaped } from './wasmOps.js';

type Conv2DInfo = backend_util.Conv2DInfo;

export function conv2dBackpropFilterInfo(xShape: number[], attrs: Conv2DBackpropFilterAttrs): Conv2DInfo {
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
}

/**
 * dW[kh,kw,ci,co] = Σ_{b,oy,ox} x[b, oy·s + kh − padTop, ox·s + kw − padLeft, ci] · dy[b,oy,ox,co] (NHWC),
 * accumulated as outer products so the innermost loop runs over contiguous output channels.
 */
export function conv2dBackpropFilterNhwc(x: ArrayLike<number>, dy: ArrayLike<number>, info: Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  const dyRow = new Float64Array(outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const dyOff = ((b * outHeight + oy) * outWidth + ox) * outChannels;
        for (let co = 0; co < outChannels; co++) dyRow[co] = dy[dyOff + co] as number;
        for (let kh = 0; kh < filterHeight; kh++) {
          const iy = oy * strideHeight + kh - top;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const ix = ox * strideWidth + kw - left;
            if (ix < 0 || ix >= inWidth) continue;
            const xOff = ((b * inHeight + iy) * inWidth + ix) * inChannels;
            let wOff = (kh * filterWidth + kw) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++, wOff += outChannels) {
              const xv = x[xOff + ci] as number;
              if (xv === 0) continue;
              for (let co = 0; co < outChannels; co++) {
                const i = wOff + co;
                acc[i] = (acc[i] as number) + xv * (dyRow[co] as number);
              }
            }
          }
        }
      }
    }
  }
  return Float32Array.from(acc);
}

/** cpu: same arithmetic as tfjs-backend-cpu's kernel, with flat typed-array loops instead of TensorBuffer.get. */
export function makeCpuConv2dBackpropFilter(fallback: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const backend = args.backend as CpuBackendLike;
    const info = conv2dBackpropFilterInfo(x.shape, attrs);
    if (info.dataFormat !== 'channelsLast' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (fallback) return fallback(args) as TensorInfo;
      throw new Error('Conv2DBackpropFilter (fast cpu): only NHWC float32 is supported');
    }
    const xv = backend.readSync(x.dataId) as Float32Array;
    const dyv = backend.readSync(dy.dataId) as Float32Array;
    const dw = conv2dBackpropFilterNhwc(xv, dyv, info);
    return backend.makeTensorInfo(info.filterShape, 'float32', dw);
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', kernelFunc: kernelFunc as KernelFunc };
}

/**
 * Channel-last im2col for any stride: cols[p, (kh·KW + kw)·Ci + ci] = x[b, oy·sh + kh − pt, ox·sw + kw − pl, ci] for
 * output pixels p = p0 … p0 + np − 1 (row-major over b, oy, ox), zero outside x. For fixed (p, kh) the KW·Ci values
 * are contiguous in NHWC x, so each is one run (native memmove when long) whatever the stride.
 */
export function im2colRows(
  heap: Float32Array,
  xOff: number,
  colsOff: number,
  p0: number,
  np: number,
  info: Conv2DInfo,
): void {
  const { inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const M = KH * KW * Ci;
  const run = KW * Ci;
  for (let p = 0; p < np; p++) {
    const g = p0 + p;
    const b = (g / (OH * OW)) | 0;
    const rem = g - b * OH * OW;
    const oy = (rem / OW) | 0;
    const ox = rem - oy * OW;
    const ix0 = ox * sw - pl;
    const kwLo = Math.max(0, -ix0);
    const kwHi = Math.min(KW, W - ix0);
    for (let kh = 0; kh < KH; kh++) {
      const iy = oy * sh + kh - pt;
      const dst = colsOff + p * M + kh * run;
      if (iy < 0 || iy >= H || kwLo >= kwHi) {
        heap.fill(0, dst, dst + run);
        continue;
      }
      if (kwLo > 0) heap.fill(0, dst, dst + kwLo * Ci);
      if (kwHi < KW) heap.fill(0, dst + kwHi * Ci, dst + run);
      const src = xOff + ((b * H + iy) * W + ix0 + kwLo) * Ci;
      copyRun(heap, src, heap, dst + kwLo * Ci, (kwHi - kwLo) * Ci);
    }
  }
}

/** Sums the chunks' partial filter gradients, freeing the operands as it goes. */
function addPart(backend: WasmBackendLike, result: TensorInfo | undefined, part: TensorInfo): TensorInfo {
  if (result === undefined) return part;
  const sum = callKernel('Add', 'wasm', backend, { a: result, b: part });
  backend.disposeData(result.dataId);
  backend.disposeData(part.dataId);
  return sum;
}

function offsetF32(backend: WasmBackendLike, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('fast kernels: tensor data not found on the wasm backend');
  return data.memoryOffset >>> 2;
}

/**
 * Stride 1: im2col with one memmove per (tap, ci, image, block). x is padded (channel-major) to [Ci, B, Hp + 1, Wp]
 * and dy to [B, OH, Wp, Co] with zero columns, so the output grid is computed Wp wide: the columns a tap would read
 * across a row end meet zeros of dy, and every run of OH·Wp source floats is contiguous (the extra row keeps the last
 * run inside its own image). The B·OH·Wp grid positions are cut into blocks whose im2col fits in the cache
 * (`im2colBlock`): one GEMM per block, partial products added. One im2col matrix for the whole batch (tens of MB
 * for FCN's first layers) made the kernel memory-bound at ~2× the forward convolution's time.
 */
function stride1(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): TensorInfo | undefined {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
  const { outChannels: Co, filterHeight: KH, filterWidth: KW } = info;
  const { top: pt, bottom: pb, left: pl, right: pr } = info.padInfo;
  const Hp = H + pt + pb;
  const Wp = W + pl + pr;
  if (OH !== Hp - KH + 1 || OW !== Wp - KW + 1 || pt < 0 || pb < 0 || pl < 0 || pr < 0) return undefined;
  const M = KH * KW * Ci;
  const plane = OH * Wp;
  const total = B * plane;
  // Grid positions per block: the block's im2col within the cache budget, but long enough for the GEMM to stay
  // efficient (and never more than the global im2col limit).
  const block = Math.max(1, Math.min(total, Math.floor(Math.min(im2colBlock.floats, im2colLimit.floats) / M)));
  const xt = callKernel('Transpose', 'wasm', backend, { x }, { perm: [3, 0, 1, 2] });
  const xcp = callKernel(
    'PadV2',
    'wasm',
    backend,
    { x: reshaped(xt, [Ci, B, H, W]) },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [pt, pb + 1],
        [pl, pr],
      ],
      constantValue: 0,
    },
  );
  backend.disposeData(xt.dataId);
  const inPlace = block === total && OW === Wp;
  let result: TensorInfo | undefined;
  for (let q0 = 0; q0 < total; q0 += block) {
    const K = Math.min(block, total - q0);
    const cols = backend.makeOutput([1, M, K], 'float32');
    // dy rows widened to Wp with zero columns, by row copies (the stock PadV2 with Co innermost is slow).
    const dyPart = inPlace ? reshaped(dy, [1, K, Co]) : backend.makeOutput([1, K, Co], 'float32');
    const heap = heapView(backend, 'float32') as Float32Array;
    if (!inPlace) {
      const dyOff = offsetF32(backend, dy);
      const dst0 = offsetF32(backend, dyPart) - q0 * Co;
      for (let r = Math.floor(q0 / Wp), rEnd = Math.ceil((q0 + K) / Wp); r < rEnd; r++) {
        // grid row r = b·OH + oy covers positions [r·Wp, r·Wp + Wp): OW values of dy, then zeros.
        const lo = Math.max(q0, r * Wp);
        const hi = Math.min(q0 + K, r * Wp + Wp);
        const valEnd = Math.min(hi, r * Wp + OW);
        if (valEnd > lo) copyRun(heap, dyOff + (r * OW + lo - r * Wp) * Co, heap, dst0 + lo * Co, (valEnd - lo) * Co);
        const z = Math.max(lo, valEnd);
        if (hi > z) heap.fill(0, dst0 + z * Co, dst0 + hi * Co);
      }
    }
    const cOff = offsetF32(backend, cols);
    const xOff = offsetF32(backend, xcp);
    for (let b = Math.floor(q0 / plane), bEnd = Math.ceil((q0 + K) / plane); b < bEnd; b++) {
      const lo = Math.max(q0, b * plane);
      const hi = Math.min(q0 + K, (b + 1) * plane);
      const skip = lo - b * plane;
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          for (let ci = 0; ci < Ci; ci++) {
            const dst = cOff + ((kh * KW + kw) * Ci + ci) * K + (lo - q0);
            const src = xOff + ((ci * B + b) * (Hp + 1) + kh) * Wp + kw + skip;
            heap.copyWithin(dst, src, src + (hi - lo));
          }
        }
      }
    }
    const part = callKernel(
      'BatchMatMul',
      'wasm',
      backend,
      { a: cols, b: dyPart },
      { transposeA: false, transposeB: false },
    );
    backend.disposeData(cols.dataId);
    if (!inPlace) backend.disposeData(dyPart.dataId);
    result = addPart(backend, result, part);
  }
  backend.disposeData(xcp.dataId);
  if (result === undefined) return undefined;
  return { dataId: result.dataId, shape: [...info.filterShape], dtype: 'float32' };
}

/** im2col block of the stride-1 path (floats, 1 MiB): measured 2^16…2^24, best or equal at 2^18 on this VM. */
export const im2colBlock = { floats: 1 << 18 };

/** Largest im2col buffer (floats) built at once; bigger problems are split over output rows and accumulated. */
export const im2colLimit = { floats: 1 << 23 };

/**
 * wasm: dW = colsᵀ · dy as ONE matMul that XNNPACK runs at GEMM speed. colsᵀ [KH·KW·Ci, B·OH·OW] is the im2col
 * matrix built row by row from a channel-major copy of x (so every copied run is contiguous), and its row order
 * (kh, kw, ci) makes the [KH·KW·Ci, Co] product already the filter layout. dy [B·OH·OW, Co] is used in place.
 */
export function makeWasmConv2dBackpropFilter(): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const backend = args.backend as WasmBackendLike;
    const info = conv2dBackpropFilterInfo(x.shape, attrs);
    if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter (wasm): float32 only');
    const { batchSize: B, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
    const { outChannels: Co, filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    const M = KH * KW * Ci;
    if (sh === 1 && sw === 1) {
      const fast = stride1(backend, x, dy, info);
      if (fast) return fast;
    }
    // Any stride: channel-last im2col in runs of KW·Ci, transposed by the backend, then the same single GEMM.
    const P = B * OH * OW;
    const perChunk = Math.max(1, Math.min(P, Math.floor(im2colLimit.floats / Math.max(1, M))));
    let result: TensorInfo | undefined;
    for (let p0 = 0; p0 < P; p0 += perChunk) {
      const np = Math.min(perChunk, P - p0);
      const cols = backend.makeOutput([np, M], 'float32');
      let dyPart: TensorInfo;
      if (np === P) {
        dyPart = reshaped(dy, [1, np, Co]);
      } else {
        dyPart = backend.makeOutput([1, np, Co], 'float32');
      }
      const heap = heapView(backend, 'float32') as Float32Array;
      if (dyPart.dataId !== dy.dataId) {
        const from = offsetF32(backend, dy) + p0 * Co;
        heap.copyWithin(offsetF32(backend, dyPart), from, from + np * Co);
      }
      im2colRows(heap, offsetF32(backend, x), offsetF32(backend, cols), p0, np, info);
      const colsT = callKernel('Transpose', 'wasm', backend, { x: cols }, { perm: [1, 0] });
      backend.disposeData(cols.dataId);
      const part = callKernel(
        'BatchMatMul',
        'wasm',
        backend,
        { a: reshaped(colsT, [1, M, np]), b: dyPart },
        { transposeA: false, transposeB: false },
      );
      backend.disposeData(colsT.dataId);
      if (dyPart.dataId !== dy.dataId) backend.disposeData(dyPart.dataId);
      result = addPart(backend, result, part);
    }
    if (result === undefined) {
      result = backend.makeOutput(info.filterShape, 'float32');
      heapF32(backend, result).fill(0);
    }
    return { dataId: result.dataId, shape: [...info.filterShape], dtype: 'float32' };
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}
