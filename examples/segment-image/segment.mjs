// Segment one image with a trained model folder:
//   node segment.mjs MODELDIR IMAGE OUT.png [PROPOSALS]
// writes OUT.png (VOC palette labels) and OUT.overlay.png, and prints the classes found.
import { overlayLabels } from '@deconvnet/image';
import { readImage, writeImage, writeLabelPng } from '@deconvnet/image/node';
import { createSegmenter, initBackend, loadModelDir } from 'deconvnet';

export async function segmentFile(modelDir, imagePath, outPath, { proposals = 50 } = {}) {
  await initBackend(process.env.DECONVNET_BACKEND); // wasm with fast kernels by default
  const model = await loadModelDir(modelDir);
  const segmenter = createSegmenter({
    model: model.deconvnet,
    ...(model.fcn ? { fcn: model.fcn, ensemble: 'mean' } : { ensemble: 'none' }),
    proposals: proposals > 0 ? { count: proposals, minSide: { relative: 0.1 } } : false,
    crf: {}, // DeconvNet's CRF settings; pass false to skip
  });
  try {
    const image = await readImage(imagePath);
    const result = await segmenter.segment(image);
    await writeLabelPng(outPath, result.labels);
    await writeImage(outPath.replace(/\.png$/i, '.overlay.png'), overlayLabels(image, result.labels));
    const found = [...new Set(result.labels.data)].filter((c) => c !== 0).map((c) => model.descriptor.classes[c]);
    return { labels: result.labels, proposals: result.proposals, classes: found };
  } finally {
    segmenter.dispose();
    model.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [modelDir, imagePath, outPath, proposals] = process.argv.slice(2);
  if (!modelDir || !imagePath || !outPath) {
    console.error('usage: node segment.mjs MODELDIR IMAGE OUT.png [PROPOSALS]');
    process.exit(2);
  }
  const r = await segmentFile(modelDir, imagePath, outPath, { proposals: Number(proposals ?? 50) });
  console.log(`${imagePath}: ${r.proposals.length} proposals, classes: ${r.classes.join(', ') || 'none'} → ${outPath}`);
}
