import {
  backend_util,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './backendTypes.js';
import { callKernel, heapF32, reshaped } from './wasmOps.js';

/**
 * Wf[a, b, co, ci] = W[KH−1−a, KW−1−b, ci, co]: the filter that turns the transposed convolution into an ordinary one.
 */
export function flipFilter(w: ArrayLike<number>, out: Float32Array, KH: number, KW: number, Ci: number, Co: number) {
  for (let a = 0; a < KH; a++) {
    for (let b = 0; b < KW; b++) {
      const src = ((KH - 1 - a) * KW + (KW - 1 - b)) * Ci * Co;
      const dst = (a * KW + b) * Co * Ci;
      for (let ci = 0; ci < Ci; ci++) {
        for (let co = 0; co < Co; co++) out[dst + co * Ci + ci] = w[src + ci * Co + co] as number;
      }
    }
  }
}

/**
 * dx[b, oy·sh + kh − pt, ox·sw + kw − pl, :] += cols[(b·OH + oy)·OW + ox, (kh·KW + kw)·Ci : +Ci] (col2im; rows of
 * cols are dy pixels, columns the filter taps × input channels).
 */
export function col2im(
  cols: Float32Array,
  colsOff: number,
  dx: Float32Array,
  dxOff: number,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const rowLen = KH * KW * Ci;
  for (let i = dxOff, end = dxOff + B * H * W * Ci; i < end; i++) dx[i] = 0;
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const row = colsOff + ((b * OH + oy) * OW + ox) * rowLen;
        for (let kh = 0; kh < KH; kh++) {
          const iy = oy * sh + kh - pt;
          if (iy < 0 || iy >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const ix = ox * sw + kw - pl;
            if (ix < 0 || ix >= W) continue;
            const src = row + (kh * KW + kw) * Ci;
            const dst = dxOff + ((b * H + iy) * W + ix) * Ci;
            for (let c = 0; c < Ci; c++) dx[dst + c] = (dx[dst + c] as number) + (cols[src + c] as number);
          }
        }
      }
    }
  }
}

/**
 * wasm, stride > 1: cols = dy [B·OH·OW, Co] · Wᵀ [Co, KH·KW·Ci] as one matMul (the filter transposed in JS, it is
 * small: XNNPACK has no fast transposed-operand path in tfjs), then col2im.
 */
function stridedWasm(backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo) {
  const { filterHeight: KH, filterWidth: KW, inChannels: Ci, outChannels: Co } = info;
  const rowLen = KH * KW * Ci;
  const wt = backend.makeOutput([1, Co, rowLen], 'float32');
  const w = heapF32(backend, filter);
  const t = heapF32(backend, wt);
  for (let r = 0; r < rowLen; r++) for (let co = 0; co < Co; co++) t[co * rowLen + r] = w[r * Co + co] as number;
  const nPix = info.batchSize * info.outHeight * info.outWidth;
  const cols = callKernel(
    'BatchMatMul',
    'wasm',
    backend,
    { a: reshaped(dy, [1, nPix, Co]), b: wt },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  backend.disposeData(wt.dataId);
  const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, Ci], 'float32');
  col2im(heapF32(backend, cols), 0, heapF32(backend, dx), 0, info);
  backend.disposeData(cols.dataId);
  return dx;
}

/**
 * wasm: for stride 1, dx = conv2d(dy, Wf) with the complementary padding (KH−1−top, KH−1−bottom, …), which XNNPACK
 * runs at forward-convolution speed; the stock wasm kernel is a direct loop ~12× slower. Other strides: one matMul +
 * col2im. (On cpu the stock kernel already runs at the cpu backend's forward-convolution speed: left alone.)
 */
export function makeWasmConv2dBackpropInput(fallback: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const backend = args.backend as WasmBackendLike;
    const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat);
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      dataFormat,
    );
    const { top, bottom, left, right } = info.padInfo;
    const { filterHeight: KH, filterWidth: KW, inChannels: Ci, outChannels: Co } = info;
    const pads = [KH - 1 - top, KH - 1 - bottom, KW - 1 - left, KW - 1 - right];
    const usable =
      info.dataFormat === 'channelsLast' &&
      dy.dtype === 'float32' &&
      filter.dtype === 'float32' &&
      info.outHeight === dy.shape[1] &&
      info.outWidth === dy.shape[2];
    const stride1 = info.strideHeight === 1 && info.strideWidth === 1 && pads.every((p) => p >= 0);
    if (usable && !stride1) return stridedWasm(backend, dy, filter, info);
    if (!usable) {
      if (fallback) return fallback(args) as TensorInfo;
      throw new Error('Conv2DBackpropInput (fast wasm): unsupported configuration and no stock kernel');
    }
    const wf = backend.makeOutput([KH, KW, Co, Ci], 'float32');
    flipFilter(heapF32(backend, filter), heapF32(backend, wf), KH, KW, Ci, Co);
    const dx = callKernel(
      'Conv2D',
      'wasm',
      backend,
      { x: dy, filter: wf },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [pads[0], pads[1]],
          [pads[2], pads[3]],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    );
    backend.disposeData(wf.dataId);
    return dx;
  };
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}
