// Faces on the CPU: what the face stage costs per photo (thumbnail read, detection, and a
// description per face found), faces described per second, and grouping 10,000 and 100,000 faces.
// Real models on the real group photos of @vladmandic/face-api's demo; the grouping runs on
// synthetic faces (people as random unit vectors, their faces spread around them).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_THUMB_SIZE } from '../app/main/core/decode/decode-photo.ts';
import { asThumbnail } from '../app/main/core/decode/derive.ts';
import { FaceReader } from '../app/main/core/embed/face-reader.ts';
import { clusterFaces } from '../app/main/core/faces/face-cluster.ts';
import type { ClusterFace } from '../app/main/core/faces/face-cluster.ts';
import { GROUP_PHOTOS } from '../tests/support/face-photos.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const reader = await FaceReader.open(1);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-bench-faces-'));
const thumbs: string[] = [];
for (const [i, file] of GROUP_PHOTOS.entries()) {
  const out = path.join(tmp, `${i}.webp`);
  // As the indexing decode writes it.
  await asThumbnail(sharp(file), DEFAULT_THUMB_SIZE).toFile(out);
  thumbs.push(out);
}
// A photo with no face: the detector's cost alone.
const plain = path.join(tmp, 'plain.webp');
await writeFile(
  plain,
  await asThumbnail(
    sharp({
      create: { width: DEFAULT_THUMB_SIZE, height: (DEFAULT_THUMB_SIZE * 2) / 3, channels: 3, background: '#7a9' },
    }),
    DEFAULT_THUMB_SIZE,
  ).toBuffer(),
);

async function stage(file: string): Promise<{ ms: number; faces: number }> {
  const t = performance.now();
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const found = await reader.find(new Uint8Array(data), info.width, info.height);
  return { ms: performance.now() - t, faces: found.length };
}
for (const f of [...thumbs, plain]) await stage(f);
const noFace: number[] = [];
for (let i = 0; i < 30; i++) noFace.push((await stage(plain)).ms);
let faces = 0;
const withFaces: number[] = [];
const t0 = performance.now();
for (let r = 0; r < 5; r++) {
  for (const f of thumbs) {
    const s = await stage(f);
    withFaces.push(s.ms);
    faces += s.faces;
  }
}
const total = (performance.now() - t0) / 1000;
console.log(`face stage, photo with no face: ${median(noFace).toFixed(1)} ms (thumbnail read + detection)`);
console.log(
  `face stage, group photo (3-5 faces): ${median(withFaces).toFixed(1)} ms; ${(faces / total).toFixed(1)} faces/s found and described on one core`,
);
await reader.close();
await rm(tmp, { recursive: true, force: true });

function synthetic(n: number, people: number): ClusterFace[] {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const unit = (v: Float32Array): Float32Array => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const centres = Array.from({ length: people }, () => unit(Float32Array.from({ length: 512 }, rand)));
  return Array.from({ length: n }, (_, i) => {
    const c = centres[i % people]!;
    return { key: String(i), quality: 1, embedding: unit(c.map((x) => x + rand() * 0.035)) };
  });
}
for (const [n, people] of [
  [10_000, 200],
  [100_000, 1_000],
] as const) {
  const input = synthetic(n, people);
  const t = performance.now();
  const groups = new Set(clusterFaces(input).of.values()).size;
  console.log(
    `grouping ${n} faces of ${people} people: ${((performance.now() - t) / 1000).toFixed(1)} s (${groups} groups)`,
  );
}
