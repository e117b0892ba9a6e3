// Edge Boxes proposals for an image (no network):
//   node proposals.mjs IMAGE [MAX] [OUT.png] [PRESET]
// prints the top boxes as JSON and optionally draws them.
import { PRESETS, proposeBoxes } from '@deconvnet/edge-boxes';
import { drawBoxes } from '@deconvnet/image';
import { readImage, writeImage } from '@deconvnet/image/node';

/** `preset`: undefined (the authors' defaults, alpha 0.65 / beta 0.75) or a named one, e.g. 'EdgeBoxes90' for tight boxes. */
export function proposals(image, max = 50, preset) {
  const options = preset ? { ...PRESETS[preset], maxBoxes: max } : { maxBoxes: max };
  return proposeBoxes(image, options); // 0-based boxes {x, y, width, height, score}, best first
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [imagePath, max, out, preset] = process.argv.slice(2);
  if (!imagePath) {
    console.error('usage: node proposals.mjs IMAGE [MAX] [OUT.png]');
    process.exit(2);
  }
  const image = await readImage(imagePath);
  const boxes = proposals(image, Number(max ?? 50), preset);
  if (out) await writeImage(out, drawBoxes(image, boxes.slice(0, 10)));
  console.log(JSON.stringify(boxes, null, 1));
}
