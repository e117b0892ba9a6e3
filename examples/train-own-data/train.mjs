// Train on your own data laid out like PASCAL VOC 2012:
//   MYDATA/ImageSets/Segmentation/{train,val}.txt, JPEGImages/*.jpg, SegmentationClass/*.png (palette indices,
//   255 = void), SegmentationObject/*.png (instance ids; stage 1 needs them)
//   node train.mjs MYDATA MODELDIR [epochs]
// (the same as `deconvnet train --data MYDATA --out MODELDIR --stage both --fcn --preset tiny`).
import { initBackend, resolveVocRoot, trainPipeline } from 'deconvnet';

export async function trainOwn(data, out, { epochs = 2, maxSteps, bnReestimate = true, onProgress } = {}) {
  const backend = await initBackend(process.env.DECONVNET_BACKEND);
  const root = await resolveVocRoot(data); // the VOC2012 folder or a VOCdevkit above it
  const stage = {
    epochs,
    batchSize: 4,
    accumulate: 2,
    sgd: { lr: 0.01, momentum: 0.9, weightDecay: 5e-4 },
    ...(maxSteps ? { maxSteps } : {}),
  };
  const result = await trainPipeline({
    root,
    out,
    stage: 'both',
    fcn: true,
    preset: 'tiny',
    stage1: stage,
    stage2: stage,
    fcnStage: stage,
    valSplit: 'val',
    checkpointEvery: 10,
    resume: true, // re-running continues from MODELDIR/checkpoints
    bnReestimate, // BN statistics re-estimated on stage-2 windows at the end, as the original
    proposals: { candidates: 500, minIou: 0.5 },
    backend: backend.name,
    onProgress,
  });
  result.deconvnet.model.dispose();
  result.fcn?.model.dispose();
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [data, out, epochs] = process.argv.slice(2);
  if (!data || !out) {
    console.error('usage: node train.mjs MYDATA MODELDIR [epochs]');
    process.exit(2);
  }
  const r = await trainOwn(data, out, {
    epochs: Number(epochs ?? 2),
    onProgress: (e) =>
      (e.kind === 'log' || e.kind === 'end') &&
      console.log(e.kind === 'log' ? e.message : `${e.task} done in ${e.seconds.toFixed(1)} s`),
  });
  for (const t of r.timings) console.log(`${t.stage}: ${t.seconds.toFixed(1)} s`);
}
