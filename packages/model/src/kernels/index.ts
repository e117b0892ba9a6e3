import { findBackendFactory } from '@tensorflow/tfjs-core';
import { type FastKernelBackend, registerFastKernels } from './registerFastKernels.js';

export { type FastKernelBackend, registerFastKernels, restoreKernels } from './registerFastKernels.js';

// Side effect: `import '@deconvnet/model/kernels'` registers the kernels for the backends already registered.
for (const name of ['wasm', 'cpu'] as FastKernelBackend[]) {
  if (findBackendFactory(name) != null) registerFastKernels(name);
}
