import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic as writeAtomic } from '@deconvnet/image/node';
import { ModelError } from '../errors.js';

/** Creates the folder if needed, then writes through @deconvnet/image's temp-file-and-rename writer. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true }).catch((e: Error) => {
    throw new ModelError(dirname(path), `cannot create directory (${e.message})`, { cause: e });
  });
  try {
    await writeAtomic(path, bytes);
  } catch (e) {
    // ImageError already says "<path>: cannot write file (…)"; keep one prefix.
    throw new ModelError(path, (e as Error).message.replace(`${path}: `, ''), { cause: e });
  }
}
