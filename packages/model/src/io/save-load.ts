import type { io } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ModelError } from '../errors.js';
import { registerLayers } from '../layers/register.js';
import { fileHandler, MODEL_JSON } from './file-handler.js';

/**
 * Saves `model` to `dir` (created if missing) as model.json + weights.bin, atomically, without tfjs-node.
 * `metadata` (JSON-serialisable: preset, classes, preprocessing, training history…) goes to model.json's
 * `userDefinedMetadata` and comes back from {@link loadModelWithMetadata}.
 */
export async function saveModel(
  model: LayersModel,
  dir: string,
  metadata?: Record<string, unknown>,
): Promise<io.SaveResult> {
  if (metadata !== undefined) model.setUserDefinedMetadata(metadata as object);
  return model.save(fileHandler(dir));
}

/** Loads a model saved by {@link saveModel} (or any tfjs layers model directory); clear errors for bad files. */
export async function loadModel(dir: string): Promise<LayersModel> {
  return (await loadModelWithMetadata(dir)).model;
}

export async function loadModelWithMetadata(
  dir: string,
): Promise<{ model: LayersModel; metadata: Record<string, unknown> | undefined }> {
  registerLayers();
  let model: LayersModel;
  try {
    model = await loadLayersModel(fileHandler(dir));
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(`${dir}/${MODEL_JSON}`, `cannot rebuild the model (${(e as Error).message})`, { cause: e });
  }
  return { model, metadata: model.getUserDefinedMetadata() as Record<string, unknown> | undefined };
}
