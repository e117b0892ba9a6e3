/**
 * A problem with what the user asked for (bad argument, missing file, unusable data): the CLI prints its message as
 * one line on stderr and exits with status 2; library callers get an ordinary Error subclass.
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** One line describing any thrown value (first line of the message; never a stack trace). */
export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? '').trim() || (e instanceof Error ? e.name : 'unknown error');
}
