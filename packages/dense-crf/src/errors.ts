/** Thrown for every invalid argument; `argument` names the offending input. */
export class DenseCrfError extends Error {
  readonly argument: string;
  readonly problem: string;
  constructor(argument: string, problem: string) {
    super(`dense-crf: ${argument}: ${problem}`);
    this.name = 'DenseCrfError';
    this.argument = argument;
    this.problem = problem;
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(argument: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DenseCrfError(argument, `expected an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(argument: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new DenseCrfError(argument, `expected a finite number > 0, got ${String(value)}`);
  }
}

/** Throws unless `array` has exactly `length` elements. */
export function checkLength(argument: string, array: ArrayLike<number>, length: number, what: string): void {
  if (array == null || typeof array.length !== 'number')
    throw new DenseCrfError(argument, `expected an array of ${what}`);
  if (array.length !== length) {
    throw new DenseCrfError(argument, `expected ${length} values (${what}), got ${array.length}`);
  }
}

/** Throws naming the first non-finite entry (NaN/±Inf poison the whole lattice, dense-crf.md §3). */
export function checkFinite(argument: string, array: ArrayLike<number>, valueSize = 1): void {
  for (let i = 0; i < array.length; i++) {
    const v = array[i] as number;
    if (!Number.isFinite(v)) {
      const where =
        valueSize > 1 ? `element ${i} (pixel ${Math.floor(i / valueSize)}, channel ${i % valueSize})` : `element ${i}`;
      throw new DenseCrfError(argument, `non-finite value ${v} at ${where}`);
    }
  }
}
