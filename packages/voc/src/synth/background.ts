/**
 * Procedural textured backgrounds (no VOC class): fractal value noise blended between random colours, in one of
 * four layouts (mottled, horizon, planks/stripes, tiles), plus an SVG layer of random geometric clutter.
 * Everything is driven by the caller's seeded rng.
 */

type Rng = () => number;
type Rgb = [number, number, number];

function randomColour(rng: Rng): Rgb {
  // HSV with moderate saturation: natural-ish, but also the odd vivid wall.
  const h = rng() * 6;
  const s = rng() < 0.8 ? 0.1 + rng() * 0.45 : 0.6 + rng() * 0.4;
  const v = 0.25 + rng() * 0.7;
  const i = Math.floor(h);
  const f = h - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const rgb: Rgb[] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  const c = rgb[i % 6]!;
  return [c[0] * 255, c[1] * 255, c[2] * 255];
}

/** Smooth value noise in [0, 1] with lattice spacing `cell` pixels. */
export function valueNoise(rng: Rng, width: number, height: number, cell: number): Float32Array {
  const c = Math.max(1, cell);
  const gw = Math.ceil(width / c) + 2;
  const gh = Math.ceil(height / c) + 2;
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = rng();
  const out = new Float32Array(width * height);
  const wx = new Float32Array(width);
  const ix = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const f = x / c;
    ix[x] = Math.floor(f);
    const t = f - ix[x]!;
    wx[x] = t * t * (3 - 2 * t);
  }
  for (let y = 0; y < height; y++) {
    const f = y / c;
    const iy = Math.floor(f);
    let t = f - iy;
    t = t * t * (3 - 2 * t);
    const r0 = iy * gw;
    const r1 = r0 + gw;
    for (let x = 0; x < width; x++) {
      const i = ix[x]!;
      const u = wx[x]!;
      const a = grid[r0 + i]! + (grid[r0 + i + 1]! - grid[r0 + i]!) * u;
      const b = grid[r1 + i]! + (grid[r1 + i + 1]! - grid[r1 + i]!) * u;
      out[y * width + x] = a + (b - a) * t;
    }
  }
  return out;
}

/** Fractal (multi-octave) value noise in [0, 1]. */
export function fractalNoise(rng: Rng, width: number, height: number, baseCell: number, octaves = 4): Float32Array {
  const out = new Float32Array(width * height);
  let amp = 0.5;
  let cell = baseCell;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const n = valueNoise(rng, width, height, cell);
    for (let i = 0; i < out.length; i++) out[i]! += amp * n[i]!;
    total += amp;
    amp *= 0.5;
    cell = Math.max(1.5, cell / 2.5);
  }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

function mix(out: Float32Array, i: number, a: Rgb, b: Rgb, t: number, shadeBy: number): void {
  out[i * 3] = (a[0] + (b[0] - a[0]) * t) * shadeBy;
  out[i * 3 + 1] = (a[1] + (b[1] - a[1]) * t) * shadeBy;
  out[i * 3 + 2] = (a[2] + (b[2] - a[2]) * t) * shadeBy;
}

/** Paints a textured background into a float RGB canvas (0–255, HWC). */
export function paintBackground(rng: Rng, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const side = Math.max(width, height);
  const kind = Math.floor(rng() * 4);
  const a = randomColour(rng);
  const b = randomColour(rng);
  const tex = fractalNoise(rng, width, height, side / (2 + rng() * 4), 4);
  const fine = fractalNoise(rng, width, height, 2 + rng() * 6, 2);
  const grain = 0.85 + rng() * 0.1;
  if (kind === 0) {
    // mottled: two colours through fractal noise (grass, sand, walls, carpet)
    for (let i = 0; i < width * height; i++) mix(out, i, a, b, tex[i]!, grain + (1 - grain) * 2 * fine[i]!);
  } else if (kind === 1) {
    // horizon: a smooth "sky" gradient above a textured "ground", wavy boundary
    const sky0 = randomColour(rng);
    const sky1 = randomColour(rng);
    const h0 = height * (0.25 + rng() * 0.45);
    const wave = fractalNoise(rng, width, 1, width / 3, 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (y < h0 + (wave[x]! - 0.5) * height * 0.2) mix(out, i, sky0, sky1, y / height, 0.95 + 0.1 * fine[i]!);
        else mix(out, i, a, b, tex[i]!, grain + (1 - grain) * 2 * fine[i]!);
      }
    }
  } else if (kind === 2) {
    // planks / stripes at a random angle, perturbed by noise (wood, fabric, blinds)
    const ang = rng() * Math.PI;
    const ca = Math.cos(ang);
    const sa = Math.sin(ang);
    const period = 6 + rng() * side * 0.08;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const u = (x * ca + y * sa) / period + tex[i]! * 3;
        const t = 0.5 + 0.5 * Math.sin(u * Math.PI * 2);
        mix(out, i, a, b, t * 0.7 + fine[i]! * 0.3, 1);
      }
    }
  } else {
    // tiles: a grid of slightly varying tiles with darker grout
    const tile = 8 + rng() * side * 0.12;
    const grout = Math.max(1, tile * 0.08);
    const jitter = valueNoise(rng, width, height, tile * 0.999);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        const gx = x % tile;
        const gy = y % tile;
        const isGrout = gx < grout || gy < grout;
        mix(out, i, a, b, isGrout ? 1 : jitter[i]! * 0.5 + fine[i]! * 0.2, isGrout ? 0.6 : 1);
      }
    }
  }
  // slow illumination gradient
  const gx = (rng() - 0.5) * 0.5;
  const gy = (rng() - 0.5) * 0.5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const f = 1 + gx * (x / width - 0.5) + gy * (y / height - 0.5);
      const i = (y * width + x) * 3;
      out[i]! *= f;
      out[i + 1]! *= f;
      out[i + 2]! *= f;
    }
  }
  return out;
}

function hex(c: Rgb): string {
  return `rgb(${c.map((v) => Math.max(0, Math.min(255, Math.round(v)))).join(',')})`;
}

/** An SVG (width×height) of random geometric clutter: rectangles, ellipses, polygons and strokes. */
export function clutterSvg(rng: Rng, width: number, height: number, count: number): string {
  const side = Math.max(width, height);
  const shapes: string[] = [];
  for (let k = 0; k < count; k++) {
    const x = rng() * width;
    const y = rng() * height;
    const s = side * (0.02 + rng() * rng() * 0.3);
    const fill = hex(randomColour(rng));
    const op = (0.3 + rng() * 0.7).toFixed(2);
    const t = rng();
    if (t < 0.3) {
      shapes.push(
        `<rect x="${(x - s / 2).toFixed(1)}" y="${(y - s / 3).toFixed(1)}" width="${s.toFixed(1)}" height="${(s * (0.3 + rng())).toFixed(1)}" fill="${fill}" opacity="${op}" transform="rotate(${(rng() * 90 - 45).toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})"/>`,
      );
    } else if (t < 0.6) {
      shapes.push(
        `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="${(s / 2).toFixed(1)}" ry="${((s / 2) * (0.3 + rng() * 0.9)).toFixed(1)}" fill="${fill}" opacity="${op}"/>`,
      );
    } else if (t < 0.85) {
      const n = 3 + Math.floor(rng() * 5);
      const pts: string[] = [];
      for (let j = 0; j < n; j++) {
        const ang = (j / n) * Math.PI * 2 + rng() * 0.5;
        const r = (s / 2) * (0.5 + rng() * 0.5);
        pts.push(`${(x + Math.cos(ang) * r).toFixed(1)},${(y + Math.sin(ang) * r).toFixed(1)}`);
      }
      shapes.push(`<polygon points="${pts.join(' ')}" fill="${fill}" opacity="${op}"/>`);
    } else {
      const x2 = x + (rng() - 0.5) * s * 3;
      const y2 = y + (rng() - 0.5) * s * 3;
      shapes.push(
        `<line x1="${x.toFixed(1)}" y1="${y.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${fill}" stroke-width="${(1 + rng() * s * 0.1).toFixed(1)}" opacity="${op}"/>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${shapes.join('')}</svg>`;
}
