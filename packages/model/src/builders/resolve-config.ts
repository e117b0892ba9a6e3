import { ModelError } from '../errors.js';
import type { BlockWidths, PresetName } from './presets.js';

/** Picks a preset (default `fallback`) and overlays explicit options, checking the preset name. */
export function resolvePreset<T extends object>(
  builder: string,
  presets: Readonly<Record<PresetName, Readonly<T>>>,
  preset: string | undefined,
  overrides: Partial<T>,
): T {
  const name = preset ?? 'paper';
  const base = (presets as Record<string, Readonly<T>>)[name];
  if (!base) {
    throw new ModelError(
      builder,
      `unknown preset ${JSON.stringify(name)} (expected ${Object.keys(presets).join(', ')})`,
    );
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<T>;
  return { ...base, ...defined };
}

export function checkPositiveInt(builder: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new ModelError(builder, `${what} must be a positive integer, got ${v}`);
}

export function checkWidths(builder: string, widths: BlockWidths): void {
  if (!Array.isArray(widths) || widths.length !== 5) {
    throw new ModelError(builder, `widths must list 5 block widths, got ${JSON.stringify(widths)}`);
  }
  widths.forEach((w, i) => {
    checkPositiveInt(builder, `widths[${i}]`, w);
  });
}
