import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageError } from '@deconvnet/image';

/**
 * Checks that an image id from a split file can only name a file inside the dataset folder: no path separators, no
 * "..", no NUL, not empty. `source` names the split file (or argument) in the error.
 */
export function assertSafeId(id: string, source: string): void {
  if (id.length === 0) throw new ImageError(source, 'empty image id');
  if (/[/\\\0]/.test(id))
    throw new ImageError(source, `image id "${id}" contains a path separator or NUL; ids must be plain file stems`);
  if (id.includes('..')) throw new ImageError(source, `image id "${id}" contains ".."; ids must be plain file stems`);
  if (/^[a-zA-Z]:/.test(id)) throw new ImageError(source, `image id "${id}" looks like a drive path`);
}

/** `root/dir/id+ext` after {@link assertSafeId}. */
export function safeJoin(root: string, dir: string, id: string, ext: string, source: string): string {
  assertSafeId(id, source);
  return join(root, dir, `${id}${ext}`);
}

/**
 * Parses a split file (one id per line; blank lines and trailing spaces ignored; a VOC "id  1"/"id -1" flag column
 * keeps only positives). Every id is checked with {@link assertSafeId}; errors name `source` and the line. With
 * `onBad`, bad lines are reported to it and skipped instead of thrown.
 */
export function parseSplitFile(text: string, source: string, onBad?: (error: ImageError) => void): string[] {
  const ids: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const parts = line.split(/\s+/);
    try {
      if (parts.length > 2) throw new ImageError(`${source}:${i + 1}`, `expected "id" or "id flag", got "${line}"`);
      if (parts.length === 2 && parts[1] === '-1') continue;
      assertSafeId(parts[0]!, `${source}:${i + 1}`);
      ids.push(parts[0]!);
    } catch (e) {
      if (!onBad || !(e instanceof ImageError)) throw e;
      onBad(e);
    }
  }
  return ids;
}

/** Reads and parses a split list (one id per line); a missing or unreadable file is an error naming it. */
export async function readSplitFile(path: string, onBad?: (error: ImageError) => void): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageError(
      path,
      code === 'ENOENT' ? 'split file not found' : `cannot read split file (${(e as Error).message})`,
      { cause: e },
    );
  }
  return parseSplitFile(text, path, onBad);
}
