/**
 * `diningtable` has no emoji in Unicode 16 (shared/reference/data.md §2.3): it is drawn procedurally as an SVG in the
 * same 128-unit box and flat cartoon style as the Noto art — a tabletop seen slightly from above, its front edge and
 * legs, optionally a tablecloth and plates/cups on top (on VOC tables these are labelled diningtable too). The mask
 * comes from the rendered alpha exactly as for the emoji.
 */

const WOODS = ['#8d5a2b', '#a0652f', '#6d4222', '#c58b4d', '#d9b27c', '#5b3a1e', '#eeeeee', '#7a7a7a'];
const CLOTHS = ['#f5f5f5', '#d84a4a', '#4a78d8', '#f2d16b', '#6fbf73', '#e8e0c8'];

function shade(hex: string, f: number): string {
  const v = Number.parseInt(hex.slice(1), 16);
  const c = (s: number) => Math.max(0, Math.min(255, Math.round(((v >> s) & 255) * f)));
  return `rgb(${c(16)},${c(8)},${c(0)})`;
}

export function diningTableSvgBody(rng: () => number): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rng() * a.length)]!;
  const wood = pick(WOODS);
  const left = 6 + rng() * 8;
  const right = 122 - rng() * 8;
  const topY = 30 + rng() * 14; // back edge of the top
  const depth = 14 + rng() * 16; // visible depth of the top (perspective)
  const inset = 6 + rng() * 10; // back edge is shorter: perspective
  const frontY = topY + depth;
  const edge = 4 + rng() * 4;
  const legW = 4 + rng() * 5;
  const legBottom = Math.min(124, frontY + edge + 40 + rng() * 30);
  const oval = rng() < 0.3;
  const parts: string[] = [];
  // back legs (behind the top, partly visible)
  const backLegBottom = legBottom - depth * 0.8;
  parts.push(
    `<rect x="${(left + inset + 3).toFixed(2)}" y="${topY.toFixed(2)}" width="${(legW * 0.8).toFixed(2)}" height="${(backLegBottom - topY).toFixed(2)}" fill="${shade(wood, 0.6)}"/>`,
    `<rect x="${(right - inset - 3 - legW * 0.8).toFixed(2)}" y="${topY.toFixed(2)}" width="${(legW * 0.8).toFixed(2)}" height="${(backLegBottom - topY).toFixed(2)}" fill="${shade(wood, 0.6)}"/>`,
  );
  // front legs
  parts.push(
    `<rect x="${(left + 2).toFixed(2)}" y="${frontY.toFixed(2)}" width="${legW.toFixed(2)}" height="${(legBottom - frontY).toFixed(2)}" fill="${shade(wood, 0.8)}"/>`,
    `<rect x="${(right - 2 - legW).toFixed(2)}" y="${frontY.toFixed(2)}" width="${legW.toFixed(2)}" height="${(legBottom - frontY).toFixed(2)}" fill="${shade(wood, 0.8)}"/>`,
  );
  if (oval) {
    const cx = (left + right) / 2;
    const cy = topY + depth / 2;
    const rx = (right - left) / 2;
    const ry = depth / 2;
    parts.push(
      `<ellipse cx="${cx.toFixed(2)}" cy="${(cy + edge).toFixed(2)}" rx="${rx.toFixed(2)}" ry="${ry.toFixed(2)}" fill="${shade(wood, 0.7)}"/>`,
      `<rect x="${left.toFixed(2)}" y="${cy.toFixed(2)}" width="${(right - left).toFixed(2)}" height="${edge.toFixed(2)}" fill="${shade(wood, 0.7)}"/>`,
      `<ellipse cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" rx="${rx.toFixed(2)}" ry="${ry.toFixed(2)}" fill="${wood}"/>`,
    );
  } else {
    parts.push(
      `<rect x="${left.toFixed(2)}" y="${frontY.toFixed(2)}" width="${(right - left).toFixed(2)}" height="${edge.toFixed(2)}" fill="${shade(wood, 0.7)}"/>`,
      `<polygon points="${(left + inset).toFixed(2)},${topY.toFixed(2)} ${(right - inset).toFixed(2)},${topY.toFixed(2)} ${right.toFixed(2)},${frontY.toFixed(2)} ${left.toFixed(2)},${frontY.toFixed(2)}" fill="${wood}"/>`,
    );
  }
  if (rng() < 0.4) {
    // tablecloth draped over the front edge
    const cloth = pick(CLOTHS);
    const drop = 8 + rng() * 14;
    parts.push(
      `<polygon points="${(left + inset - 1).toFixed(2)},${(topY - 1).toFixed(2)} ${(right - inset + 1).toFixed(2)},${(topY - 1).toFixed(2)} ${(right + 2).toFixed(2)},${frontY.toFixed(2)} ${(right + 2).toFixed(2)},${(frontY + drop).toFixed(2)} ${(left - 2).toFixed(2)},${(frontY + drop).toFixed(2)} ${(left - 2).toFixed(2)},${frontY.toFixed(2)}" fill="${cloth}"/>`,
      `<rect x="${(left - 2).toFixed(2)}" y="${frontY.toFixed(2)}" width="${(right - left + 4).toFixed(2)}" height="${drop.toFixed(2)}" fill="${shade(cloth, 0.85)}"/>`,
    );
  }
  const items = Math.floor(rng() * 4);
  for (let k = 0; k < items; k++) {
    const x = left + inset + 6 + rng() * (right - left - 2 * inset - 12);
    const y = topY + 3 + rng() * (depth - 6);
    const r = 3 + rng() * 5;
    if (rng() < 0.6) {
      parts.push(
        `<ellipse cx="${x.toFixed(2)}" cy="${y.toFixed(2)}" rx="${r.toFixed(2)}" ry="${(r * 0.45).toFixed(2)}" fill="#fafafa" stroke="#bbbbbb" stroke-width="0.6"/>`,
      );
    } else {
      parts.push(
        `<rect x="${(x - r / 2).toFixed(2)}" y="${(y - r * 1.2).toFixed(2)}" width="${r.toFixed(2)}" height="${(r * 1.2).toFixed(2)}" fill="${pick(CLOTHS)}"/>`,
      );
    }
  }
  return parts.join('');
}
