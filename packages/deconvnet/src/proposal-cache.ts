/**
 * Stage-2 proposals computed lazily per image, optionally cached on disk (one small JSON file per image id, written
 * atomically), so later epochs, a resumed run or a second `train` call do not run Edge Boxes again. A cache entry
 * records the image size and the Edge Boxes settings; an entry made with other settings, or an unreadable one, is
 * recomputed and replaced.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { proposeBoxes } from '@deconvnet/edge-boxes';
import type { Box, RgbImage } from '@deconvnet/image';
import { writeFileAtomic } from '@deconvnet/image/node';
import type { ProposalSource } from './training-stream.js';

export interface ProposalCacheOptions {
  /** Edge Boxes candidates per image (default 1000). */
  candidates?: number;
  /** Folder for the cache (none: recompute every time). */
  dir?: string;
}

interface Entry {
  format: 'deconvnet-proposals';
  version: 1;
  key: string;
  boxes: [number, number, number, number, number][];
}

export function createProposalSource(options: ProposalCacheOptions = {}): ProposalSource & { computed: number } {
  const candidates = options.candidates ?? 1000;
  const dir = options.dir;
  let made: Promise<unknown> | undefined;
  const state = {
    computed: 0,
    async boxes(id: string, image: RgbImage): Promise<Box[]> {
      const key = `edge-boxes maxBoxes=${candidates} ${image.width}x${image.height}`;
      const path = dir ? join(dir, `${id}.json`) : undefined;
      if (path) {
        try {
          const e = JSON.parse(await readFile(path, 'utf8')) as Entry;
          if (e.format === 'deconvnet-proposals' && e.version === 1 && e.key === key && Array.isArray(e.boxes)) {
            return e.boxes.map(([x, y, width, height, score]) => ({ x, y, width, height, score }));
          }
        } catch {
          // missing or unreadable: recompute below
        }
      }
      const boxes = proposeBoxes(image, { maxBoxes: candidates });
      state.computed++;
      if (path && dir) {
        made ??= mkdir(dir, { recursive: true });
        await made;
        const entry: Entry = {
          format: 'deconvnet-proposals',
          version: 1,
          key,
          boxes: boxes.map((b) => [b.x, b.y, b.width, b.height, b.score ?? 0]),
        };
        await writeFileAtomic(path, JSON.stringify(entry));
      }
      return boxes;
    },
  };
  return state;
}
