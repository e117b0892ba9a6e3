import type { io } from '@tensorflow/tfjs-core';
import { ModelError } from '../errors.js';
import { crc32 } from './crc32.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Bytes that `specs` occupy in the concatenated weights data (quantised weights by their stored dtype). */
export function expectedWeightBytes(specs: readonly io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) {
    const stored = s.quantization?.dtype ?? s.dtype;
    const per = DTYPE_BYTES[stored];
    if (per === undefined) throw new ModelError(s.name, `unsupported weight dtype ${stored}`);
    total += s.shape.reduce((a, b) => a * b, 1) * per;
  }
  return total;
}

interface Fs {
  readFile(path: string): Promise<Uint8Array>;
  writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void>;
  join(...parts: string[]): string;
}

// node: modules are loaded on first use so the package entry stays importable in browsers.
async function nodeFs(): Promise<Fs> {
  const [{ readFile }, { join }, { writeFileAtomic }] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
    import('./atomic-write.js'),
  ]);
  return { readFile: (p) => readFile(p), writeFileAtomic, join };
}

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: io.WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: io.TrainingConfig;
  userDefinedMetadata?: io.ModelArtifacts['userDefinedMetadata'];
  /** Ours: size and CRC-32 of weights.bin, checked on load. */
  weightsChecksum?: { bytes: number; crc32: number };
}

/** Reads model.json and its weight files from `dir`, checking sizes (and our checksum, when present). */
export async function readModelArtifacts(dir: string): Promise<io.ModelArtifacts> {
  const fs = await nodeFs();
  const jsonPath = fs.join(dir, MODEL_JSON);
  let json: ModelJson;
  try {
    json = JSON.parse(new TextDecoder().decode(await fs.readFile(jsonPath))) as ModelJson;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const problem =
      err.code === 'ENOENT'
        ? 'not found'
        : err instanceof SyntaxError
          ? `not valid JSON (${err.message})`
          : err.message;
    throw new ModelError(jsonPath, problem, { cause: e });
  }
  if (json === null || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelError(jsonPath, 'not a tfjs layers model.json (needs modelTopology and weightsManifest)');
  }
  const specs: io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const groupSpecs = group.weights ?? [];
    const groupChunks: Uint8Array[] = [];
    for (const p of group.paths ?? []) {
      const path = fs.join(dir, p);
      try {
        groupChunks.push(await fs.readFile(path));
      } catch (e) {
        throw new ModelError(path, `cannot read weights listed in ${MODEL_JSON} (${(e as Error).message})`, {
          cause: e,
        });
      }
    }
    const got = groupChunks.reduce((a, c) => a + c.byteLength, 0);
    const want = expectedWeightBytes(groupSpecs);
    if (got !== want) {
      const files = (group.paths ?? []).map((p) => fs.join(dir, p)).join(', ') || '(no files)';
      throw new ModelError(
        files,
        `holds ${got} bytes but ${MODEL_JSON} lists ${groupSpecs.length} weights needing ${want} bytes: ${
          got < want ? 'truncated' : 'too long'
        } or written for another model`,
      );
    }
    specs.push(...groupSpecs);
    chunks.push(...groupChunks);
  }
  const total = chunks.reduce((a, c) => a + c.byteLength, 0);
  const data = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    data.set(c, off);
    off += c.byteLength;
  }
  if (json.weightsChecksum && crc32(data) !== json.weightsChecksum.crc32) {
    throw new ModelError(
      fs.join(dir, WEIGHTS_BIN),
      `checksum mismatch: the weights do not belong to this ${MODEL_JSON}`,
    );
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: data.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

/** Writes weights.bin, then model.json, each atomically (temp file + rename). */
export async function writeModelArtifacts(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  const fs = await nodeFs();
  if (artifacts.modelTopology instanceof ArrayBuffer || !artifacts.modelTopology) {
    throw new ModelError(dir, 'only layers models (JSON topology) can be saved');
  }
  const parts =
    artifacts.weightData == null
      ? []
      : Array.isArray(artifacts.weightData)
        ? artifacts.weightData
        : [artifacts.weightData];
  const bytes = new Uint8Array(parts.reduce((a, b) => a + b.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p), off);
    off += p.byteLength;
  }
  const json: ModelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    weightsChecksum: { bytes: bytes.byteLength, crc32: crc32(bytes) },
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  await fs.writeFileAtomic(fs.join(dir, WEIGHTS_BIN), bytes);
  const text = JSON.stringify(json);
  await fs.writeFileAtomic(fs.join(dir, MODEL_JSON), text);
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: text.length,
      weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
      weightDataBytes: bytes.byteLength,
    },
  };
}

/**
 * A tfjs IOHandler over a directory (model.json + weights.bin) that needs no tfjs-node:
 * `model.save(fileHandler(dir))`, `tf.loadLayersModel(fileHandler(dir))`.
 */
export function fileHandler(dir: string): io.IOHandler {
  if (typeof dir !== 'string' || dir.length === 0) throw new ModelError('fileHandler', 'dir must be a non-empty path');
  return { save: (artifacts) => writeModelArtifacts(dir, artifacts), load: () => readModelArtifacts(dir) };
}
