import type { LabelMap, RgbImage } from '@deconvnet/image';
import { VOC_CLASSES } from '../classes.js';
import { artMaster, warpArt } from './art-cache.js';
import { clutterSvg, paintBackground } from './background.js';
import { CLASS_ART, DISTRACTOR_CODEPOINTS } from './catalog.js';
import { ART_CANVAS_UNITS, cropToAlpha, posedSvg, renderSvg, type Sprite } from './sprite.js';
import { diningTableSvgBody } from './table.js';
import { voidBand } from './void-band.js';

type Rng = () => number;

/** Scene parameters (all have VOC-like defaults; see generateSyntheticVoc). */
export interface SceneOptions {
  width: number;
  height: number;
  /** Objects per image, inclusive range (default 1–5). */
  minObjects?: number;
  maxObjects?: number;
  /** Object size (longer side of its tight box) as a fraction of the shorter image side, log-uniform (default 0.05–0.9). */
  minScale?: number;
  maxScale?: number;
  /** Non-VOC clutter emoji behind the objects (default up to 4) and the chance of one in front (default 0.3). */
  maxDistractors?: number;
  frontDistractorChance?: number;
  /** Geometric clutter shapes in the background (default up to 24). */
  maxClutterShapes?: number;
  /** Void (255) band radius in pixels: a pixel is void when another instance or background lies within this Chebyshev distance (default 2; 0 = none). */
  voidBand?: number;
  /** An object must keep this fraction of its pixels visible under later occluders (default 0.35). */
  minVisible?: number;
  /** Restrict to these class indices (1..20; default all). */
  classes?: readonly number[];
  /** 'all' (default): every listed emoji variant of a class; 'best': only the first. */
  variants?: 'all' | 'best';
  /** Strength of per-object and global colour/brightness jitter (default 1; 0 = none). */
  jitter?: number;
}

/** One labelled object of a generated scene, in XML / instance-id order. */
export interface SceneObject {
  classIndex: number;
  className: string;
  /** Where the art came from: a Noto codepoint or "procedural-table". */
  art: string;
  /** Tight box of the visible mask before the void band: 0-based inclusive pixel columns/rows. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  truncated: boolean;
  occluded: boolean;
}

export interface Scene {
  image: RgbImage;
  classLabel: LabelMap;
  objectLabel: LabelMap;
  objects: SceneObject[];
}

async function renderArt(
  body: string,
  key: string,
  longSide: number,
  rng: Rng,
  largestOnly: boolean,
  tilt: number,
): Promise<Sprite | null> {
  const stretch = Math.exp((rng() - 0.5) * 0.35);
  const rotation = (rng() - 0.5) * 2 * tilt;
  const flip = rng() < 0.5;
  if (key === 'procedural-table') {
    // drawn fresh for every table: rasterised directly
    const s = await renderSvg(
      posedSvg(body, {
        size: Math.max(4, Math.ceil((longSide * ART_CANVAS_UNITS) / (0.85 * 128))),
        rotation,
        scaleX: Math.sqrt(stretch),
        scaleY: 1 / Math.sqrt(stretch),
        flip,
      }),
    );
    return cropToAlpha(s);
  }
  const master = await artMaster(key, body, largestOnly);
  return cropToAlpha(
    warpArt(master, { longSide, rotation, scaleX: Math.sqrt(stretch), scaleY: 1 / Math.sqrt(stretch), flip }) ?? {
      width: 0,
      height: 0,
      rgba: new Uint8Array(0),
    },
  );
}

function logUniform(rng: Rng, lo: number, hi: number): number {
  return Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)));
}

interface Layer {
  sprite: Sprite;
  x: number;
  y: number;
  /** Instance id (1..) for objects, 0 for a front distractor (labelled background). */
  id: number;
  gain: [number, number, number];
  contrast: number;
}

function colourJitter(rng: Rng, strength: number): { gain: [number, number, number]; contrast: number } {
  const b = 1 + (rng() - 0.5) * 0.5 * strength;
  const ch = () => b * (1 + (rng() - 0.5) * 0.2 * strength);
  return { gain: [ch(), ch(), ch()], contrast: 1 + (rng() - 0.5) * 0.4 * strength };
}

function paint(canvas: Float32Array, W: number, H: number, l: Layer): void {
  const { sprite: s, x: ox, y: oy } = l;
  const [g0, g1, g2] = l.gain;
  const k = l.contrast;
  for (let sy = 0; sy < s.height; sy++) {
    const y = oy + sy;
    if (y < 0 || y >= H) continue;
    for (let sx = 0; sx < s.width; sx++) {
      const x = ox + sx;
      if (x < 0 || x >= W) continue;
      const si = (sy * s.width + sx) * 4;
      const a = s.rgba[si + 3]! / 255;
      if (a === 0) continue;
      const ci = (y * W + x) * 3;
      canvas[ci] = canvas[ci]! * (1 - a) + ((s.rgba[si]! - 128) * k + 128) * g0 * a;
      canvas[ci + 1] = canvas[ci + 1]! * (1 - a) + ((s.rgba[si + 1]! - 128) * k + 128) * g1 * a;
      canvas[ci + 2] = canvas[ci + 2]! * (1 - a) + ((s.rgba[si + 2]! - 128) * k + 128) * g2 * a;
    }
  }
}

/** Sprite-local coordinates of the opaque pixels (alpha ≥ 128: the exact-mask rule). */
function opaqueOffsets(s: Sprite): { xs: Int32Array; ys: Int32Array } {
  let n = 0;
  for (let i = 3; i < s.rgba.length; i += 4) if (s.rgba[i]! >= 128) n++;
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  let k = 0;
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      if (s.rgba[(y * s.width + x) * 4 + 3]! >= 128) {
        xs[k] = x;
        ys[k++] = y;
      }
    }
  }
  return { xs, ys };
}

/**
 * Generates one synthetic VOC scene: textured background and clutter, non-VOC distractors, 1–5 VOC objects at very
 * different scales with occlusion, colour jitter, exact labels from alpha (≥ 128) with a void band, and instance ids
 * in back-to-front = XML order. Deterministic for a given rng stream.
 */
export async function generateScene(rng: Rng, bodies: Map<string, string>, o: SceneOptions): Promise<Scene> {
  const W = o.width;
  const H = o.height;
  const minObjects = o.minObjects ?? 1;
  const maxObjects = o.maxObjects ?? 5;
  const minScale = o.minScale ?? 0.05;
  const maxScale = o.maxScale ?? 0.9;
  const band = o.voidBand ?? 2;
  const minVisible = o.minVisible ?? 0.35;
  const jitter = o.jitter ?? 1;
  const classes = (o.classes ?? CLASS_ART.map((a) => a.classIndex)).map((c) => CLASS_ART[c - 1]!);
  const short = Math.min(W, H);
  const minPixels = Math.max(3, (2 * band + 1) * 2);
  const minSide = Math.max(8, 4 * band + 6);

  // 1. background, clutter shapes, distractors behind everything
  const canvas = paintBackground(rng, W, H);
  const nClutter = Math.floor(rng() * ((o.maxClutterShapes ?? 24) + 1));
  if (nClutter > 0) {
    const layer = await renderSvg(clutterSvg(rng, W, H, nClutter));
    paint(canvas, W, H, { sprite: layer, x: 0, y: 0, id: 0, gain: [1, 1, 1], contrast: 1 });
  }
  const pickDistractor = () => DISTRACTOR_CODEPOINTS[Math.floor(rng() * DISTRACTOR_CODEPOINTS.length)]!;
  const nBack = Math.floor(rng() * ((o.maxDistractors ?? 4) + 1));
  for (let k = 0; k < nBack; k++) {
    const cp = pickDistractor();
    const side = Math.max(6, logUniform(rng, 0.05, 0.4) * short);
    const s = await renderArt(bodies.get(cp)!, cp, side, rng, false, 25);
    if (!s) continue;
    const x = Math.round(rng() * (W + s.width * 0.5) - s.width * 0.75);
    const y = Math.round(rng() * (H + s.height * 0.5) - s.height * 0.75);
    paint(canvas, W, H, { sprite: s, x, y, id: 0, ...colourJitter(rng, jitter) });
  }

  // 2. objects: sizes log-uniform over the scale range, drawn back to front (mostly large first)
  const n = minObjects + Math.floor(rng() * (maxObjects - minObjects + 1));
  const wanted: { art: (typeof CLASS_ART)[number]; side: number }[] = [];
  for (let k = 0; k < n; k++) {
    wanted.push({
      art: classes[Math.floor(rng() * classes.length)]!,
      side: Math.max(minSide, logUniform(rng, minScale, maxScale) * short),
    });
  }
  wanted.sort((a, b) => b.side - a.side);
  for (let k = 0; k + 1 < wanted.length; k++) {
    if (rng() < 0.25) [wanted[k], wanted[k + 1]] = [wanted[k + 1]!, wanted[k]!];
  }

  const inst = new Uint8Array(W * H);
  const cls = new Uint8Array(W * H);
  const fullArea: number[] = [0];
  const visible: number[] = [0];
  const placed: { classIndex: number; art: string; truncated: boolean }[] = [];

  /** Tries positions until no earlier object drops under minVisible; returns the image pixels to claim, or null. */
  const place = (s: Sprite, maxTries: number, truncatable: boolean) => {
    const { xs, ys } = opaqueOffsets(s);
    const total = xs.length;
    const buf = new Int32Array(total);
    const covered = new Int32Array(256);
    for (let t = 0; t < maxTries; t++) {
      const spanX = truncatable ? [-0.25 * s.width, W - 0.75 * s.width] : [0, W - s.width];
      const spanY = truncatable ? [-0.25 * s.height, H - 0.75 * s.height] : [0, H - s.height];
      const x = Math.round(spanX[1]! >= spanX[0]! ? spanX[0]! + rng() * (spanX[1]! - spanX[0]!) : (W - s.width) / 2);
      const y = Math.round(spanY[1]! >= spanY[0]! ? spanY[0]! + rng() * (spanY[1]! - spanY[0]!) : (H - s.height) / 2);
      let n = 0;
      covered.fill(0);
      for (let k = 0; k < total; k++) {
        const px = x + xs[k]!;
        const py = y + ys[k]!;
        if (px < 0 || px >= W || py < 0 || py >= H) continue;
        const p = py * W + px;
        buf[n++] = p;
        covered[inst[p]!]!++;
      }
      if (n < minPixels || n < 0.5 * total) continue;
      let ok = true;
      for (let id = 1; id < visible.length && ok; id++) {
        if (!covered[id]) continue;
        const left = visible[id]! - covered[id]!;
        if (left < minVisible * fullArea[id]! || left < minPixels) ok = false;
      }
      if (ok) return { x, y, inside: buf.subarray(0, n), truncated: n < total };
    }
    return null;
  };

  for (const w of wanted) {
    const { art } = w;
    let body: string;
    let key: string;
    if (art.codepoints.length === 0) {
      body = diningTableSvgBody(rng);
      key = 'procedural-table';
    } else {
      const pool = o.variants === 'best' ? art.codepoints.slice(0, 1) : art.codepoints;
      key = pool[Math.floor(rng() * pool.length)]!;
      body = bodies.get(key)!;
    }
    const sprite = await renderArt(
      body,
      key,
      w.side,
      rng,
      !!art.largestComponentOnly && key === '1f37e',
      key === 'procedural-table' ? 6 : 15,
    );
    if (!sprite) continue;
    const spot = place(sprite, 25, sprite.width > W * 0.3 || sprite.height > H * 0.3);
    if (!spot) continue;
    const id = placed.length + 1;
    const jit = colourJitter(rng, jitter);
    paint(canvas, W, H, { sprite, x: spot.x, y: spot.y, id, ...jit });
    for (const p of spot.inside) {
      const prev = inst[p]!;
      if (prev) visible[prev]!--;
      inst[p] = id;
      cls[p] = art.classIndex;
    }
    fullArea.push(spot.inside.length);
    visible.push(spot.inside.length);
    placed.push({ classIndex: art.classIndex, art: key, truncated: spot.truncated });
  }

  // 3. sometimes a distractor in front: it occludes objects and is labelled background
  if (placed.length && rng() < (o.frontDistractorChance ?? 0.3)) {
    const cp = pickDistractor();
    const s = await renderArt(
      bodies.get(cp)!,
      cp,
      Math.max(minSide, logUniform(rng, 0.08, 0.3) * short),
      rng,
      false,
      25,
    );
    const spot = s && place(s, 10, false);
    if (s && spot) {
      paint(canvas, W, H, { sprite: s, x: spot.x, y: spot.y, id: 0, ...colourJitter(rng, jitter) });
      for (const p of spot.inside) {
        const prev = inst[p]!;
        if (prev) visible[prev]!--;
        inst[p] = 0;
        cls[p] = 0;
      }
    }
  }

  // 4. boxes from the visible masks (before the void band), then the band, then drop objects the band swallowed
  const nPlaced = placed.length;
  const bx0 = new Int32Array(nPlaced + 1).fill(W);
  const by0 = new Int32Array(nPlaced + 1).fill(H);
  const bx1 = new Int32Array(nPlaced + 1).fill(-1);
  const by1 = new Int32Array(nPlaced + 1).fill(-1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const id = inst[y * W + x]!;
      if (!id) continue;
      if (x < bx0[id]!) bx0[id] = x;
      if (x > bx1[id]!) bx1[id] = x;
      if (y < by0[id]!) by0[id] = y;
      if (y > by1[id]!) by1[id] = y;
    }
  }
  const isVoid = voidBand({ width: W, height: H, data: inst }, band);
  const kept = new Int32Array(nPlaced + 1);
  for (let i = 0; i < inst.length; i++) if (!isVoid[i] && inst[i]) kept[inst[i]!]!++;
  const remap = new Uint8Array(nPlaced + 1);
  const objects: SceneObject[] = [];
  for (let id = 1; id <= nPlaced; id++) {
    if (kept[id]! === 0) continue;
    const p = placed[id - 1]!;
    objects.push({
      classIndex: p.classIndex,
      className: VOC_CLASSES[p.classIndex]!,
      art: p.art,
      x0: bx0[id]!,
      y0: by0[id]!,
      x1: bx1[id]!,
      y1: by1[id]!,
      truncated: p.truncated,
      occluded: visible[id]! < fullArea[id]!,
    });
    remap[id] = objects.length;
  }
  for (let i = 0; i < inst.length; i++) {
    if (isVoid[i]) {
      inst[i] = 255;
      cls[i] = 255;
    } else if (inst[i]) inst[i] = remap[inst[i]!]!;
  }

  // 5. global photometric jitter and sensor noise, then quantise
  const gain = 1 + (rng() - 0.5) * 0.3 * jitter;
  const gamma = 1 + (rng() - 0.5) * 0.4 * jitter;
  const sigma = rng() * 4 * jitter;
  // Tone curve as a lookup table over quarter levels (Math.pow per sample dominated the generator's time).
  const lut = new Float32Array(4 * 512);
  for (let k = 0; k < lut.length; k++) lut[k] = 255 * (k / 4 / 255) ** gamma * gain;
  // Triangular noise from a small seeded table walked with a stride, instead of two rng() calls per sample.
  const noise = new Float32Array(4096);
  for (let k = 0; k < noise.length; k++) noise[k] = (rng() + rng() - 1) * sigma * 1.7;
  let pos = Math.floor(rng() * 4096);
  const stride = 1 + 2 * Math.floor(rng() * 1000); // odd: visits the whole table
  const data = new Uint8Array(W * H * 3);
  for (let i = 0; i < data.length; i++) {
    const c = canvas[i]!;
    const q = c <= 0 ? 0 : c >= 511 ? lut.length - 1 : (c * 4) | 0;
    pos = (pos + stride) & 4095;
    const v = lut[q]! + noise[pos]!;
    data[i] = v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0;
  }
  return {
    image: { width: W, height: H, data },
    classLabel: { width: W, height: H, data: cls },
    objectLabel: { width: W, height: H, data: inst },
    objects,
  };
}
