// `node bench/face-index.ts [count]`: what finding faces adds to indexing, end to end through the
// real Engine with the ViT-B/32-shaped model on the bench's 12 MP JPEGs (scenes with no faces:
// the cost every photo pays). A fresh library is indexed with faces off (timed until the indexer
// reports done); then faces are turned on and `index` run again, which finds the faces in every
// photo and has nothing else to do; a third `index` with nothing at all to do is its baseline.
// Three libraries, one after another. Measuring the two whole calls of two libraries against each
// other instead drowns the faces in album tagging's 4-5 s of noise.
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../app/main/core/engine/engine.ts';
import { ensurePhotos, linkPhotos } from './photos.ts';
import { ensureVitModel } from './vit-model.ts';

const count = Number(process.argv[2] ?? 40);
const modelDir = await ensureVitModel();
const photosDir = await ensurePhotos(count);
const work = path.join(os.tmpdir(), `shoebox-bench-face-index-${process.pid}`);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function run(round: number): Promise<{ indexMs: number; facesMs: number }> {
  const libraryDir = path.join(work, `library-${round}`);
  await mkdir(libraryDir, { recursive: true });
  const root = await linkPhotos(photosDir, count, path.join(work, 'photos'));
  const engine = await Engine.open({ libraryDir, modelDir }, { write: true, command: 'bench' });
  try {
    await engine.setFaceRecognition(false);
    await engine.addRoot(root);
    const t0 = performance.now();
    let done = NaN;
    await engine.index({ onProgress: (p) => (p.phase === 'done' ? (done = performance.now()) : undefined) });
    await engine.setFaceRecognition(true);
    const withFaces = await timed(() => engine.index());
    const nothing = await timed(() => engine.index());
    return { indexMs: done - t0, facesMs: withFaces - nothing };
  } finally {
    await engine.close();
    await rm(libraryDir, { recursive: true, force: true });
  }
}

for (let round = 0; round < 3; round++) {
  const r = await run(round);
  console.log(
    `${count} photos: indexing ${(r.indexMs / 1000).toFixed(1)} s (${((count * 1000) / r.indexMs).toFixed(1)} photos/s); ` +
      `finding faces ${(r.facesMs / 1000).toFixed(2)} s, ${(r.facesMs / count).toFixed(1)} ms a photo, ` +
      `${((r.facesMs / r.indexMs) * 100).toFixed(0)}% of the indexing time`,
  );
}
await rm(work, { recursive: true, force: true });
