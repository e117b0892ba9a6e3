/**
 * The self-contained HTML report of a run: sample grid (input | ground truth | each variant's prediction overlaid |
 * proposals used), the variant table, per-class IoU bars, size breakdown, loss and validation curves (inline SVG)
 * and stage timings. Images are embedded as data: URIs, nothing is fetched.
 */
import { type Box, colorizeLabels, drawBoxes, type LabelMap, overlayLabels, type RgbImage } from '@deconvnet/image';
import { encodeImage, writeFileAtomic } from '@deconvnet/image/node';
import { type EvaluationResult, SIZE_BUCKETS } from './results.js';
import { escapeXml, groupedBars, lineChart, type Series } from './svg.js';

export interface ReportSample {
  id: string;
  image: RgbImage;
  groundTruth?: LabelMap;
  predictions: { variant: string; labels: LabelMap }[];
  proposals?: readonly Box[];
}

export interface ReportData {
  title?: string;
  evaluation?: EvaluationResult;
  samples?: ReportSample[];
  /** Training losses per run (x = optimizer step). */
  lossCurves?: Series[];
  /** Validation mIoU per run (x = epoch). */
  validationCurves?: Series[];
  timings?: { stage: string; seconds: number }[];
  /** Key facts shown at the top (backend, preset, dataset…). */
  facts?: Record<string, string | number>;
  notes?: string[];
}

const pct = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : (v * 100).toFixed(1);

async function dataUri(img: RgbImage): Promise<string> {
  return `data:image/png;base64,${Buffer.from(await encodeImage(img, 'png')).toString('base64')}`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export async function renderReport(data: ReportData): Promise<string> {
  const title = data.title ?? 'DeconvNet report';
  const out: string[] = [];
  out.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title>`);
  out.push(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  out.push(`<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
.grid td{text-align:center;vertical-align:top}.grid img{max-width:200px;image-rendering:pixelated;display:block}
.charts{display:flex;flex-wrap:wrap;gap:16px}.facts td{text-align:left}.note{color:#555}
.best{font-weight:bold}
</style></head><body>`);
  out.push(`<h1>${escapeXml(title)}</h1>`);
  if (data.facts) {
    out.push(
      table(
        ['', ''],
        Object.entries(data.facts).map(([k, v]) => [escapeXml(k), escapeXml(String(v))]),
        'facts',
      ),
    );
  }
  for (const n of data.notes ?? []) out.push(`<p class="note">${escapeXml(n)}</p>`);

  const ev = data.evaluation;
  if (ev) {
    const names = Object.keys(ev.variants);
    const best = Math.max(...names.map((n) => ev.variants[n]!.miou));
    out.push(`<h2>Variants (${escapeXml(ev.split)}, ${ev.images} images)</h2>`);
    out.push(
      table(
        ['variant', 'mIoU', 'pixel acc.', ...ev.classes.map(escapeXml)],
        names.map((n) => {
          const v = ev.variants[n]!;
          return [
            escapeXml(n),
            `<span class="${v.miou === best ? 'best' : ''}">${pct(v.miou)}</span>`,
            pct(v.pixelAccuracy),
            ...ev.classes.map((c) => pct(v.perClass[c])),
          ];
        }),
        'variants',
      ),
    );
    out.push('<h2>Per-class IoU</h2><div class="charts">');
    out.push(
      groupedBars(
        ev.classes,
        names.map((n) => ({ name: n, values: ev.classes.map((c) => ev.variants[n]!.perClass[c] ?? null) })),
        { title: 'IoU per class' },
      ),
    );
    out.push('</div>');
    const [t0, t1] = ev.sizes.thresholds;
    out.push(
      `<h2>By object size</h2><p class="note">Instance IoU inside each ground-truth instance's box; small: area &lt; ${pct(t0)} % of the image, large: &gt; ${pct(t1)} %.</p>`,
    );
    out.push(
      table(
        ['variant', ...SIZE_BUCKETS.map((b) => `${b} IoU (n)`), ...SIZE_BUCKETS.map((b) => `${b} recall`)],
        Object.entries(ev.sizes.variants).map(([n, s]) => [
          escapeXml(n),
          ...SIZE_BUCKETS.map((b) => `${pct(s[b].meanIou)} (${s[b].instances})`),
          ...SIZE_BUCKETS.map((b) => pct(s[b].meanRecall)),
        ]),
        'sizes',
      ),
    );
  }

  if (data.samples?.length) {
    const variants = data.samples[0]!.predictions.map((p) => p.variant);
    out.push('<h2>Samples</h2>');
    const head = ['image', 'input', 'ground truth', ...variants.map(escapeXml), 'proposals used'];
    const rows: string[][] = [];
    for (const s of data.samples) {
      const cells = [escapeXml(s.id), `<img alt="input" src="${await dataUri(s.image)}">`];
      cells.push(
        s.groundTruth ? `<img alt="ground truth" src="${await dataUri(colorizeLabels(s.groundTruth))}">` : '–',
      );
      for (const v of variants) {
        const p = s.predictions.find((q) => q.variant === v);
        cells.push(
          p
            ? `<img alt="${escapeXml(v)}" src="${await dataUri(overlayLabels(s.image, p.labels, { alpha: 0.6 }))}">`
            : '–',
        );
      }
      cells.push(
        s.proposals
          ? `<img alt="proposals" src="${await dataUri(drawBoxes(s.image, s.proposals, [255, 255, 0], 1))}"><small>${s.proposals.length} boxes</small>`
          : '–',
      );
      rows.push(cells);
    }
    out.push(table(head, rows, 'grid'));
  }

  if (data.lossCurves?.length || data.validationCurves?.length) {
    out.push('<h2>Training</h2><div class="charts">');
    if (data.lossCurves?.length) {
      // Clip the axis at 1.2× the 95th percentile so an early spike does not flatten the rest of the curves.
      const ys = data.lossCurves
        .flatMap((c) => c.points.map((p) => p[1]))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      const p95 = ys[Math.floor(0.95 * (ys.length - 1))];
      const yMax = p95 !== undefined && ys[ys.length - 1]! > 1.5 * p95 ? 1.2 * p95 : undefined;
      out.push(
        lineChart(data.lossCurves, {
          title: 'Training loss',
          xLabel: 'step',
          yLabel: 'loss',
          yMin: 0,
          ...(yMax ? { yMax } : {}),
        }),
      );
    }
    if (data.validationCurves?.length) {
      out.push(
        lineChart(data.validationCurves, { title: 'Validation mIoU', xLabel: 'epoch', yLabel: 'mIoU', yMin: 0 }),
      );
    }
    out.push('</div>');
  }

  if (data.timings?.length) {
    const total = data.timings.reduce((s, t) => s + t.seconds, 0);
    out.push('<h2>Timings</h2>');
    out.push(
      table(
        ['stage', 'seconds'],
        [
          ...data.timings.map((t) => [escapeXml(t.stage), t.seconds.toFixed(1)]),
          ['<b>total</b>', `<b>${total.toFixed(1)}</b>`],
        ],
        'timings',
      ),
    );
  }
  out.push(`<p class="note">Generated ${escapeXml(new Date().toISOString())} by deconvnet.</p></body></html>`);
  return out.join('\n');
}

export async function writeReport(path: string, data: ReportData): Promise<void> {
  await writeFileAtomic(path, await renderReport(data));
}
