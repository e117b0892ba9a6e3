#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ImageError } from '@deconvnet/image';

// Commands import their modules lazily: argument errors and --help answer without loading sharp or the emoji set.

const USAGE = `Usage: deconvnet-voc <command> [options]

Commands:
  synth   Generate the offline synthetic VOC-format benchmark
            --out DIR        output folder (becomes the VOC2012 root)       (required)
            --train N        number of train images                         (default 100)
            --val M          number of val images                           (default 20)
            --size WxH       image size                                     (default 500x375)
            --seed S         random seed                                    (default 0)
            --objects A-B    objects per image                              (default 1-5)
            --scale A-B      object size / shorter image side               (default 0.05-0.9)
            --void-band R    void band radius in pixels, 0 = none           (default 2)
            --quality Q      JPEG quality                                   (default 90)
            --force          write into a non-empty folder
            --quiet          no progress output
  check   Load every image of a split and report bad files
            --root DIR       VOC2012 folder, or VOCdevkit above it          (required)
            --split NAME     split name                                     (default train)
  eval    Score predicted palette PNGs against a split's SegmentationClass
            --root DIR       VOC2012 folder, or VOCdevkit above it          (required)
            --pred DIR       folder of <id>.png predictions                 (required)
            --split NAME     split name                                     (default val)
            --json           print JSON instead of a table
  Options for check/eval: --skip-bad (collect bad samples instead of stopping)

  -h, --help   show this help
`;

class UsageError extends Error {}

function int(v: string | undefined, name: string, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${v}"`);
  return Number(v);
}

function range(v: string | undefined, name: string, fallback: [number, number], integer: boolean): [number, number] {
  if (v === undefined) return fallback;
  const m = /^([\d.]+)(?:-([\d.]+))?$/.exec(v);
  const a = m ? Number(m[1]) : Number.NaN;
  const b = m ? Number(m[2] ?? m[1]) : Number.NaN;
  if (
    !m ||
    !Number.isFinite(a) ||
    !Number.isFinite(b) ||
    b < a ||
    (integer && (!Number.isInteger(a) || !Number.isInteger(b)))
  ) {
    throw new UsageError(`--${name} must look like A-B${integer ? ' (integers)' : ''} with A ≤ B, got "${v}"`);
  }
  return [a, b];
}

async function synth(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      out: { type: 'string' },
      train: { type: 'string' },
      val: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string' },
      objects: { type: 'string' },
      scale: { type: 'string' },
      'void-band': { type: 'string' },
      quality: { type: 'string' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  if (!values.out) throw new UsageError('synth needs --out DIR');
  let width = 500;
  let height = 375;
  if (values.size !== undefined) {
    const m = /^(\d+)x(\d+)$/i.exec(values.size);
    if (!m) throw new UsageError(`--size must look like WxH (e.g. 500x375), got "${values.size}"`);
    width = Number(m[1]);
    height = Number(m[2]);
    if (width < 16 || height < 16 || width > 4096 || height > 4096)
      throw new UsageError(`--size must be between 16x16 and 4096x4096, got "${values.size}"`);
  }
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed))
    throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  const [minObjects, maxObjects] = range(values.objects, 'objects', [1, 5], true);
  const [minScale, maxScale] = range(values.scale, 'scale', [0.05, 0.9], false);
  const quality = int(values.quality, 'quality', 90, 1);
  if (quality > 100) throw new UsageError(`--quality must be 1..100, got ${quality}`);
  const quiet = values.quiet || !process.stderr.isTTY;
  const { generateSyntheticVoc } = await import('./synth/generate.js');
  const result = await generateSyntheticVoc({
    out: values.out,
    train: int(values.train, 'train', 100),
    val: int(values.val, 'val', 20),
    width,
    height,
    seed: values.seed === undefined ? 0 : Number(values.seed),
    minObjects,
    maxObjects,
    minScale,
    maxScale,
    voidBand: int(values['void-band'], 'void-band', 2),
    jpegQuality: quality,
    force: values.force ?? false,
    onProgress: quiet ? undefined : (done, total) => process.stderr.write(`\r${done}/${total} images`),
  });
  if (!quiet) process.stderr.write('\n');
  const objects = result.objectsPerClass.reduce((a, b) => a + b, 0);
  console.log(
    `wrote ${result.images} images (${result.train.length} train, ${result.val.length} val, ${objects} objects) to ${result.root} in ${result.seconds.toFixed(1)} s`,
  );
}

async function check(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { root: { type: 'string' }, split: { type: 'string' }, 'skip-bad': { type: 'boolean' } },
  });
  if (!values.root) throw new UsageError('check needs --root DIR');
  const { createVocDataset } = await import('./dataset.js');
  const ds = await createVocDataset({
    root: values.root,
    split: values.split ?? 'train',
    skipBad: true,
    instances: 'if-present',
    annotation: true,
  });
  let ok = 0;
  for await (const _ of ds) ok++;
  for (const b of ds.bad) console.error(`bad: ${b.message}`);
  console.log(`${ok} good, ${ds.bad.length} bad`);
  return ds.bad.length && !values['skip-bad'] ? 1 : 0;
}

async function evaluate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      root: { type: 'string' },
      pred: { type: 'string' },
      split: { type: 'string' },
      json: { type: 'boolean' },
      'skip-bad': { type: 'boolean' },
    },
  });
  if (!values.root) throw new UsageError('eval needs --root DIR');
  if (!values.pred) throw new UsageError('eval needs --pred DIR');
  const { readLabelPng } = await import('@deconvnet/image/node');
  const { createVocDataset } = await import('./dataset.js');
  const { ConfusionMatrix, formatMetricsTable, metricsToJSON } = await import('./confusion.js');
  const { join } = await import('node:path');
  const pred = values.pred;
  const ds = await createVocDataset({
    root: values.root,
    split: values.split ?? 'val',
    skipBad: values['skip-bad'] ?? false,
    transform: async (s) => ({ id: s.id, label: s.label, pred: await readLabelPng(join(pred, `${s.id}.png`)) }),
  });
  const cm = new ConfusionMatrix();
  for await (const s of ds) cm.add(s.label, s.pred, join(pred, `${s.id}.png`));
  const m = cm.metrics();
  console.log(values.json ? JSON.stringify(metricsToJSON(m), null, 2) : formatMetricsTable(m));
  for (const b of ds.bad) console.error(`skipped: ${b.message}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 1;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (cmd) {
    case 'synth':
      await synth(rest);
      return 0;
    case 'check':
      return check(rest);
    case 'eval':
      return evaluate(rest);
    default:
      throw new UsageError(`unknown command "${cmd}" (expected synth, check or eval; see --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // One clear line, no stack trace, for usage and input errors.
    const msg =
      e instanceof UsageError ||
      e instanceof ImageError ||
      (e as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')
        ? (e as Error).message
        : `unexpected error: ${(e as Error)?.stack ?? String(e)}`;
    console.error(`deconvnet-voc: ${msg.replace(/\s*\n\s*/g, ' ')}`);
    process.exitCode =
      e instanceof UsageError || (e as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS') ? 2 : 1;
  },
);
