import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { CpuBackendLike, WasmBackendLike } from './backendTypes.js';

/**
 * dx of max pooling (FCN-8s uses plain 2×2 max pooling): each dy value goes to the first strict maximum of its window
 * in row-major order, positions outside the input skipped, as tfjs-backend-cpu's maxPoolPositions. One pass over the
 * windows on flat arrays; the stock wasm kernel was ~3× the forward pooling's cost per element, cpu's goes through
 * TensorBuffer.get.
 */
export function maxPoolGradNhwc(
  x: ArrayLike<number>,
  dy: ArrayLike<number>,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  dx.fill(0);
  // Channels innermost: every window position is a contiguous run of C values. The window's valid positions are
  // listed once, then each channel scans them in registers (first strict maximum, as the stock kernels).
  const offs = new Int32Array(fh * fw);
  for (let b = 0; b < B; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - pt;
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - pl;
        let n = 0;
        for (let wy = 0; wy < fh; wy++) {
          const iy = y0 + wy * dh;
          if (iy < 0 || iy >= H) continue;
          for (let wx = 0; wx < fw; wx++) {
            const ix = x0 + wx * dw;
            if (ix < 0 || ix >= W) continue;
            offs[n++] = ((b * H + iy) * W + ix) * C;
          }
        }
        const dyOff = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          let bv = Number.NEGATIVE_INFINITY;
          let bi = -1;
          for (let k = 0; k < n; k++) {
            const i = (offs[k] as number) + c;
            const v = x[i] as number;
            if (v > bv) {
              bv = v;
              bi = i;
            }
          }
          if (bi >= 0) dx[bi] = (dx[bi] as number) + (dy[dyOff + c] as number);
        }
      }
    }
  }
}

export function makeMaxPoolGrad(backendName: 'wasm' | 'cpu', fallback: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const attrs = args.attrs as unknown as MaxPoolGradAttrs;
    if (dy.dtype !== 'float32' || input.dtype !== 'float32') {
      if (fallback) return fallback(args) as TensorInfo;
      throw new Error('MaxPoolGrad (fast kernels): float32 only and no stock kernel');
    }
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (backendName === 'cpu') {
      const backend = args.backend as CpuBackendLike;
      const dx = new Float32Array(input.shape.reduce((p, n) => p * n, 1));
      maxPoolGradNhwc(
        backend.readSync(input.dataId) as Float32Array,
        backend.readSync(dy.dataId) as Float32Array,
        dx,
        info,
      );
      return backend.makeTensorInfo([...input.shape], 'float32', dx);
    }
    const backend = args.backend as WasmBackendLike;
    const out = backend.makeOutput([...input.shape], 'float32');
    const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
    maxPoolGradNhwc(view(input), view(dy), view(out), info);
    return out;
  };
  return { kernelName: 'MaxPoolGrad', backendName, kernelFunc: kernelFunc as KernelFunc };
}
