/**
 * Progress events emitted by the library (training, evaluation, demo). The library never draws anything; the CLI
 * renders these as bars on a TTY and as periodic plain lines elsewhere (CI logs).
 */
export type ProgressEvent =
  /** A task begins; `total` units are expected (omit when unknown). */
  | { kind: 'start'; task: string; total?: number; label?: string }
  /** `current` of `total` units are done; `metrics` are shown next to the bar (loss, lr, mIoU…). */
  | { kind: 'update'; task: string; current: number; total?: number; metrics?: Record<string, number | string> }
  /** The task is over after `seconds`. */
  | { kind: 'end'; task: string; seconds: number; metrics?: Record<string, number | string> }
  /** A one-off message (a stage result, a warning). */
  | { kind: 'log'; message: string };

export type ProgressListener = (event: ProgressEvent) => void;

export const silent: ProgressListener = () => {};

/** Measures a task and reports start/end events around it. */
export async function timed<T>(
  onProgress: ProgressListener,
  task: string,
  total: number | undefined,
  fn: () => Promise<T>,
): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  onProgress({ kind: 'start', task, ...(total !== undefined ? { total } : {}) });
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  onProgress({ kind: 'end', task, seconds });
  return { value, seconds };
}
