#!/usr/bin/env node
/**
 * The `deconvnet` command. Parsing, help and error reporting live here; each command's work is imported lazily so
 * `--help` and argument errors answer instantly without loading TensorFlow.js.
 */
import { cac } from 'cac';
import { oneLine, UsageError } from './errors.js';

const cli = cac('deconvnet');

const BACKEND = [
  '--backend <name>',
  'tfjs backend: wasm (default, with fast training kernels), cpu, tensorflow (tfjs-node) …',
] as const;

cli
  .command('demo', 'Synthesise a benchmark, train DeconvNet (2 stages) and FCN, evaluate every variant, write a report')
  .option('--out <dir>', 'Output folder', { default: 'demo-out' })
  .option('--quick', 'Smaller data and schedule (about 3 minutes on 2 cores)')
  .option('--seed <n>', 'Random seed', { default: 1 })
  .option(...BACKEND)
  .example('deconvnet demo --quick --out /tmp/demo')
  .action(async (opts) => (await import('./cli/commands.js')).demoCommand(opts));

cli
  .command(
    'synth',
    'Write a synthetic VOC-format benchmark (JPEGImages, SegmentationClass/Object, Annotations, ImageSets)',
  )
  .option('--out <dir>', 'Output folder (required)')
  .option('--train <n>', 'Training images', { default: 200 })
  .option('--val <n>', 'Validation images', { default: 50 })
  .option('--size <WxH>', 'Image size', { default: '160x120' })
  .option('--seed <n>', 'Random seed', { default: 1 })
  .action(async (opts) => (await import('./cli/commands.js')).synthCommand(opts));

cli
  .command('train', 'Train DeconvNet (stage 1, stage 2 or both) and optionally FCN-8s on a VOC-format folder')
  .option('--data <dir>', 'VOC2012 folder or a VOCdevkit above it (required)')
  .option('--out <modeldir>', 'Model folder to write (required)')
  .option('--stage <stage>', 'Which DeconvNet stage(s): 1, 2 or both', { default: 'both' })
  .option('--fcn', 'Also train FCN-8s for the ensemble')
  .option('--fcn-init <from>', 'FCN-8s encoder: scratch, or deconvnet (the trained DeconvNet encoder, BN folded)', {
    default: 'scratch',
  })
  .option('--preset <name>', 'Model size: tiny, small or paper', { default: 'tiny' })
  .option('--epochs <n>', 'Epochs per stage', { default: 4 })
  .option('--batch <n>', 'Samples per forward pass', { default: 4 })
  .option('--accumulate <n>', 'Forward passes per optimizer step (gradient accumulation)', { default: 1 })
  .option('--lr <rate>', 'Base learning rate', { default: 0.01 })
  .option('--lr-step <n>', 'Multiply the learning rate by 0.1 every N optimizer steps (0 = constant)', { default: 0 })
  .option('--warmup <n>', 'Ramp the learning rate up linearly over the first N steps', { default: 0 })
  .option('--split <name>', 'Training split', { default: 'train' })
  .option('--val-split <name>', 'Validation split for per-epoch mIoU ("none" to skip)', { default: 'val' })
  .option('--checkpoint-every <n>', 'Write a checkpoint every N optimizer steps', { default: 20 })
  .option('--max-steps <n>', 'Stop each run after N optimizer steps')
  .option('--resume', 'Continue from the checkpoints in MODELDIR')
  .option('--no-bn-reestimate', 'Keep the running BN statistics instead of re-estimating them on training windows')
  .option('--proposals <n>', 'Stage 2: Edge Boxes candidates per training image', { default: 1000 })
  .option('--min-iou <x>', 'Stage 2: IoU with a ground-truth object for a proposal window', { default: 0.5 })
  .option('--proposal-cache <dir>', 'Stage 2: proposal cache folder ("none": recompute each epoch)', {
    default: 'MODELDIR/cache/proposals',
  })
  .option('--seed <n>', 'Random seed', { default: 1 })
  .option(...BACKEND)
  .example('deconvnet train --data VOCdevkit --out model --stage both --fcn --preset small')
  .action(async (opts) => (await import('./cli/commands.js')).trainCommand(opts));

cli
  .command('segment [...images]', 'Segment images with a trained model; writes label PNGs, overlays and JSON')
  .option('--model <modeldir>', 'Trained model folder (required)')
  .option('--out <dir>', 'Output folder (required)')
  .option('--proposals <n>', 'Proposals per image (0 = whole image)', { default: 50 })
  .option('--ensemble <mode>', 'Combine with FCN: mean, product or none', { default: 'mean' })
  .option('--no-crf', 'Skip the dense CRF')
  .option(...BACKEND)
  .action(async (images, opts) => (await import('./cli/commands.js')).segmentCommand(images, opts));

cli
  .command('evaluate', 'Evaluate every variant on a VOC-format split: mIoU, per-class IoU, object-size breakdown')
  .option('--data <dir>', 'VOC2012 folder or a VOCdevkit above it (required)')
  .option('--split <name>', 'Split to evaluate', { default: 'val' })
  .option('--model <modeldir>', 'Trained model folder (required)')
  .option(
    '--variants <list>',
    'Comma-separated: FCN,DeconvNet,DeconvNet+CRF,EDeconvNet,EDeconvNet+CRF (default: all available)',
  )
  .option('--proposals <n>', 'Proposals per image', { default: 50 })
  .option('--limit <n>', 'Only the first N images of the split')
  .option('--json', 'Print one JSON object instead of the text table')
  .option(...BACKEND)
  .action(async (opts) => (await import('./cli/commands.js')).evaluateCommand(opts));

cli
  .command(
    'proposals <image>',
    'Edge Boxes proposals for one image (JSON on stdout, or --out FILE: .json, or .png to draw them)',
  )
  .option('--max <n>', 'Maximum number of boxes', { default: 50 })
  .option('--out <file>', 'Write JSON (.json) or an image with the boxes drawn (.png/.jpg)')
  .action(async (image, opts) => (await import('./cli/commands.js')).proposalsCommand(image, opts));

cli.help();
cli.version('0.1.0');

async function main(): Promise<number> {
  const argv = process.argv;
  if (argv.length <= 2) {
    cli.outputHelp();
    return 0;
  }
  cli.parse(argv, { run: false });
  if (cli.options.help || cli.options.version) return 0;
  if (!cli.matchedCommand) {
    const name = cli.args[0];
    throw new UsageError(
      name ? `unknown command "${name}" (run deconvnet --help)` : 'no command given (run deconvnet --help)',
    );
  }
  const code = await cli.runMatchedCommand();
  return typeof code === 'number' ? code : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof UsageError || (e instanceof Error && e.name === 'CACError');
    process.stderr.write(`deconvnet: ${oneLine(e)}\n`);
    if (process.env.DECONVNET_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
