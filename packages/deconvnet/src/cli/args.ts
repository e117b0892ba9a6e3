/** Validation of CLI option values: every problem is a UsageError naming the option. */
import { UsageError } from '../errors.js';

export function intOption(
  name: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (!/^-?\d+$/.test(s)) throw new UsageError(`--${name} must be an integer, got "${s}"`);
  const n = Number(s);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function numberOption(
  name: string,
  value: unknown,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const n = Number(s);
  if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${s}"`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function choiceOption<T extends string>(name: string, value: unknown, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  if (!(choices as readonly string[]).includes(s))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${s}"`);
  return s as T;
}

export function sizeOption(name: string, value: unknown): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)x(\d+)$/i.exec(String(value));
  if (!m) throw new UsageError(`--${name} must look like WIDTHxHEIGHT (e.g. 160x120), got "${String(value)}"`);
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width < 16 || height < 16 || width > 4096 || height > 4096)
    throw new UsageError(`--${name} sides must be between 16 and 4096, got ${width}x${height}`);
  return { width, height };
}

export function stringOption(name: string, value: unknown, required = false): string | undefined {
  if (value === undefined || value === true || value === false || value === '') {
    if (required) throw new UsageError(`--${name} is required`);
    if (value === true || value === false) throw new UsageError(`--${name} needs a value`);
    return undefined;
  }
  if (Array.isArray(value)) throw new UsageError(`--${name} was given more than once`);
  return String(value);
}

export function listOption<T extends string>(name: string, value: unknown, choices: readonly T[]): T[] | undefined {
  const s = stringOption(name, value);
  if (s === undefined) return undefined;
  const items = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const lower = new Map(choices.map((c) => [c.toLowerCase(), c]));
  return items.map((x) => {
    const c = lower.get(x.toLowerCase());
    if (!c) throw new UsageError(`--${name}: unknown item "${x}" (choose from ${choices.join(', ')})`);
    return c;
  });
}
