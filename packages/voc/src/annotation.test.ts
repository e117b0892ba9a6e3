import { readFileSync } from 'node:fs';
import { ImageError } from '@deconvnet/image';
import { describe, expect, it } from 'vitest';
import { formatVocAnnotation, parseVocAnnotation } from './annotation.js';
import { parseXml } from './xml.js';

const ANN = new URL('../../../../shared/fixtures/voc-mini/VOC2012/Annotations/', import.meta.url).pathname;

describe('parseXml', () => {
  it('parses elements, attributes, entities, CDATA and comments, skipping prolog and DOCTYPE', () => {
    const doc = parseXml(
      `\uFEFF<?xml version="1.0"?><!DOCTYPE a [<!ELEMENT a ANY>]><!-- c --><a x='1' y="&lt;2&gt;"><b>t &amp; &#65;&#x42;</b><c/><b><![CDATA[<raw>]]></b></a>`,
      'doc.xml',
    );
    expect(doc.name).toBe('a');
    expect(doc.attributes).toEqual({ x: '1', y: '<2>' });
    expect(doc.children.map((c) => c.name)).toEqual(['b', 'c', 'b']);
    expect(doc.children[0]!.text).toBe('t & AB');
    expect(doc.children[2]!.text).toBe('<raw>');
  });

  it('reports malformed XML with the source and line', () => {
    expect(() => parseXml('<a>\n<b></a>', 'bad.xml')).toThrow(
      /bad\.xml: malformed XML at line 2: closing tag <\/a> does not match <b>/,
    );
    expect(() => parseXml('<a><b>', 'bad.xml')).toThrow(/unclosed element <b>/);
    expect(() => parseXml('', 'bad.xml')).toThrow(/no root element/);
    expect(() => parseXml('<a>&bogus;</a>', 'bad.xml')).toThrow(/unknown XML entity/);
    expect(() => parseXml('<a/><b/>', 'bad.xml')).toThrow(/more than one root/);
  });
});

describe('parseVocAnnotation on the fixtures', () => {
  it('2007_000063: objects in XML order with flags, pose and the 1-based → 0-based box conversion', () => {
    const a = parseVocAnnotation(readFileSync(`${ANN}2007_000063.xml`, 'utf8'), '2007_000063.xml');
    expect(a).toMatchObject({
      filename: '2007_000063.jpg',
      folder: 'VOC2012',
      width: 500,
      height: 375,
      depth: 3,
      segmented: true,
    });
    expect(a.objects.map((o) => [o.name, o.classIndex, o.pose, o.truncated, o.difficult])).toEqual([
      ['dog', 12, 'Unspecified', false, false],
      ['chair', 9, 'Frontal', true, false],
    ]);
    expect(a.objects[0]!.bndbox).toEqual({ xmin: 123, ymin: 115, xmax: 379, ymax: 275 });
    // x = xmin − 1, width = xmax − xmin + 1 (the continuous frame of @deconvnet/image)
    expect(a.objects[0]!.box).toEqual({ x: 122, y: 114, width: 257, height: 161 });
    expect(a.objects[1]!.box).toEqual({ x: 74, y: 0, width: 354, height: 375 });
  });

  it('2011_003353: fractional bndbox, elements in any order, action fields ignored, not segmented', () => {
    const a = parseVocAnnotation(readFileSync(`${ANN}2011_003353.xml`, 'utf8'), '2011_003353.xml');
    expect(a.segmented).toBe(false);
    expect([a.width, a.height]).toEqual([375, 500]);
    expect(a.objects).toHaveLength(1);
    const o = a.objects[0]!;
    expect(o.name).toBe('person');
    expect(o.bndbox).toEqual({ xmin: 130, ymin: 45.70000076293945, xmax: 375, ymax: 470 });
    expect(o.box.y).toBeCloseTo(44.70000076293945, 12);
    expect(o.box.height).toBeCloseTo(470 - 45.70000076293945 + 1, 12);
  });

  it('round-trips through formatVocAnnotation', () => {
    const a = parseVocAnnotation(readFileSync(`${ANN}2007_000063.xml`, 'utf8'));
    const b = parseVocAnnotation(formatVocAnnotation(a));
    expect(b.objects).toEqual(a.objects);
    expect([b.width, b.height, b.segmented, b.filename]).toEqual([a.width, a.height, a.segmented, a.filename]);
  });

  it('rejects an unknown class, a missing or non-numeric box, naming the file and object', () => {
    const xml = (name: string, box = '<xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax>') =>
      `<annotation><object><name>dog</name><bndbox>${box.replace(/5/g, '9')}</bndbox></object><object><name>${name}</name><bndbox>${box}</bndbox></object></annotation>`;
    let err: unknown;
    try {
      parseVocAnnotation(xml('unicorn'), 'x.xml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImageError);
    expect((err as Error).message).toMatch(/^x\.xml \(object 2\): unknown VOC class "unicorn"/);
    expect(() =>
      parseVocAnnotation(xml('cat', '<xmin>a</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax>'), 'x.xml'),
    ).toThrow(/<xmin> is not a number/);
    expect(() => parseVocAnnotation(xml('cat', '<xmin>1</xmin><ymin>1</ymin><xmax>5</xmax>'), 'x.xml')).toThrow(
      /missing <ymax>/,
    );
    expect(() => parseVocAnnotation('<foo/>', 'x.xml')).toThrow(/root element is <foo>/);
    // case and whitespace in class names are tolerated, as in some VOC-style exports
    expect(parseVocAnnotation(xml(' Cat ')).objects[1]!.classIndex).toBe(8);
  });
});
