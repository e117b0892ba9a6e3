/**
 * A small reader for MATLAB Level 5 MAT-files (the format of the SBD `.mat` ground truth), on Node's zlib.
 *
 * Supported: both byte orders, `miCOMPRESSED` (zlib) elements, the "small data element" packing, `miMATRIX` of every
 * numeric class (real and complex, stored in any narrower mi type as MATLAB does), logical, char (UTF-8/16/32 and
 * 16-bit), cell, struct, object (read as its struct) and sparse arrays. Not supported (clear error): v7.3 files
 * (HDF5), Level 4 files, function handles and other opaque classes.
 * Arrays stay column-major as MATLAB stores them; {@link matLabelMap} converts an H×W matrix to a row-major LabelMap.
 */
import { inflateSync } from 'node:zlib';
import { ImageError, type LabelMap } from '@deconvnet/image';

// Data element types (MAT-File Format, table 1-1).
const MI_INT8 = 1;
const MI_UINT8 = 2;
const MI_INT16 = 3;
const MI_UINT16 = 4;
const MI_INT32 = 5;
const MI_UINT32 = 6;
const MI_SINGLE = 7;
const MI_DOUBLE = 9;
const MI_INT64 = 12;
const MI_UINT64 = 13;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
const MI_UTF8 = 16;
const MI_UTF16 = 17;
const MI_UTF32 = 18;

const ELEMENT_SIZE: Record<number, number> = {
  [MI_INT8]: 1,
  [MI_UINT8]: 1,
  [MI_INT16]: 2,
  [MI_UINT16]: 2,
  [MI_INT32]: 4,
  [MI_UINT32]: 4,
  [MI_SINGLE]: 4,
  [MI_DOUBLE]: 8,
  [MI_INT64]: 8,
  [MI_UINT64]: 8,
  [MI_UTF8]: 1,
  [MI_UTF16]: 2,
  [MI_UTF32]: 4,
};

// Array classes (table 1-3).
const MX_CELL = 1;
const MX_STRUCT = 2;
const MX_OBJECT = 3;
const MX_CHAR = 4;
const MX_SPARSE = 5;

/** MATLAB numeric classes, by mxClass id 6..15. */
export type MatNumericClass =
  | 'double'
  | 'single'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';
const NUMERIC_CLASSES: Record<number, MatNumericClass> = {
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};

export type MatTypedArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface MatNumeric {
  kind: 'numeric';
  name: string;
  class: MatNumericClass;
  /** MATLAB dimensions, rows first (an H×W image has dims [H, W]). */
  dims: number[];
  /** Column-major real part, typed by class. */
  data: MatTypedArray;
  imag?: MatTypedArray;
  logical: boolean;
}

export interface MatChar {
  kind: 'char';
  name: string;
  dims: number[];
  /** The characters in column-major order (for a 1×N row vector: the string). */
  value: string;
}

export interface MatCell {
  kind: 'cell';
  name: string;
  dims: number[];
  /** Column-major. */
  cells: MatValue[];
}

export interface MatStruct {
  kind: 'struct';
  name: string;
  dims: number[];
  /** Set for MATLAB objects (mxOBJECT_CLASS), which are read as their underlying struct. */
  className?: string;
  fieldNames: string[];
  /** One record per struct-array element, column-major. */
  elements: Record<string, MatValue>[];
}

export interface MatSparse {
  kind: 'sparse';
  name: string;
  /** [rows, columns]. */
  dims: number[];
  /** Compressed sparse column: row indices of the non-zeros, column j spans ir[jc[j] .. jc[j+1]). */
  ir: Int32Array;
  jc: Int32Array;
  values: Float64Array;
  imag?: Float64Array;
  logical: boolean;
}

export type MatValue = MatNumeric | MatChar | MatCell | MatStruct | MatSparse;

export interface MatFile {
  /** The 116-byte descriptive text of the header (e.g. "MATLAB 5.0 MAT-file, Platform: GLNXA64, …"). */
  header: string;
  littleEndian: boolean;
  /** Top-level variables by name, in file order. */
  variables: Map<string, MatValue>;
}

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    readonly view: DataView,
    readonly le: boolean,
    readonly source: string,
  ) {}
  static of(bytes: Uint8Array, le: boolean, source: string): Reader {
    return new Reader(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), le, source);
  }
  fail(problem: string): never {
    throw new ImageError(this.source, `corrupt MAT-file: ${problem}`);
  }
}

interface Element {
  type: number;
  /** Payload bytes (a view into the reader's buffer). */
  data: Uint8Array;
  /** Offset just after the element, including padding. */
  next: number;
}

function readElement(r: Reader, offset: number, end: number): Element {
  if (offset + 8 > end) r.fail(`element tag at byte ${offset} runs past the end of its container`);
  const first = r.view.getUint32(offset, r.le);
  // Small data element: type in the low 16 bits, byte count in the high 16 bits, payload in the next 4 bytes.
  if (first >>> 16 !== 0) {
    const type = first & 0xffff;
    const n = first >>> 16;
    if (n > 4) r.fail(`small data element at byte ${offset} claims ${n} bytes`);
    return { type, data: r.bytes.subarray(offset + 4, offset + 4 + n), next: offset + 8 };
  }
  const n = r.view.getUint32(offset + 4, r.le);
  const start = offset + 8;
  if (start + n > end)
    r.fail(`element at byte ${offset} (type ${first}, ${n} bytes) runs past the end of its container`);
  // Compressed elements are not padded; everything else is padded to a multiple of 8 bytes.
  const next = first === MI_COMPRESSED ? start + n : start + Math.ceil(n / 8) * 8;
  return { type: first, data: r.bytes.subarray(start, start + n), next: Math.min(next, end) };
}

function numericArray(r: Reader, el: Element): ArrayLike<number> | BigInt64Array | BigUint64Array {
  const size = ELEMENT_SIZE[el.type];
  if (!size) r.fail(`unexpected data type ${el.type} for numeric data`);
  if (el.data.length % size) r.fail(`data of type ${el.type} has ${el.data.length} bytes, not a multiple of ${size}`);
  const count = el.data.length / size;
  const v = new DataView(el.data.buffer, el.data.byteOffset, el.data.byteLength);
  const le = r.le;
  switch (el.type) {
    case MI_INT8:
      return new Int8Array(el.data.buffer, el.data.byteOffset, count);
    case MI_UINT8:
    case MI_UTF8:
      return el.data;
    case MI_INT64:
    case MI_UINT64: {
      const out = el.type === MI_INT64 ? new BigInt64Array(count) : new BigUint64Array(count);
      for (let i = 0; i < count; i++)
        out[i] = el.type === MI_INT64 ? v.getBigInt64(i * 8, le) : v.getBigUint64(i * 8, le);
      return out;
    }
  }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (el.type) {
      case MI_INT16:
        out[i] = v.getInt16(o, le);
        break;
      case MI_UINT16:
      case MI_UTF16:
        out[i] = v.getUint16(o, le);
        break;
      case MI_INT32:
        out[i] = v.getInt32(o, le);
        break;
      case MI_UINT32:
      case MI_UTF32:
        out[i] = v.getUint32(o, le);
        break;
      case MI_SINGLE:
        out[i] = v.getFloat32(o, le);
        break;
      default:
        out[i] = v.getFloat64(o, le);
    }
  }
  return out;
}

function toClass(
  r: Reader,
  src: ArrayLike<number> | BigInt64Array | BigUint64Array,
  cls: MatNumericClass,
): MatTypedArray {
  const n = src.length;
  const big = src instanceof BigInt64Array || src instanceof BigUint64Array;
  if (cls === 'int64' || cls === 'uint64') {
    const out = cls === 'int64' ? new BigInt64Array(n) : new BigUint64Array(n);
    for (let i = 0; i < n; i++)
      out[i] = big ? BigInt((src as BigInt64Array)[i]!) : BigInt(Math.trunc((src as ArrayLike<number>)[i]!));
    return out;
  }
  if (big) r.fail('64-bit integer data stored in a non-64-bit array');
  const s = src as ArrayLike<number>;
  switch (cls) {
    case 'double':
      return Float64Array.from(s);
    case 'single':
      return Float32Array.from(s);
    case 'int8':
      return Int8Array.from(s);
    case 'uint8':
      return s instanceof Uint8Array ? new Uint8Array(s) : Uint8Array.from(s);
    case 'int16':
      return Int16Array.from(s);
    case 'uint16':
      return Uint16Array.from(s);
    case 'int32':
      return Int32Array.from(s);
    default:
      return Uint32Array.from(s);
  }
}

function ascii(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Parses the payload of one miMATRIX element. */
function readMatrix(r: Reader, data: Uint8Array, where: string): MatValue {
  const sub = Reader.of(data, r.le, r.source);
  if (data.length === 0)
    return { kind: 'numeric', name: '', class: 'double', dims: [0, 0], data: new Float64Array(0), logical: false };
  let off = 0;
  const next = (what: string): Element => {
    if (off >= data.length) sub.fail(`${where}: missing ${what}`);
    const el = readElement(sub, off, data.length);
    off = el.next;
    return el;
  };
  const flagsEl = next('array flags');
  if (flagsEl.type !== MI_UINT32 || flagsEl.data.length < 8) sub.fail(`${where}: bad array flags`);
  const fv = new DataView(flagsEl.data.buffer, flagsEl.data.byteOffset, 8);
  const flags = fv.getUint32(0, r.le);
  const cls = flags & 0xff;
  const complex = (flags & 0x800) !== 0;
  const logical = (flags & 0x200) !== 0;
  const dimsEl = next('dimensions');
  if (dimsEl.type !== MI_INT32) sub.fail(`${where}: dimensions are not int32`);
  const dims = Array.from(numericArray(sub, dimsEl) as ArrayLike<number>);
  if (dims.length < 2 || dims.some((d) => d < 0 || !Number.isInteger(d)))
    sub.fail(`${where}: bad dimensions [${dims.join(', ')}]`);
  const nameEl = next('array name');
  const name = ascii(nameEl.data);
  const at = name ? `${where}.${name}` : where;
  const count = product(dims);

  if (NUMERIC_CLASSES[cls]) {
    const klass = NUMERIC_CLASSES[cls]!;
    const re = toClass(sub, numericArray(sub, next('real part')), klass);
    if (re.length !== count) sub.fail(`${at}: ${re.length} values for dimensions [${dims.join('×')}]`);
    const out: MatNumeric = { kind: 'numeric', name, class: klass, dims, data: re, logical };
    if (complex) out.imag = toClass(sub, numericArray(sub, next('imaginary part')), klass);
    return out;
  }
  switch (cls) {
    case MX_CHAR: {
      if (count === 0 && off >= data.length) return { kind: 'char', name, dims, value: '' };
      const el = next('character data');
      let value: string;
      if (el.type === MI_UTF8) value = new TextDecoder('utf-8').decode(el.data);
      else {
        const codes = numericArray(sub, el) as ArrayLike<number>;
        value = '';
        for (let i = 0; i < codes.length; i++) value += String.fromCodePoint(codes[i]!);
      }
      return { kind: 'char', name, dims, value };
    }
    case MX_CELL: {
      const cells: MatValue[] = [];
      for (let i = 0; i < count; i++) {
        const el = next(`cell ${i + 1} of ${count}`);
        if (el.type !== MI_MATRIX) sub.fail(`${at}{${i + 1}}: cell element is type ${el.type}, expected miMATRIX`);
        cells.push(readMatrix(sub, el.data, `${at}{${i + 1}}`));
      }
      return { kind: 'cell', name, dims, cells };
    }
    case MX_STRUCT:
    case MX_OBJECT: {
      let className: string | undefined;
      if (cls === MX_OBJECT) className = ascii(next('class name').data);
      const lenEl = next('field name length');
      const fieldLen = (numericArray(sub, lenEl) as ArrayLike<number>)[0] ?? 0;
      const namesEl = next('field names');
      if (fieldLen <= 0 || namesEl.data.length % fieldLen) sub.fail(`${at}: bad field name length ${fieldLen}`);
      const fieldNames: string[] = [];
      for (let k = 0; k < namesEl.data.length / fieldLen; k++) {
        fieldNames.push(ascii(namesEl.data.subarray(k * fieldLen, (k + 1) * fieldLen)));
      }
      const elements: Record<string, MatValue>[] = [];
      for (let i = 0; i < count; i++) {
        const rec: Record<string, MatValue> = {};
        for (const f of fieldNames) {
          const el = next(`field ${f}`);
          if (el.type !== MI_MATRIX) sub.fail(`${at}.${f}: field element is type ${el.type}, expected miMATRIX`);
          rec[f] = readMatrix(sub, el.data, `${at}.${f}`);
        }
        elements.push(rec);
      }
      const out: MatStruct = { kind: 'struct', name, dims, fieldNames, elements };
      if (className !== undefined) out.className = className;
      return out;
    }
    case MX_SPARSE: {
      if (dims.length !== 2) sub.fail(`${at}: sparse array must be 2-D`);
      const ir = Int32Array.from(numericArray(sub, next('sparse row indices')) as ArrayLike<number>);
      const jc = Int32Array.from(numericArray(sub, next('sparse column starts')) as ArrayLike<number>);
      if (jc.length !== dims[1]! + 1)
        sub.fail(`${at}: sparse column index has ${jc.length} entries, expected ${dims[1]! + 1}`);
      const nnz = jc[jc.length - 1]!;
      if (nnz > ir.length) sub.fail(`${at}: sparse array claims ${nnz} non-zeros but has ${ir.length} row indices`);
      for (let j = 0; j < dims[1]!; j++) if (jc[j]! > jc[j + 1]!) sub.fail(`${at}: sparse column starts decrease`);
      for (let k = 0; k < nnz; k++)
        if (ir[k]! < 0 || ir[k]! >= dims[0]!) sub.fail(`${at}: sparse row index ${ir[k]} out of range`);
      // Logical sparse arrays may omit the values (all true); otherwise they follow as any numeric type.
      let values: Float64Array;
      if (off < data.length) values = Float64Array.from(numericArray(sub, next('sparse values')) as ArrayLike<number>);
      else if (logical) values = new Float64Array(nnz).fill(1);
      else sub.fail(`${at}: sparse values missing`);
      if (values!.length < nnz) sub.fail(`${at}: sparse array has ${values!.length} values for ${nnz} non-zeros`);
      const out: MatSparse = {
        kind: 'sparse',
        name,
        dims,
        ir: ir.subarray(0, nnz),
        jc,
        values: values!.subarray(0, nnz),
        logical,
      };
      if (complex)
        out.imag = Float64Array.from(numericArray(sub, next('sparse imaginary values')) as ArrayLike<number>);
      return out;
    }
    default:
      return sub.fail(
        `${at}: unsupported MATLAB array class ${cls} (function handles and opaque objects are not supported)`,
      );
  }
}

/**
 * Parses a Level 5 MAT-file. `source` (usually the path) names the file in every error; a truncated, corrupt or
 * unsupported file throws an ImageError, never returns partial data.
 */
export function readMat(bytes: Uint8Array, source = 'MAT-file'): MatFile {
  if (bytes.length < 128)
    throw new ImageError(source, `not a Level 5 MAT-file (only ${bytes.length} bytes, the header alone is 128)`);
  const header = ascii(bytes.subarray(0, 116)).trimEnd();
  const e0 = bytes[126];
  const e1 = bytes[127];
  let le: boolean;
  if (e0 === 0x49 && e1 === 0x4d)
    le = true; // "IM": written little-endian
  else if (e0 === 0x4d && e1 === 0x49) le = false;
  else throw new ImageError(source, 'not a Level 5 MAT-file (no endian indicator; Level 4 files are not supported)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(124, le);
  if (version === 0x0200 || /MATLAB 7\.3/.test(header)) {
    throw new ImageError(
      source,
      'MAT-file v7.3 (HDF5) is not supported; save with -v7 or read it with an HDF5 library',
    );
  }
  if (version !== 0x0100) throw new ImageError(source, `unsupported MAT-file version 0x${version.toString(16)}`);
  const r = Reader.of(bytes, le, source);
  const variables = new Map<string, MatValue>();
  let off = 128;
  while (off < bytes.length) {
    if (bytes.length - off < 8) r.fail(`${bytes.length - off} stray bytes at the end of the file`);
    const el = readElement(r, off, bytes.length);
    off = el.next;
    let type = el.type;
    let payload = el.data;
    let inner = r;
    if (type === MI_COMPRESSED) {
      let raw: Buffer;
      try {
        raw = inflateSync(el.data);
      } catch (e) {
        throw new ImageError(
          source,
          `corrupt MAT-file: compressed element does not inflate (${(e as Error).message})`,
          { cause: e },
        );
      }
      inner = Reader.of(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), le, source);
      const ie = readElement(inner, 0, raw.length);
      type = ie.type;
      payload = ie.data;
    }
    if (type !== MI_MATRIX) continue; // other top-level elements carry no variables
    const value = readMatrix(inner, payload, 'variable');
    variables.set(value.name, value);
  }
  return { header, littleEndian: le, variables };
}

/** Looks up `path` ("GTinst.Segmentation", "GTcls.Boundaries") in a MAT-file; throws naming `source` if absent. */
export function matGet(file: MatFile, path: string, source = 'MAT-file'): MatValue {
  const [top, ...rest] = path.split('.');
  let v = file.variables.get(top!);
  if (!v)
    throw new ImageError(
      source,
      `MAT-file has no variable "${top}" (has ${[...file.variables.keys()].join(', ') || 'none'})`,
    );
  let at = top!;
  for (const f of rest) {
    if (v.kind !== 'struct' || !v.elements[0])
      throw new ImageError(source, `${at} is a ${v.kind}, not a struct with field "${f}"`);
    const next: MatValue | undefined = v.elements[0][f];
    if (!next) throw new ImageError(source, `struct ${at} has no field "${f}" (has ${v.fieldNames.join(', ')})`);
    v = next;
    at += `.${f}`;
  }
  return v;
}

/** The values of a numeric array as plain numbers (column-major). */
export function matNumbers(v: MatValue, source = 'MAT-file'): number[] {
  if (v.kind !== 'numeric') throw new ImageError(source, `${v.name || 'value'} is a ${v.kind} array, expected numeric`);
  return Array.from(v.data as ArrayLike<number | bigint>, Number);
}

/**
 * Converts a 2-D H×W numeric MATLAB matrix (column-major) of integers 0..255 to a row-major LabelMap.
 * Throws naming `source` if the array is not 2-D, empty or has values outside 0..255.
 */
export function matLabelMap(v: MatValue, source = 'MAT-file'): LabelMap {
  if (v.kind !== 'numeric')
    throw new ImageError(source, `${v.name || 'value'} is a ${v.kind} array, expected a numeric matrix`);
  if (v.dims.length !== 2 || v.dims[0]! <= 0 || v.dims[1]! <= 0) {
    throw new ImageError(
      source,
      `${v.name || 'value'} has dimensions [${v.dims.join('×')}], expected a non-empty H×W matrix`,
    );
  }
  const height = v.dims[0]!;
  const width = v.dims[1]!;
  const out = new Uint8Array(width * height);
  const src = v.data as ArrayLike<number | bigint>;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const val = Number(src[x * height + y]!);
      if (!(val >= 0 && val <= 255 && Number.isInteger(val)))
        throw new ImageError(source, `label value ${val} at (${x}, ${y}) is not an integer in 0..255`);
      out[y * width + x] = val;
    }
  }
  return { width, height, data: out };
}

/** Densifies a 2-D sparse matrix into a row-major H×W Uint8Array of 0/1 (non-zero → 1), e.g. SBD boundary maps. */
export function matSparseToMask(v: MatSparse): LabelMap {
  const height = v.dims[0]!;
  const width = v.dims[1]!;
  const data = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let k = v.jc[x]!; k < v.jc[x + 1]!; k++) if (v.values[k] !== 0) data[v.ir[k]! * width + x] = 1;
  }
  return { width, height, data };
}
