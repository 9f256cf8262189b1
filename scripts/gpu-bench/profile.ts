// Profiles one index run on the lent machine: the main thread's CPU profile (--cpu-prof, into
// $OUT) and the cores each group of threads kept busy, in this process and the inference process.
// Usage: node --cpu-prof --cpu-prof-dir=$OUT scripts/gpu-bench/profile.ts <model> <photos dir> <n> <device>
import '../../app/main/core/decode/thread-pool.ts';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { Engine } from '../../app/main/core/engine/engine.ts';
import { isDevice } from '../../app/main/core/embed/providers.ts';
import { linkPhotos } from '../../bench/photos.ts';
import { threadCores, threadTicks } from '../../bench/proc-tree.ts';

const [modelDir, photosDir, count, device = 'webgpu'] = process.argv.slice(2);
if (!modelDir || !photosDir || !isDevice(device))
  throw new Error('usage: profile.ts <model> <photos dir> <n> <device>');
const tmp = await mkdtemp('/tmp/shoebox-prof-');
const root = await linkPhotos(photosDir, Number(count), path.join(tmp, 'photos'));
const engine = await Engine.open(
  { libraryDir: path.join(tmp, 'lib'), modelDir, device },
  { write: true, command: 'profile' },
);
await engine.addRoot(root);
await engine.modelInfo();
const before = threadTicks();
const t = performance.now();
const s = await engine.index({});
const ms = performance.now() - t;
console.log(
  JSON.stringify({
    photos: s.indexed,
    seconds: ms / 1000,
    rate: (s.indexed * 1000) / ms,
    cores: threadCores(before, threadTicks(), ms),
  }),
);
await engine.close();
