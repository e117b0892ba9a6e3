// Shared by the tests only (excluded from the published files).
import { type Box, createRgbImage, type RgbImage } from '@deconvnet/image';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Shape {
  kind: 'ellipse' | 'rect';
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  /** rotation in radians */
  angle: number;
  color: [number, number, number];
}

function inside(s: Shape, px: number, py: number): boolean {
  const c = Math.cos(s.angle);
  const si = Math.sin(s.angle);
  const dx = px - s.cx;
  const dy = py - s.cy;
  const u = (c * dx + si * dy) / s.rx;
  const v = (-si * dx + c * dy) / s.ry;
  return s.kind === 'ellipse' ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
}

/** Draws shapes (4×4 supersampled) over a flat background with mild seeded noise. */
export function drawScene(
  width: number,
  height: number,
  shapes: Shape[],
  bg: [number, number, number],
  seed = 1,
): RgbImage {
  const img = createRgbImage(width, height);
  const r = rng(seed);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const acc = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const px = x + (sx + 0.5) / 4;
          const py = y + (sy + 0.5) / 4;
          let col = bg;
          for (const s of shapes) if (inside(s, px, py)) col = s.color;
          for (let c = 0; c < 3; c++) acc[c]! += col[c]!;
        }
      }
      for (let c = 0; c < 3; c++) {
        const v = acc[c]! / 16 + (r() - 0.5) * 6;
        img.data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return img;
}

/** Tight pixel box of a shape (0-based continuous frame, integral). */
export function shapeBox(s: Shape, width: number, height: number): Box {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (inside(s, x + 0.5, y + 0.5)) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** VOC XML <bndbox> entries → Boxes (1-based inclusive → 0-based continuous), parsed without the voc package. */
export function vocXmlBoxes(xml: string): Box[] {
  const out: Box[] = [];
  for (const m of xml.matchAll(/<bndbox>([\s\S]*?)<\/bndbox>/g)) {
    const get = (k: string) => Number(new RegExp(`<${k}>([^<]+)</${k}>`).exec(m[1]!)![1]);
    const xmin = get('xmin');
    const ymin = get('ymin');
    out.push({ x: xmin - 1, y: ymin - 1, width: get('xmax') - xmin + 1, height: get('ymax') - ymin + 1 });
  }
  return out;
}

export const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url);
