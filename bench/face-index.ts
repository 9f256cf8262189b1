// `node bench/face-index.ts [count]`: what finding faces adds to indexing, end to end through the
// real Engine with the ViT-B/32-shaped model on the bench's 12 MP JPEGs (scenes with no faces:
// the cost every photo pays). Two fresh libraries, faces off and on, alternately, twice; the
// time to index (until the indexer reports done) and the time the whole `index` call took.
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

async function run(faces: boolean): Promise<{ indexMs: number; totalMs: number }> {
  const libraryDir = path.join(work, `library-${String(faces)}`);
  await rm(libraryDir, { recursive: true, force: true });
  await mkdir(libraryDir, { recursive: true });
  const root = await linkPhotos(photosDir, count, path.join(work, 'photos'));
  const engine = await Engine.open({ libraryDir, modelDir }, { write: true, command: 'bench' });
  try {
    await engine.setFaceRecognition(faces);
    await engine.addRoot(root);
    const t0 = performance.now();
    let done = NaN;
    await engine.index({ onProgress: (p) => (p.phase === 'done' ? (done = performance.now()) : undefined) });
    return { indexMs: done - t0, totalMs: performance.now() - t0 };
  } finally {
    await engine.close();
  }
}

const results: Record<string, { indexMs: number; totalMs: number }[]> = { off: [], on: [] };
for (let round = 0; round < 2; round++) {
  for (const faces of [false, true]) results[faces ? 'on' : 'off']!.push(await run(faces));
}
await rm(work, { recursive: true, force: true });
const best = (xs: { indexMs: number; totalMs: number }[], k: 'indexMs' | 'totalMs'): number =>
  Math.min(...xs.map((x) => x[k]));
const index = best(results.off!, 'indexMs');
const off = best(results.off!, 'totalMs');
const on = best(results.on!, 'totalMs');
console.log(
  `${count} photos: indexing ${(index / 1000).toFixed(1)} s (${((count * 1000) / index).toFixed(1)} photos/s)`,
);
console.log(`whole index call, faces off / on: ${(off / 1000).toFixed(1)} / ${(on / 1000).toFixed(1)} s`);
console.log(
  `faces add ${(((on - off) / index) * 100).toFixed(0)}% to the indexing time (${((on - off) / count).toFixed(1)} ms a photo)`,
);
