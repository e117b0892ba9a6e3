/**
 * MODELDIR: `deconvnet.json` (preset, classes, preprocessing, training history) + one weights file per network
 * (`deconvnet.weights`, `fcn.weights`) + `checkpoints/` while training. Networks are rebuilt from their recorded
 * builder options and their weights set by name, so a load checks every shape.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@deconvnet/image/node';
import { UsageError } from './errors.js';
import { buildNet, MEAN_BGR, type NetBuildOptions } from './model-glue.js';
import type { NetKind, SegNet } from './net.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';
import type { TrainHistory } from './trainer.js';
import { getModelWeights, setModelWeights } from './weights.js';

export interface NetDescriptor {
  kind: NetKind;
  build: NetBuildOptions;
  inputSize: number;
  numClasses: number;
  weights: string;
}

export interface ModelDescriptor {
  format: 'deconvnet-model';
  version: 1;
  classes: string[];
  preprocessing: { input: 'RGB uint8'; channelOrder: 'BGR'; mean: number[]; scale: 1; window: string };
  networks: { deconvnet: NetDescriptor; fcn?: NetDescriptor };
  training: {
    stage1?: TrainHistory;
    stage2?: TrainHistory;
    fcn?: TrainHistory;
    bnReestimated?: boolean;
    config?: Record<string, unknown>;
    backend?: string;
  };
  createdAt: string;
}

export const DESCRIPTOR = 'deconvnet.json';

export function netDescriptor(net: SegNet, build: NetBuildOptions): NetDescriptor {
  return {
    kind: net.kind,
    build,
    inputSize: net.inputSize,
    numClasses: net.numClasses,
    weights: `${net.kind}.weights`,
  };
}

export function newDescriptor(
  classes: readonly string[],
  deconvnet: NetDescriptor,
  fcn?: NetDescriptor,
): ModelDescriptor {
  return {
    format: 'deconvnet-model',
    version: 1,
    classes: [...classes],
    preprocessing: {
      input: 'RGB uint8',
      channelOrder: 'BGR',
      mean: [...MEAN_BGR],
      scale: 1,
      window: 'proposal box enlarged 1.2x, squared, cropped with zero padding and warped to inputSize',
    },
    networks: fcn ? { deconvnet, fcn } : { deconvnet },
    training: {},
    createdAt: new Date().toISOString(),
  };
}

/** Writes the weights of the given nets and then the descriptor (each file atomically; descriptor last). */
export async function saveModelDir(
  dir: string,
  descriptor: ModelDescriptor,
  nets: { deconvnet?: SegNet; fcn?: SegNet },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const key of ['deconvnet', 'fcn'] as const) {
    const net = nets[key];
    const d = descriptor.networks[key];
    if (net && d)
      await writeTensorFile(join(dir, d.weights), { kind: key, build: d.build }, getModelWeights(net.model));
  }
  await writeFileAtomic(join(dir, DESCRIPTOR), `${JSON.stringify(descriptor, null, 1)}\n`);
}

export async function readDescriptor(dir: string): Promise<ModelDescriptor> {
  const p = join(dir, DESCRIPTOR);
  if (!existsSync(dir)) throw new UsageError(`--model ${dir}: no such directory`);
  if (!existsSync(p)) throw new UsageError(`--model ${dir}: no ${DESCRIPTOR} here (not a trained model folder)`);
  let d: ModelDescriptor;
  try {
    d = JSON.parse(await readFile(p, 'utf8')) as ModelDescriptor;
  } catch (e) {
    throw new UsageError(`${p}: not valid JSON (${(e as Error).message})`);
  }
  if (d?.format !== 'deconvnet-model' || !d.networks?.deconvnet)
    throw new UsageError(`${p}: not a deconvnet model descriptor`);
  return d;
}

export interface LoadedModel {
  descriptor: ModelDescriptor;
  deconvnet: SegNet;
  fcn?: SegNet;
  dispose(): void;
}

export async function loadNet(dir: string, d: NetDescriptor): Promise<SegNet> {
  const path = join(dir, d.weights);
  if (!existsSync(path)) throw new UsageError(`${path}: weights file missing`);
  const { arrays } = await readTensorFile(path);
  const net = buildNet(d.kind, d.build);
  try {
    setModelWeights(net.model, arrays, path);
  } catch (e) {
    net.model.dispose();
    throw e;
  }
  return net;
}

/** Loads DeconvNet (and FCN when present) from MODELDIR. */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const descriptor = await readDescriptor(dir);
  const deconvnet = await loadNet(dir, descriptor.networks.deconvnet);
  const fcn = descriptor.networks.fcn ? await loadNet(dir, descriptor.networks.fcn) : undefined;
  return {
    descriptor,
    deconvnet,
    ...(fcn ? { fcn } : {}),
    dispose() {
      deconvnet.model.dispose();
      fcn?.model.dispose();
    },
  };
}
