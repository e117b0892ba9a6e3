/**
 * End to end: the real `deconvnet demo --quick` process, then its report opened in headless Chromium
 * (Debian's chromium): the DOM must hold the variant table, the IoU bars and the SVG curves, and the screenshot
 * must not be blank.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeImage, readLabelPng } from '@deconvnet/image/node';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe.skipIf(!existsSync(CLI))('deconvnet demo --quick', () => {
  it('trains, evaluates every variant and writes a report that renders', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'demo-')), 'out');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [CLI, 'demo', '--quick', '--out', out], {
      encoding: 'utf8',
      timeout: 280_000,
    });
    if (r.status !== 0) throw new Error(`demo failed (${r.status}, ${r.signal}): ${r.stderr.slice(-2000)}`);
    const seconds = (Date.now() - t0) / 1000;
    process.stdout.write(`demo --quick took ${seconds.toFixed(0)} s\n`);

    // Text table on stdout: every variant with an mIoU in [0, 100].
    for (const v of ['FCN', 'DeconvNet', 'DeconvNet+CRF', 'EDeconvNet', 'EDeconvNet+CRF']) {
      const m = new RegExp(`^${v.replace('+', '\\+')}\\s+(\\d+\\.\\d)\\s`, 'm').exec(r.stdout);
      expect(m, v).not.toBeNull();
      expect(Number(m![1])).toBeLessThanOrEqual(100);
    }
    // Model folder and JSON results.
    const desc = JSON.parse(readFileSync(join(out, 'model', 'deconvnet.json'), 'utf8'));
    expect(desc.networks.fcn).toBeDefined();
    expect(desc.training.stage1.loss.length).toBeGreaterThan(0);
    expect(desc.training.stage2.loss.length).toBeGreaterThan(0);
    expect(desc.training.fcn.loss.length).toBeGreaterThan(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(Object.keys(results.variants).sort()).toEqual([
      'DeconvNet',
      'DeconvNet+CRF',
      'EDeconvNet',
      'EDeconvNet+CRF',
      'FCN',
    ]);
    // The printed table agrees with the JSON.
    const printed = Number(/^DeconvNet\s+(\d+\.\d)/m.exec(r.stdout)![1]);
    expect(printed).toBeCloseTo(results.variants.DeconvNet.miou * 100, 1);

    // The other commands on the trained model: segment one held-out image, evaluate two as JSON.
    const valId = readFileSync(join(out, 'data', 'ImageSets', 'Segmentation', 'val.txt'), 'utf8')
      .split('\n')[0]!
      .trim();
    const segOut = join(out, 'seg');
    const seg = spawnSync(
      process.execPath,
      [
        CLI,
        'segment',
        join(out, 'data', 'JPEGImages', `${valId}.jpg`),
        '--model',
        join(out, 'model'),
        '--out',
        segOut,
        '--proposals',
        '5',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(seg.status, seg.stderr).toBe(0);
    const labels = await readLabelPng(join(segOut, `${valId}.png`));
    expect(labels.data.every((v) => v <= 20)).toBe(true);
    expect(JSON.parse(readFileSync(join(segOut, `${valId}.json`), 'utf8')).windows.length).toBeLessThanOrEqual(5);
    const ev = spawnSync(
      process.execPath,
      [
        CLI,
        'evaluate',
        '--data',
        join(out, 'data'),
        '--model',
        join(out, 'model'),
        '--limit',
        '2',
        '--proposals',
        '5',
        '--variants',
        'FCN,DeconvNet',
        '--json',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(ev.status, ev.stderr).toBe(0);
    const evJson = JSON.parse(ev.stdout);
    expect(Object.keys(evJson.variants).sort()).toEqual(['DeconvNet', 'FCN']);
    expect(Object.keys(evJson.variants.FCN).sort()).toEqual(['miou', 'perClass', 'pixelAccuracy']);
    expect(evJson.images).toBe(2);

    const report = join(out, 'report.html');
    const html = readFileSync(report, 'utf8');
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/(src|href)="https?:/);

    if (!existsSync(CHROMIUM)) return;
    const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
    const url = pathToFileURL(report).href;
    // The report embeds its images: raise spawnSync's 1 MiB stdout cap or the DOM comes back truncated.
    const dom = spawnSync(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', url], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(dom.status).toBe(0);
    expect(dom.stdout).toContain('<table class="variants">');
    expect(dom.stdout).toMatch(/<svg[^>]*class="chart bar-chart"/);
    expect((dom.stdout.match(/<svg[^>]*class="chart line-chart"/g) ?? []).length).toBe(2);
    expect(dom.stdout).toContain('EDeconvNet+CRF');
    const shot = join(profile, 'shot.png');
    const s = spawnSync(
      CHROMIUM,
      [...FLAGS, `--user-data-dir=${profile}`, `--screenshot=${shot}`, '--window-size=1200,1600', url],
      { timeout: 60_000 },
    );
    expect(s.status).toBe(0);
    const img = await decodeImage(new Uint8Array(readFileSync(shot)), shot);
    // Not blank: many distinct colours (images, bars, text).
    const colours = new Set<number>();
    for (let i = 0; i < img.data.length; i += 3 * 7)
      colours.add((img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!);
    expect(colours.size).toBeGreaterThan(50);
  }, 480_000);
});
