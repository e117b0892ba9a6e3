/** Tiny inline-SVG charts for the report (no scripts, no external resources). */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

export const SERIES_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v: number) =>
  Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v)) : Number(v.toPrecision(3)).toString();

/** A line chart of one or more series; returns an `<svg>` element as a string. */
export function lineChart(
  series: readonly Series[],
  opts: {
    title: string;
    xLabel: string;
    yLabel: string;
    width?: number;
    height?: number;
    yMin?: number;
    yMax?: number;
  },
): string {
  const W = opts.width ?? 520;
  const H = opts.height ?? 260;
  const m = { l: 56, r: 12, t: 28, b: 40 };
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`,
  );
  parts.push(`<title>${escapeXml(opts.title)}</title>`);
  parts.push(
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(opts.title)}</text>`,
  );
  if (pts.length === 0) {
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="12" fill="#666">no data</text></svg>`);
    return parts.join('');
  }
  let x0 = Math.min(...pts.map((p) => p[0]));
  let x1 = Math.max(...pts.map((p) => p[0]));
  let y0 = opts.yMin ?? Math.min(...pts.map((p) => p[1]));
  let y1 = opts.yMax ?? Math.max(...pts.map((p) => p[1]));
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y1 = y0 + 1;
    y0 -= opts.yMin === undefined ? 1 : 0;
  }
  if (x0 === x1) x0 -= 1;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  parts.push(
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="#fafafa" stroke="#ccc"/>`,
  );
  for (const t of niceTicks(y0, y1)) {
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e4e4e4"/>`,
    );
    parts.push(`<text x="${m.l - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" font-size="10">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    parts.push(
      `<text x="${sx(t).toFixed(1)}" y="${H - m.b + 14}" text-anchor="middle" font-size="10">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${escapeXml(opts.xLabel)}</text>`,
  );
  parts.push(
    `<text x="12" y="${(m.t + H - m.b) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${(m.t + H - m.b) / 2})">${escapeXml(opts.yLabel)}</text>`,
  );
  series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const good = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (good.length === 0) return;
    const clip = (y: number) => Math.min(Math.max(y, y0), y1);
    const d = good.map(([x, y], k) => `${k ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(clip(y)).toFixed(1)}`).join(' ');
    parts.push(
      `<path class="series" data-series="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>`,
    );
    if (good.length <= 40)
      for (const [x, y] of good)
        parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(clip(y)).toFixed(1)}" r="2.2" fill="${color}"/>`);
    parts.push(`<rect x="${m.l + 8}" y="${m.t + 6 + i * 14}" width="10" height="3" fill="${color}"/>`);
    parts.push(`<text x="${m.l + 22}" y="${m.t + 11 + i * 14}" font-size="10">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal grouped bars in [0, 1]: one group per category, one bar per series; null values are drawn as "–". */
export function groupedBars(
  categories: readonly string[],
  series: readonly { name: string; values: readonly (number | null)[] }[],
  opts: { title: string; width?: number },
): string {
  const W = opts.width ?? 640;
  const bar = 7;
  const gap = 6;
  const groupH = series.length * bar + gap;
  const m = { l: 96, r: 48, t: 30 + series.length * 14, b: 24 };
  const H = m.t + categories.length * groupH + m.b;
  const sx = (v: number) => m.l + Math.max(0, Math.min(1, v)) * (W - m.l - m.r);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">`,
  );
  parts.push(`<title>${escapeXml(opts.title)}</title>`);
  parts.push(
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(opts.title)}</text>`,
  );
  series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    parts.push(`<rect x="${m.l}" y="${24 + i * 14}" width="10" height="8" fill="${color}"/>`);
    parts.push(`<text x="${m.l + 14}" y="${32 + i * 14}" font-size="10">${escapeXml(s.name)}</text>`);
  });
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${m.t - 4}" y2="${H - m.b}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${sx(t)}" y="${H - m.b + 14}" text-anchor="middle" font-size="10">${t}</text>`);
  }
  categories.forEach((c, ci) => {
    const gy = m.t + ci * groupH;
    parts.push(
      `<text x="${m.l - 4}" y="${gy + (series.length * bar) / 2 + 4}" text-anchor="end" font-size="10">${escapeXml(c)}</text>`,
    );
    series.forEach((s, si) => {
      const v = s.values[ci];
      const y = gy + si * bar;
      const color = SERIES_COLORS[si % SERIES_COLORS.length];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        parts.push(`<text x="${m.l + 2}" y="${y + bar - 1}" font-size="8" fill="#999">–</text>`);
      } else {
        parts.push(
          `<rect class="bar" x="${m.l}" y="${y}" width="${(sx(v) - m.l).toFixed(1)}" height="${bar - 1}" fill="${color}"><title>${escapeXml(`${s.name} ${c}: ${(v * 100).toFixed(1)}`)}</title></rect>`,
        );
      }
    });
  });
  parts.push('</svg>');
  return parts.join('');
}
