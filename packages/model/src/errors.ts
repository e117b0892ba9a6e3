/** Error raised by @deconvnet/model for bad input; `source` names the file, argument or layer at fault. */
export class ModelError extends Error {
  readonly source: string;
  constructor(source: string, problem: string, options?: { cause?: unknown }) {
    super(`${source}: ${problem}`, options);
    this.name = 'ModelError';
    this.source = source;
  }
}
