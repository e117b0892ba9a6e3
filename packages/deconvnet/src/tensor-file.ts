/**
 * A single-file container for named float32 arrays plus a JSON header, used for checkpoints (weights, optimizer
 * velocities, RNG, history) and model weights. One file written with temp + rename, so a crash or SIGKILL at any
 * moment leaves either the previous file or the new one, never a mix. Layout: "DCNTENS1", uint32 LE header length,
 * header JSON (UTF-8), zero padding to a multiple of 4, then the arrays back to back.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@deconvnet/image/node';

const MAGIC = 'DCNTENS1';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface Header {
  meta: unknown;
  tensors: { name: string; shape: number[]; length: number }[];
}

export class TensorFileError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'TensorFileError';
  }
}

export function encodeTensorFile(meta: unknown, arrays: readonly NamedArray[]): Uint8Array {
  const header: Header = {
    meta,
    tensors: arrays.map((a) => ({ name: a.name, shape: a.shape, length: a.data.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headEnd = 12 + json.length;
  const dataStart = Math.ceil(headEnd / 4) * 4;
  const total = dataStart + arrays.reduce((s, a) => s + a.data.length * 4, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let off = dataStart;
  for (const a of arrays) {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), off);
    off += a.data.byteLength;
  }
  return out;
}

export function decodeTensorFile(bytes: Uint8Array, path = 'tensor file'): { meta: unknown; arrays: NamedArray[] } {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new TensorFileError(path, 'not a deconvnet checkpoint/weights file (bad magic)');
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + len > bytes.length) throw new TensorFileError(path, 'truncated header');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len))) as Header;
  } catch {
    throw new TensorFileError(path, 'corrupt header');
  }
  if (!header || !Array.isArray(header.tensors)) throw new TensorFileError(path, 'corrupt header');
  let off = Math.ceil((12 + len) / 4) * 4;
  const need = off + header.tensors.reduce((s, t) => s + t.length * 4, 0);
  if (bytes.length !== need) {
    throw new TensorFileError(
      path,
      `${bytes.length < need ? 'truncated' : 'oversized'} file: ${bytes.length} bytes, expected ${need}`,
    );
  }
  const arrays: NamedArray[] = [];
  for (const t of header.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.length)
      throw new TensorFileError(
        path,
        `tensor ${t.name}: shape ${JSON.stringify(t.shape)} does not match length ${t.length}`,
      );
    // Copy so the array is aligned and independent of the file buffer.
    const data = new Float32Array(t.length);
    new Uint8Array(data.buffer).set(bytes.subarray(off, off + t.length * 4));
    off += t.length * 4;
    arrays.push({ name: t.name, shape: t.shape, data });
  }
  return { meta: header.meta, arrays };
}

export async function writeTensorFile(path: string, meta: unknown, arrays: readonly NamedArray[]): Promise<void> {
  await writeFileAtomic(path, encodeTensorFile(meta, arrays));
}

export async function readTensorFile(path: string): Promise<{ meta: unknown; arrays: NamedArray[] }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TensorFileError(path, code === 'ENOENT' ? 'file not found' : `cannot read (${(e as Error).message})`);
  }
  return decodeTensorFile(bytes, path);
}
