import { serialization } from '@tensorflow/tfjs-core';
import { CropToReference } from './crop-to-reference.js';
import { MaxPoolWithSwitches } from './max-pool-with-switches.js';
import { Unpooling } from './unpooling.js';

/**
 * Registers the custom layer classes with tfjs' serialization map, so `tf.loadLayersModel` can rebuild a saved
 * DeconvNet or FCN-8s. Idempotent; the builders and `loadModel` call it, call it yourself before
 * `tf.loadLayersModel` if you use that directly.
 */
export function registerLayers(): void {
  serialization.registerClass(MaxPoolWithSwitches);
  serialization.registerClass(Unpooling);
  serialization.registerClass(CropToReference);
}
