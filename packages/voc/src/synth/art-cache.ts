import { keepLargestComponent, renderSvg, type Sprite } from './sprite.js';

/**
 * Rasterising an emoji SVG for every pasted object dominated the generator's time, so each piece of art is rendered
 * once at {@link MASTER_SIZE} px (per 128-unit art box), kept as a premultiplied-alpha mip pyramid, and every
 * object is an affine warp of it (scale, rotation, stretch, flip) with bilinear sampling from the mip level just
 * above the target scale. Labels still come from the alpha of exactly the sprite that is composited.
 */
export const MASTER_SIZE = 384;

interface Level {
  size: number;
  /** Premultiplied RGBA, 0–255 (8 bits keep ~45 masters in ~35 MB; the rounding is below JPEG noise). */
  data: Uint8Array;
}

export interface ArtMaster {
  levels: Level[];
  /** Tight alpha box of the art in level-0 pixels: [x0, y0, x1, y1) (exclusive ends). */
  bounds: [number, number, number, number];
}

const masters = new Map<string, Promise<ArtMaster>>();

function toMaster(s: Sprite): ArtMaster {
  const n = s.width;
  const data = new Uint8Array(n * n * 4);
  let x0 = n;
  let y0 = n;
  let x1 = 0;
  let y1 = 0;
  for (let i = 0; i < n * n; i++) {
    const a = s.rgba[i * 4 + 3]!;
    const f = a / 255;
    data[i * 4] = Math.round(s.rgba[i * 4]! * f);
    data[i * 4 + 1] = Math.round(s.rgba[i * 4 + 1]! * f);
    data[i * 4 + 2] = Math.round(s.rgba[i * 4 + 2]! * f);
    data[i * 4 + 3] = a;
    if (a > 0) {
      const x = i % n;
      const y = (i - x) / n;
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x + 1 > x1) x1 = x + 1;
      if (y + 1 > y1) y1 = y + 1;
    }
  }
  const levels: Level[] = [{ size: n, data }];
  while (levels[levels.length - 1]!.size > 8) {
    const prev = levels[levels.length - 1]!;
    const m = prev.size >> 1;
    const out = new Uint8Array(m * m * 4);
    const src = prev.data;
    const row = prev.size * 4;
    for (let y = 0; y < m; y++) {
      for (let x = 0; x < m; x++) {
        const o = (y * m + x) * 4;
        const i = 2 * y * row + 2 * x * 4;
        for (let c = 0; c < 4; c++)
          out[o + c] = (src[i + c]! + src[i + 4 + c]! + src[i + row + c]! + src[i + row + 4 + c]!) * 0.25;
      }
    }
    levels.push({ size: m, data: out });
  }
  return { levels, bounds: x1 > x0 ? [x0, y0, x1, y1] : [0, 0, n, n] };
}

/** The cached master of one piece of art (`key` identifies `body`). */
export function artMaster(key: string, body: string, largestComponentOnly = false): Promise<ArtMaster> {
  let m = masters.get(key);
  if (!m) {
    // the 128-unit art box spans exactly MASTER_SIZE px; warpArt handles rotation, so no margin is needed
    m = renderSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${MASTER_SIZE}" height="${MASTER_SIZE}" viewBox="0 0 128 128">${body}</svg>`,
    ).then((s) => toMaster(largestComponentOnly ? keepLargestComponent(s) : s));
    masters.set(key, m);
    m.catch(() => masters.delete(key));
  }
  return m;
}

export interface WarpPose {
  /** Longer side of the art's tight box after scaling, before rotation (pixels). */
  longSide: number;
  /** Degrees, clockwise. */
  rotation: number;
  scaleX: number;
  scaleY: number;
  flip: boolean;
}

/** Warps a master into a straight-alpha sprite cropped to its content (null if nothing is left). */
export function warpArt(master: ArtMaster, pose: WarpPose): Sprite | null {
  const [bx0, by0, bx1, by1] = master.bounds;
  const base = pose.longSide / Math.max(bx1 - bx0, by1 - by0); // level-0 px → output px
  const sx = base * pose.scaleX * (pose.flip ? -1 : 1);
  const sy = base * pose.scaleY;
  const th = (pose.rotation * Math.PI) / 180;
  const cos = Math.cos(th);
  const sin = Math.sin(th);
  const cx = (bx0 + bx1) / 2;
  const cy = (by0 + by1) / 2;
  // forward map of the tight box corners → output extent
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [px, py] of [
    [bx0, by0],
    [bx1, by0],
    [bx0, by1],
    [bx1, by1],
  ] as const) {
    const u = (px - cx) * sx;
    const v = (py - cy) * sy;
    const X = u * cos - v * sin;
    const Y = u * sin + v * cos;
    minX = Math.min(minX, X);
    maxX = Math.max(maxX, X);
    minY = Math.min(minY, Y);
    maxY = Math.max(maxY, Y);
  }
  const W = Math.max(1, Math.ceil(maxX - minX) + 2);
  const H = Math.max(1, Math.ceil(maxY - minY) + 2);
  const ox = minX - 1;
  const oy = minY - 1;
  // pick the mip level whose resolution is just above the output's (so bilinear never skips texels)
  const shrink = 1 / Math.max(1e-6, Math.min(Math.abs(sx), Math.abs(sy)));
  let li = 0;
  while (li + 1 < master.levels.length && 2 ** (li + 1) <= shrink) li++;
  const lev = master.levels[li]!;
  const f = 2 ** li;
  const n = lev.size;
  const src = lev.data;
  const rgba = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // inverse map the output pixel centre into level-0, then level-li texel coordinates
      const X = x + 0.5 + ox;
      const Y = y + 0.5 + oy;
      const u = (X * cos + Y * sin) / sx;
      const v = (-X * sin + Y * cos) / sy;
      const tx = (u + cx) / f - 0.5;
      const ty = (v + cy) / f - 0.5;
      const ix = Math.floor(tx);
      const iy = Math.floor(ty);
      if (ix < -1 || iy < -1 || ix >= n || iy >= n) continue;
      const ax = tx - ix;
      const ay = ty - iy;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let k = 0; k < 4; k++) {
        const xx = ix + (k & 1);
        const yy = iy + (k >> 1);
        if (xx < 0 || yy < 0 || xx >= n || yy >= n) continue;
        const w = (k & 1 ? ax : 1 - ax) * (k >> 1 ? ay : 1 - ay);
        const o = (yy * n + xx) * 4;
        r += src[o]! * w;
        g += src[o + 1]! * w;
        b += src[o + 2]! * w;
        a += src[o + 3]! * w;
      }
      if (a < 0.5) continue;
      const o = (y * W + x) * 4;
      const inv = 255 / a;
      rgba[o] = Math.min(255, Math.round(r * inv));
      rgba[o + 1] = Math.min(255, Math.round(g * inv));
      rgba[o + 2] = Math.min(255, Math.round(b * inv));
      rgba[o + 3] = Math.min(255, Math.round(a));
    }
  }
  return { width: W, height: H, rgba };
}
