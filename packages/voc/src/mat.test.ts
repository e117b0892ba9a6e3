import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { ImageError } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { type MatSparse, matGet, matLabelMap, matNumbers, matSparseToMask, readMat } from './mat.js';

const SBD = new URL('../../../../shared/fixtures/sbd-mini/dataset/', import.meta.url).pathname;

function counts(data: Uint8Array): Record<number, number> {
  const c: Record<number, number> = {};
  for (const v of data) c[v] = (c[v] ?? 0) + 1;
  return c;
}

describe('readMat on the SBD fixtures (README oracles)', () => {
  it('reads GTcls of 2008_000051: Segmentation counts, CategoriesPresent, 20 sparse logical boundary maps', () => {
    const path = `${SBD}cls/2008_000051.mat`;
    const mat = readMat(readFileSync(path), path);
    expect(mat.header).toMatch(/^MATLAB 5\.0 MAT-file, Platform: GLNXA64/);
    expect([...mat.variables.keys()]).toEqual(['GTcls']);
    const seg = matLabelMap(matGet(mat, 'GTcls.Segmentation', path), path);
    expect([seg.width, seg.height]).toEqual([500, 371]);
    expect(counts(seg.data)).toEqual({ 0: 153775, 5: 683, 9: 6425, 15: 24617 });
    expect(matNumbers(matGet(mat, 'GTcls.CategoriesPresent'))).toEqual([5, 9, 15]);
    const b = matGet(mat, 'GTcls.Boundaries');
    expect(b.kind).toBe('cell');
    if (b.kind !== 'cell') return;
    expect(b.dims).toEqual([20, 1]);
    // Boundaries exist exactly for the classes present, and lie on class edges of the segmentation.
    b.cells.forEach((c, k) => {
      expect(c.kind).toBe('sparse');
      const s = c as MatSparse;
      expect(s.dims).toEqual([371, 500]);
      expect(s.logical).toBe(true);
      expect(s.ir.length > 0).toBe([5, 9, 15].includes(k + 1));
      const mask = matSparseToMask(s);
      for (let i = 0; i < mask.data.length; i++) {
        if (!mask.data[i]) continue;
        const x = i % 500;
        const y = (i - x) / 500;
        let near = false;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < 500 && yy < 371 && seg.data[yy * 500 + xx] === k + 1) near = true;
          }
        expect(near).toBe(true);
      }
    });
  });

  it('reads GTinst of both samples: instance counts and Categories in order', () => {
    const cases = [
      {
        id: '2008_000051',
        size: [500, 371],
        cats: [5, 5, 9, 15, 15],
        counts: { 0: 153775, 1: 184, 2: 499, 3: 6425, 4: 10272, 5: 14345 },
      },
      {
        id: '2008_000195',
        size: [500, 333],
        cats: [4, 4, 15, 15, 15],
        counts: { 0: 140241, 1: 5233, 2: 4300, 3: 3607, 4: 9762, 5: 3357 },
      },
    ];
    for (const c of cases) {
      const path = `${SBD}inst/${c.id}.mat`;
      const mat = readMat(readFileSync(path), path);
      const seg = matLabelMap(matGet(mat, 'GTinst.Segmentation', path), path);
      expect([seg.width, seg.height]).toEqual(c.size);
      expect(counts(seg.data)).toEqual(c.counts);
      expect(matNumbers(matGet(mat, 'GTinst.Categories'))).toEqual(c.cats);
      const b = matGet(mat, 'GTinst.Boundaries');
      expect(b.kind === 'cell' && b.cells.length).toBe(5);
    }
  });

  it('reads GTcls of 2008_000195', () => {
    const path = `${SBD}cls/2008_000195.mat`;
    const seg = matLabelMap(matGet(readMat(readFileSync(path), path), 'GTcls.Segmentation'));
    expect(counts(seg.data)).toEqual({ 0: 140241, 4: 9533, 15: 16726 });
  });
});

// ---- an independent little MAT writer, to build byte-exact test files by hand ----

type Endian = 'le' | 'be';
function u32(v: number, e: Endian): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, e === 'le');
  return b;
}
function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function element(type: number, payload: Uint8Array, e: Endian = 'le'): Uint8Array {
  const pad = (8 - (payload.length % 8)) % 8;
  return cat(u32(type, e), u32(payload.length, e), payload, new Uint8Array(pad));
}
function smallElement(type: number, payload: Uint8Array, e: Endian = 'le'): Uint8Array {
  // 2-byte count and 2-byte type packed in one 32-bit word; little-endian puts the type in the low half.
  const word = (payload.length << 16) | type;
  return cat(u32(word >>> 0, e), payload, new Uint8Array(4 - payload.length));
}
function typed(type: 'i32' | 'u32' | 'f64' | 'i16' | 'u8' | 'u16', values: number[], e: Endian = 'le'): Uint8Array {
  const size = { i32: 4, u32: 4, f64: 8, i16: 2, u8: 1, u16: 2 }[type];
  const b = new Uint8Array(values.length * size);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    const le = e === 'le';
    if (type === 'i32') v.setInt32(i * 4, x, le);
    else if (type === 'u32') v.setUint32(i * 4, x, le);
    else if (type === 'f64') v.setFloat64(i * 8, x, le);
    else if (type === 'i16') v.setInt16(i * 2, x, le);
    else if (type === 'u16') v.setUint16(i * 2, x, le);
    else v.setUint8(i, x);
  });
  return b;
}
const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  DOUBLE: 9,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
};
function matrix(
  cls: number,
  dims: number[],
  name: string,
  body: Uint8Array[],
  opts: { flags?: number; nzmax?: number; e?: Endian } = {},
): Uint8Array {
  const e = opts.e ?? 'le';
  const flags = element(MI.UINT32, typed('u32', [((opts.flags ?? 0) << 8) | cls, opts.nzmax ?? 0], e), e);
  const dimsEl = element(MI.INT32, typed('i32', dims, e), e);
  const nameEl =
    name.length <= 4 && name.length > 0
      ? smallElement(MI.INT8, new TextEncoder().encode(name), e)
      : element(MI.INT8, new TextEncoder().encode(name), e);
  return element(MI.MATRIX, cat(flags, dimsEl, nameEl, ...body), e);
}
function header(e: Endian = 'le', version = 0x0100, text = 'MATLAB 5.0 MAT-file, hand-built test'): Uint8Array {
  const h = new Uint8Array(128).fill(0x20);
  h.set(new TextEncoder().encode(text));
  const v = new DataView(h.buffer);
  v.setUint16(124, version, e === 'le');
  h[126] = e === 'le' ? 0x49 : 0x4d; // "IM" read as little-endian 16-bit = 'MI'
  h[127] = e === 'le' ? 0x4d : 0x49;
  return h;
}
function compressed(el: Uint8Array, e: Endian = 'le'): Uint8Array {
  const z = deflateSync(el);
  return cat(u32(MI.COMPRESSED, e), u32(z.length, e), new Uint8Array(z));
}

describe('readMat on hand-built files', () => {
  it('reads a double matrix stored as uint8 (MATLAB narrows storage), column-major, uncompressed', () => {
    // 2×3 double [1 2 3; 4 5 6] → column-major 1 4 2 5 3 6, stored as miUINT8
    const file = cat(header(), matrix(6, [2, 3], 'A', [element(MI.UINT8, typed('u8', [1, 4, 2, 5, 3, 6]))]));
    const m = readMat(file, 'a.mat');
    const a = m.variables.get('A')!;
    expect(a.kind).toBe('numeric');
    if (a.kind !== 'numeric') return;
    expect(a.class).toBe('double');
    expect(a.data).toBeInstanceOf(Float64Array);
    expect(Array.from(a.data as Float64Array)).toEqual([1, 4, 2, 5, 3, 6]);
    const lm = matLabelMap(a);
    expect([lm.width, lm.height]).toEqual([3, 2]);
    expect(Array.from(lm.data)).toEqual([1, 2, 3, 4, 5, 6]); // row-major
  });

  it('reads compressed uint8, int16 small elements, complex doubles and char, in both byte orders', () => {
    for (const e of ['le', 'be'] as const) {
      const u8 = matrix(9, [1, 3], 'img', [element(MI.UINT8, typed('u8', [7, 8, 255], e), e)], { e });
      const i16 = matrix(10, [1, 2], 'k', [smallElement(MI.INT16, typed('i16', [-5, 300], e), e)], { e });
      const cplx = matrix(
        6,
        [1, 2],
        'z',
        [element(MI.DOUBLE, typed('f64', [1.5, -2], e), e), element(MI.DOUBLE, typed('f64', [0.25, 3], e), e)],
        {
          flags: 0x08,
          e,
        },
      );
      const chr = matrix(
        4,
        [1, 5],
        'name',
        [
          element(
            MI.UINT16,
            typed(
              'u16',
              [...'héllo'].map((c) => c.codePointAt(0)!),
              e,
            ),
            e,
          ),
        ],
        { e },
      );
      const file = cat(header(e), compressed(u8, e), i16, compressed(cplx, e), chr);
      const m = readMat(file, `x-${e}.mat`);
      expect(m.littleEndian).toBe(e === 'le');
      expect([...m.variables.keys()]).toEqual(['img', 'k', 'z', 'name']);
      const img = m.variables.get('img')!;
      expect(img.kind === 'numeric' && img.class).toBe('uint8');
      expect(img.kind === 'numeric' && Array.from(img.data as Uint8Array)).toEqual([7, 8, 255]);
      const k = m.variables.get('k')!;
      expect(k.kind === 'numeric' && k.class).toBe('int16');
      expect(k.kind === 'numeric' && Array.from(k.data as Int16Array)).toEqual([-5, 300]);
      const z = m.variables.get('z')!;
      expect(z.kind === 'numeric' && Array.from(z.data as Float64Array)).toEqual([1.5, -2]);
      expect(z.kind === 'numeric' && Array.from(z.imag as Float64Array)).toEqual([0.25, 3]);
      const name = m.variables.get('name')!;
      expect(name.kind === 'char' && name.value).toBe('héllo');
    }
  });

  it('reads a struct with numeric, cell and sparse logical fields (the SBD shape)', () => {
    // sparse 3×4 logical with non-zeros at (row 0, col 1), (row 2, col 1), (row 1, col 3)
    const sparse = matrix(
      5,
      [3, 4],
      '',
      [
        element(MI.INT32, typed('i32', [0, 2, 1])),
        element(MI.INT32, typed('i32', [0, 0, 2, 2, 3])),
        element(MI.UINT8, typed('u8', [1, 1, 1])),
      ],
      { flags: 0x02, nzmax: 3 },
    );
    const emptyCell = element(MI.MATRIX, new Uint8Array(0));
    const cell = matrix(1, [2, 1], '', [sparse, emptyCell]);
    const seg = matrix(9, [2, 2], '', [element(MI.UINT8, typed('u8', [0, 1, 2, 3]))]);
    const cats = matrix(6, [2, 1], '', [element(MI.DOUBLE, typed('f64', [15, 4]))]);
    const fieldLen = 32;
    const names = new Uint8Array(3 * fieldLen);
    ['Segmentation', 'Boundaries', 'Categories'].forEach((n, i) => {
      names.set(new TextEncoder().encode(n), i * fieldLen);
    });
    const struct = matrix(2, [1, 1], 'GTinst', [
      smallElement(MI.INT32, typed('i32', [fieldLen])),
      element(MI.INT8, names),
      seg,
      cell,
      cats,
    ]);
    const m = readMat(cat(header(), compressed(struct)), 'inst.mat');
    const s = m.variables.get('GTinst')!;
    expect(s.kind === 'struct' && s.fieldNames).toEqual(['Segmentation', 'Boundaries', 'Categories']);
    expect(matNumbers(matGet(m, 'GTinst.Categories'))).toEqual([15, 4]);
    expect(Array.from(matLabelMap(matGet(m, 'GTinst.Segmentation')).data)).toEqual([0, 2, 1, 3]);
    const b = matGet(m, 'GTinst.Boundaries');
    if (b.kind !== 'cell') throw new Error('expected cell');
    expect(b.cells[1]!.dims).toEqual([0, 0]);
    const sp = b.cells[0] as MatSparse;
    expect(sp.kind).toBe('sparse');
    const dense = matSparseToMask(sp);
    // row-major 3×4: (0,1), (2,1), (1,3) set
    const expected = new Uint8Array(12);
    expected[0 * 4 + 1] = 1;
    expected[2 * 4 + 1] = 1;
    expected[1 * 4 + 3] = 1;
    expect(Array.from(dense.data)).toEqual(Array.from(expected));
    expect(() => matGet(m, 'GTinst.Nope', 'inst.mat')).toThrow(/inst\.mat: struct GTinst has no field "Nope"/);
    expect(() => matGet(m, 'GTcls.Segmentation', 'inst.mat')).toThrow(/no variable "GTcls"/);
  });

  it('rejects corrupt, truncated and unsupported files with an error naming the file', () => {
    const good = cat(header(), compressed(matrix(9, [1, 3], 'a', [element(MI.UINT8, typed('u8', [1, 2, 3]))])));
    const bad = (bytes: Uint8Array, re: RegExp) => {
      let err: unknown;
      try {
        readMat(bytes, 'bad.mat');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ImageError);
      expect((err as ImageError).source).toBe('bad.mat');
      expect((err as Error).message).toMatch(re);
    };
    bad(good.subarray(0, 60), /not a Level 5 MAT-file/);
    bad(good.subarray(0, good.length - 5), /runs past the end/);
    const flipped = new Uint8Array(good);
    flipped[140] = flipped[140]! ^ 0xff; // inside the zlib stream
    bad(flipped, /corrupt MAT-file/);
    const noEndian = new Uint8Array(good);
    noEndian[126] = 0;
    bad(noEndian, /no endian indicator/);
    bad(cat(header('le', 0x0200, 'MATLAB 7.3 MAT-file'), new Uint8Array(8)), /v7\.3 \(HDF5\) is not supported/);
    bad(cat(header(), matrix(16, [1, 1], 'f', [])), /unsupported MATLAB array class 16/);
    bad(
      cat(header(), matrix(6, [2, 2], 'a', [element(MI.UINT8, typed('u8', [1, 2, 3]))])),
      /3 values for dimensions \[2×2\]/,
    );
    // the real fixture, truncated
    const real = readFileSync(`${SBD}inst/2008_000051.mat`);
    bad(new Uint8Array(real.subarray(0, real.length - 100)), /corrupt MAT-file/);
  });

  it('matLabelMap rejects values that are not labels', () => {
    const m = readMat(cat(header(), matrix(6, [1, 2], 'a', [element(MI.DOUBLE, typed('f64', [1, 2.5]))])), 'v.mat');
    expect(() => matLabelMap(m.variables.get('a')!, 'v.mat')).toThrow(/v\.mat: label value 2\.5/);
  });
});
