import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ImageError } from '@deconvnet/image';

/** How one VOC class is drawn by the synthetic generator. */
export interface ClassArt {
  classIndex: number;
  className: string;
  /**
   * Noto emoji codepoints (`@iconify-json/noto`, Apache-2.0), best first (shared/reference/data.md §2.2). Empty for
   * diningtable, which has no emoji and is drawn procedurally (see table.ts).
   */
  codepoints: string[];
  /** Keep only the largest connected component of the rendered art (the bottle's flying cork and spray). */
  largestComponentOnly?: boolean;
}

/**
 * Per-class art. Alternatives add pose/appearance variety; the pictures that would teach a wrong label were left
 * out (1f3c7 horse racing has a jockey = person; 1f6eb departure has a runway; 1f37d plate is not a table).
 */
export const CLASS_ART: readonly ClassArt[] = [
  { classIndex: 1, className: 'aeroplane', codepoints: ['2708', '1f6e9'] },
  { classIndex: 2, className: 'bicycle', codepoints: ['1f6b2'] },
  { classIndex: 3, className: 'bird', codepoints: ['1f426', '1f54a', '1f986', '1f985', '1f99c'] },
  { classIndex: 4, className: 'boat', codepoints: ['26f5', '1f6e5', '1f6a4', '1f6a2', '1f6f6'] },
  // 1f37e has a flying cork and spray drops: only its largest component (the bottle) is kept.
  { classIndex: 5, className: 'bottle', codepoints: ['1f37e', '1f9f4', '1f37c'], largestComponentOnly: true },
  { classIndex: 6, className: 'bus', codepoints: ['1f68c', '1f68d', '1f690'] },
  { classIndex: 7, className: 'car', codepoints: ['1f697', '1f699', '1f695', '1f698'] },
  { classIndex: 8, className: 'cat', codepoints: ['1f408', '1f408-200d-2b1b'] },
  { classIndex: 9, className: 'chair', codepoints: ['1fa91'] },
  { classIndex: 10, className: 'cow', codepoints: ['1f404', '1f402', '1f403'] },
  { classIndex: 11, className: 'diningtable', codepoints: [] },
  { classIndex: 12, className: 'dog', codepoints: ['1f415', '1f429', '1f9ae'] },
  { classIndex: 13, className: 'horse', codepoints: ['1f40e'] },
  { classIndex: 14, className: 'motorbike', codepoints: ['1f3cd', '1f6f5'] },
  { classIndex: 15, className: 'person', codepoints: ['1f9cd', '1f6b6', '1f3c3', '1f483'] },
  { classIndex: 16, className: 'pottedplant', codepoints: ['1fab4'] },
  { classIndex: 17, className: 'sheep', codepoints: ['1f411', '1f40f'] },
  // The Noto couch comes fused with a lamp (one component): the lamp's pixels are labelled sofa.
  { classIndex: 18, className: 'sofa', codepoints: ['1f6cb'] },
  { classIndex: 19, className: 'train', codepoints: ['1f686', '1f682', '1f683', '1f684', '1f687'] },
  { classIndex: 20, className: 'tvmonitor', codepoints: ['1f4fa', '1f5a5'] },
];

/** Things that belong to no VOC class (fruit, balls, tools, boxes…): pasted as clutter and labelled background. */
export const DISTRACTOR_CODEPOINTS: readonly string[] = [
  '1f34e',
  '1f34c',
  '1f3c0',
  '26bd',
  '1f4da',
  '23f0',
  '2602',
  '1f3b8',
  '1f344',
  '1f388',
  '1f381',
  '1f9f1',
  '1faa8',
  '1f4e6',
  '1f36a',
  '1f355',
  '1f382',
  '1f4a1',
  '1f9ed',
  '2615',
  '1f3a9',
  '1f45f',
  '1f511',
  '1f528',
  '1f9f2',
  '1f3c8',
  '1f941',
  '1f3ba',
  '1f4bc',
  '1f4d6',
  '1f9f3',
  '2b50',
  '1f308',
  '1f9e9',
  '1f3b2',
  '1f9fa',
  '1f3ee',
  '1f380',
  '1f451',
  '1f48e',
  '1f6e2',
  '1f4ee',
];

interface IconSet {
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
  width?: number;
  height?: number;
}

let cache: Promise<Map<string, string>> | undefined;

/**
 * SVG bodies (128×128 viewBox) of every codepoint the generator uses, read once from `@iconify-json/noto`.
 * Throws if the package is missing or lacks a codepoint.
 */
export function loadEmojiBodies(): Promise<Map<string, string>> {
  cache ??= (async () => {
    const require = createRequire(import.meta.url);
    let iconsPath: string;
    let charsPath: string;
    try {
      iconsPath = require.resolve('@iconify-json/noto/icons.json');
      charsPath = require.resolve('@iconify-json/noto/chars.json');
    } catch (e) {
      throw new ImageError('@iconify-json/noto', 'package not installed (needed for the synthetic benchmark)', {
        cause: e,
      });
    }
    const [set, chars] = await Promise.all([
      readFile(iconsPath, 'utf8').then((t) => JSON.parse(t) as IconSet),
      readFile(charsPath, 'utf8').then((t) => JSON.parse(t) as Record<string, string>),
    ]);
    const out = new Map<string, string>();
    const wanted = [...CLASS_ART.flatMap((a) => a.codepoints), ...DISTRACTOR_CODEPOINTS];
    for (const cp of wanted) {
      let name = chars[cp];
      let icon = name ? set.icons[name] : undefined;
      for (let hops = 0; name && !icon && set.aliases?.[name] && hops < 4; hops++) {
        name = set.aliases[name]!.parent;
        icon = set.icons[name];
      }
      if (!icon) throw new ImageError('@iconify-json/noto', `has no icon for codepoint ${cp}`);
      out.set(cp, icon.body);
    }
    return out;
  })();
  cache.catch(() => {
    cache = undefined;
  });
  return cache;
}
