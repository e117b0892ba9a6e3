/**
 * Renders library progress events: cli-progress bars on a TTY, otherwise one plain line per task at most every
 * `intervalMs` (plus start/end lines), which is what CI logs want.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener } from '../progress.js';

export interface RendererOptions {
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Force bars (true) or plain lines (false); default: bars when the stream is a TTY. */
  tty?: boolean;
  intervalMs?: number;
  /** Suppress everything except log lines. */
  quiet?: boolean;
}

export interface Renderer {
  listener: ProgressListener;
  /** Stops bars (call before printing results). */
  stop(): void;
}

export function formatMetrics(m: Record<string, number | string> | undefined): string {
  if (!m) return '';
  return Object.entries(m)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`)
    .join('  ');
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4);
}

export function createRenderer(options: RendererOptions = {}): Renderer {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean((stream as NodeJS.WriteStream).isTTY);
  const interval = options.intervalMs ?? 10_000;
  const write = (s: string) => stream.write(`${s}\n`);
  if (tty && !options.quiet) return barRenderer(stream as NodeJS.WriteStream, write);
  const last = new Map<string, number>();
  const listener: ProgressListener = (e: ProgressEvent) => {
    if (e.kind === 'log') return void write(e.message);
    if (options.quiet) return;
    if (e.kind === 'start') {
      last.set(e.task, Date.now());
      write(`[${e.task}] started${e.total !== undefined ? ` (${e.total})` : ''}`);
    } else if (e.kind === 'update') {
      const now = Date.now();
      if (now - (last.get(e.task) ?? 0) < interval && !(e.total !== undefined && e.current >= e.total)) return;
      last.set(e.task, now);
      write(
        `[${e.task}] ${e.current}${e.total !== undefined ? `/${e.total}` : ''}  ${formatMetrics(e.metrics)}`.trimEnd(),
      );
    } else if (e.kind === 'end') {
      write(`[${e.task}] done in ${e.seconds.toFixed(1)} s  ${formatMetrics(e.metrics)}`.trimEnd());
    }
  };
  return { listener, stop() {} };
}

function barRenderer(stream: NodeJS.WriteStream, write: (s: string) => void): Renderer {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: '{task} |{bar}| {value}/{total} {eta_formatted} {metrics}',
      barsize: 24,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const listener: ProgressListener = (e) => {
    if (e.kind === 'log') {
      multi.log(`${e.message}\n`);
      return;
    }
    if (e.kind === 'start') {
      bars.get(e.task)?.stop();
      bars.set(e.task, multi.create(e.total ?? 1, 0, { task: e.task.padEnd(18), metrics: '' }));
    } else if (e.kind === 'update') {
      const bar = bars.get(e.task) ?? multi.create(e.total ?? 1, 0, { task: e.task.padEnd(18), metrics: '' });
      bars.set(e.task, bar);
      if (e.total !== undefined) bar.setTotal(e.total);
      bar.update(e.current, { metrics: formatMetrics(e.metrics) });
    } else if (e.kind === 'end') {
      const bar = bars.get(e.task);
      if (bar) {
        bar.update(bar.getTotal(), { metrics: `${e.seconds.toFixed(1)} s ${formatMetrics(e.metrics)}` });
        bar.stop();
      }
    }
  };
  return {
    listener,
    stop() {
      multi.stop();
      void write;
    },
  };
}
