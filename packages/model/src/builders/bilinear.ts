import { type Tensor4D, tensor4d } from '@tensorflow/tfjs-core';

/**
 * FCN's bilinear upsampling filter (`surgery.upsample_filt`): f = ⌈k/2⌉, c = f−1 for odd k else f−0.5,
 * w(y, x) = (1 − |y−c|/f)(1 − |x−c|/f). Returned row-major, k×k.
 */
export function bilinearFilter(k: number): Float32Array {
  const f = Math.ceil(k / 2);
  const c = k % 2 === 1 ? f - 1 : f - 0.5;
  const w = new Float32Array(k * k);
  for (let y = 0; y < k; y++)
    for (let x = 0; x < k; x++) w[y * k + x] = (1 - Math.abs(y - c) / f) * (1 - Math.abs(x - c) / f);
  return w;
}

/**
 * Channel-diagonal bilinear kernel for a tfjs conv2dTranspose ([k, k, outC, inC], channels = inC = outC): class i
 * upsamples into class i only. tfjs' transposed convolution, like Caffe's DECONVOLUTION, does not flip the kernel.
 */
export function bilinearKernel(k: number, channels: number): Tensor4D {
  const f = bilinearFilter(k);
  const w = new Float32Array(k * k * channels * channels);
  for (let p = 0; p < k * k; p++) for (let c = 0; c < channels; c++) w[(p * channels + c) * channels + c] = f[p]!;
  return tensor4d(w, [k, k, channels, channels]);
}
