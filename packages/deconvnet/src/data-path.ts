import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors.js';

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `--data` accepts the VOC2012 folder itself (the one holding `ImageSets/`, `JPEGImages/`, …) or a `VOCdevkit`
 * folder above it (`VOCdevkit/VOC2012`, or any single `VOC*` child holding `ImageSets/`). Returns the VOC2012 folder.
 */
export async function resolveVocRoot(dir: string, argName = '--data'): Promise<string> {
  if (!(await isDir(dir))) throw new UsageError(`${argName} ${dir}: not a directory`);
  if (await isDir(join(dir, 'ImageSets'))) return dir;
  const { readdir } = await import('node:fs/promises');
  const kids = (await readdir(dir)).filter((n) => /^VOC/i.test(n)).sort();
  const preferred = kids.includes('VOC2012') ? ['VOC2012', ...kids.filter((k) => k !== 'VOC2012')] : kids;
  for (const k of preferred) {
    if (await isDir(join(dir, k, 'ImageSets'))) return join(dir, k);
  }
  throw new UsageError(
    `${argName} ${dir}: not a VOC dataset (expected ImageSets/ and JPEGImages/ here, or a VOC2012/ folder inside a VOCdevkit)`,
  );
}
