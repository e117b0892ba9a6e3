import { type Box, ImageError } from '@deconvnet/image';
import { requireVocClassIndex } from './classes.js';
import { child, childrenNamed, parseXml, type XmlElement } from './xml.js';

/** A VOC XML `<bndbox>` as written: 1-based inclusive pixel coordinates, possibly fractional. */
export interface VocBndBox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

export interface VocObject {
  /** Class name as written in the XML (lower-cased). */
  name: string;
  /** Label index 1..20 in {@link VOC_CLASSES}. */
  classIndex: number;
  /** The box in the continuous 0-based frame of `@deconvnet/image`: x = xmin − 1, width = xmax − xmin + 1. */
  box: Box;
  bndbox: VocBndBox;
  difficult: boolean;
  truncated: boolean;
  occluded: boolean;
  pose: string;
}

export interface VocAnnotation {
  filename: string;
  folder: string;
  /** From `<size>`; undefined when the XML has none (some VOC2011 action files). */
  width?: number;
  height?: number;
  depth?: number;
  segmented: boolean;
  /** In XML order: instance id k in SegmentationObject is objects[k − 1]. */
  objects: VocObject[];
}

function num(el: XmlElement | undefined, what: string, source: string): number {
  if (!el) throw new ImageError(source, `missing <${what}>`);
  const v = Number(el.text);
  if (el.text === '' || !Number.isFinite(v)) throw new ImageError(source, `<${what}> is not a number: "${el.text}"`);
  return v;
}

function optNum(el: XmlElement | undefined, what: string, source: string): number | undefined {
  return el ? num(el, what, source) : undefined;
}

function flag(el: XmlElement | undefined): boolean {
  if (!el) return false;
  const t = el.text.trim().toLowerCase();
  return t === '1' || t === 'true';
}

/** Parses a VOC annotation XML string; `source` (usually the file path) names the file in errors. */
export function parseVocAnnotation(xml: string, source = 'annotation'): VocAnnotation {
  const doc = parseXml(xml, source);
  if (doc.name !== 'annotation') throw new ImageError(source, `root element is <${doc.name}>, expected <annotation>`);
  const size = child(doc, 'size');
  const objects = childrenNamed(doc, 'object').map((o, k) => {
    const where = `${source} (object ${k + 1})`;
    const nameEl = child(o, 'name');
    if (!nameEl?.text) throw new ImageError(where, 'object has no <name>');
    const name = nameEl.text.trim().toLowerCase();
    const classIndex = requireVocClassIndex(name, where);
    const bb = child(o, 'bndbox');
    if (!bb) throw new ImageError(where, 'object has no <bndbox>');
    const bndbox = {
      xmin: num(child(bb, 'xmin'), 'xmin', where),
      ymin: num(child(bb, 'ymin'), 'ymin', where),
      xmax: num(child(bb, 'xmax'), 'xmax', where),
      ymax: num(child(bb, 'ymax'), 'ymax', where),
    };
    if (bndbox.xmax < bndbox.xmin || bndbox.ymax < bndbox.ymin) {
      throw new ImageError(where, `inverted bndbox (${bndbox.xmin},${bndbox.ymin})–(${bndbox.xmax},${bndbox.ymax})`);
    }
    return {
      name,
      classIndex,
      box: {
        x: bndbox.xmin - 1,
        y: bndbox.ymin - 1,
        width: bndbox.xmax - bndbox.xmin + 1,
        height: bndbox.ymax - bndbox.ymin + 1,
      },
      bndbox,
      difficult: flag(child(o, 'difficult')),
      truncated: flag(child(o, 'truncated')),
      occluded: flag(child(o, 'occluded')),
      pose: child(o, 'pose')?.text ?? 'Unspecified',
    };
  });
  return {
    filename: child(doc, 'filename')?.text ?? '',
    folder: child(doc, 'folder')?.text ?? '',
    width: size ? optNum(child(size, 'width'), 'width', source) : undefined,
    height: size ? optNum(child(size, 'height'), 'height', source) : undefined,
    depth: size ? optNum(child(size, 'depth'), 'depth', source) : undefined,
    segmented: flag(child(doc, 'segmented')),
    objects,
  };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes a VOC annotation XML (the inverse of {@link parseVocAnnotation}); boxes are written from `bndbox`. */
export function formatVocAnnotation(a: VocAnnotation): string {
  const lines = [
    '<annotation>',
    `\t<folder>${esc(a.folder)}</folder>`,
    `\t<filename>${esc(a.filename)}</filename>`,
    '\t<source>',
    '\t\t<database>deconvnet synthetic VOC</database>',
    '\t</source>',
  ];
  if (a.width !== undefined && a.height !== undefined) {
    lines.push(
      '\t<size>',
      `\t\t<width>${a.width}</width>`,
      `\t\t<height>${a.height}</height>`,
      `\t\t<depth>${a.depth ?? 3}</depth>`,
      '\t</size>',
    );
  }
  lines.push(`\t<segmented>${a.segmented ? 1 : 0}</segmented>`);
  for (const o of a.objects) {
    lines.push(
      '\t<object>',
      `\t\t<name>${esc(o.name)}</name>`,
      `\t\t<pose>${esc(o.pose)}</pose>`,
      `\t\t<truncated>${o.truncated ? 1 : 0}</truncated>`,
      `\t\t<occluded>${o.occluded ? 1 : 0}</occluded>`,
      `\t\t<difficult>${o.difficult ? 1 : 0}</difficult>`,
      '\t\t<bndbox>',
      `\t\t\t<xmin>${o.bndbox.xmin}</xmin>`,
      `\t\t\t<ymin>${o.bndbox.ymin}</ymin>`,
      `\t\t\t<xmax>${o.bndbox.xmax}</xmax>`,
      `\t\t\t<ymax>${o.bndbox.ymax}</ymax>`,
      '\t\t</bndbox>',
      '\t</object>',
    );
  }
  lines.push('</annotation>', '');
  return lines.join('\n');
}
