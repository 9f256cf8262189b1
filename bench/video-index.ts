// `node bench/video-index.ts [--photos N]`: videos through the whole engine with the
// ViT-B/32-shaped model (same cost as real CLIP), against the questions a photo library asks of
// them: does a phone video index in a tenth of its length, and do photos keep their pace while
// videos index beside them? Three distinct 30 s 1080p H.264 clips (made here by Debian's ffmpeg,
// cached) and N cached 12 MP photos; each run is a fresh library whose model was loaded by a
// first, one-photo index, so what is timed is the indexer from its start to its 'done'.
import { link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../app/main/core/engine/engine.ts';
import { makeClip } from './clips.ts';
import { ForeignCpu, machineInfo } from './machine.ts';
import { ensurePhotos, photoFiles } from './photos.ts';
import { CACHE_DIR, ensureVitModel } from './vit-model.ts';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '60' } } });
const PHOTOS = Number(values.photos);
const CLIP_SECONDS = 30;
const dir = path.join(CACHE_DIR, 'video-index');

/** A 1080p H.264 clip; `variant` rotates the patterns so the three clips differ. */
function clip(variant: number): Promise<string> {
  return makeClip(path.join(dir, `clip-${variant}.mp4`), {
    size: '1920x1080',
    seconds: CLIP_SECONDS,
    codec: ['-c:v', 'libx264', '-preset', 'veryfast'],
    patterns: ['testsrc2', 'testsrc', 'smptehdbars', 'rgbtestsrc', 'yuvtestsrc'],
    variant,
  });
}

async function folder(name: string, files: readonly string[]): Promise<string> {
  const root = path.join(dir, 'runs', name);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const f of files) await link(f, path.join(root, path.basename(f)));
  return root;
}

/**
 * Indexer time (start to 'done') of `files` in a fresh library whose model is already loaded,
 * and when the last of `photoCount` photos among them was in the library (read as the app reads
 * it, every 100 ms, while the run goes on).
 */
async function timed(
  name: string,
  files: readonly string[],
  warm: string,
  photoCount = 0,
): Promise<{ ms: number; photosMs: number | null; indexed: number }> {
  const library = path.join(dir, 'runs', `${name}-library`);
  await rm(library, { recursive: true, force: true });
  const engine = await Engine.open(
    { libraryDir: library, modelDir: await ensureVitModel() },
    { write: true, command: 'bench' },
  );
  try {
    await engine.addRoot(await folder(`${name}-warm`, [warm]));
    await engine.index();
    await engine.addRoot(await folder(name, files));
    // From the call (a scan of two small folders, the model already loaded) to the indexer's
    // 'done': the post-index work (places, text, tags) is not the videos' cost.
    const started = performance.now();
    let doneAt = 0;
    let photosAt: number | null = null;
    let polling = photoCount > 0;
    const poll = (async () => {
      while (polling) {
        // The warm-up photo is a photo too.
        const items = (await engine.listPhotos(0, photoCount + 50)).items;
        if (items.filter((h) => h.kind === 'photo').length >= photoCount + 1) {
          photosAt = performance.now();
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const summary = await engine.index({
      onProgress: (p) => {
        if (p.phase === 'done') doneAt = performance.now();
      },
    });
    polling = false;
    await poll;
    return { ms: doneAt - started, photosMs: photosAt === null ? null : photosAt - started, indexed: summary.indexed };
  } finally {
    await engine.close();
  }
}

await mkdir(dir, { recursive: true });
const clips = [await clip(0), await clip(1), await clip(2)];
const photoDir = await ensurePhotos(PHOTOS + 1);
const [warm, ...photos] = photoFiles(photoDir, PHOTOS + 1);
const m = machineInfo();
console.log(`${m.cpu}, ${m.cores} cores; ViT-B/32-shaped model on the CPU`);
const foreign = new ForeignCpu();
const REPS = 3;
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const oneMs: number[] = [];
const aloneRate: number[] = [];
const mixedShare: number[] = [];
const wholeShare: number[] = [];
for (let r = 0; r < REPS; r++) {
  oneMs.push((await timed('one-video', [clips[0]!], warm!)).ms);
  // Both runs timed the same way: until every photo is in the library, as the app would show it.
  const alone = await timed('photos', photos, warm!, PHOTOS);
  const rate = PHOTOS / ((alone.photosMs ?? alone.ms) / 1000);
  aloneRate.push(rate);
  const mixed = await timed('photos-and-videos', [...photos, ...clips], warm!, PHOTOS);
  mixedShare.push(PHOTOS / ((mixed.photosMs ?? mixed.ms) / 1000) / rate);
  wholeShare.push(PHOTOS / (mixed.ms / 1000) / rate);
}
const one = median(oneMs);
console.log(
  `one ${CLIP_SECONDS} s 1080p H.264 video, median of ${REPS}: ${(one / 1000).toFixed(2)} s, ${((one / 1000 / CLIP_SECONDS) * 100).toFixed(1)}% of its length (target at most 10%; runs ${oneMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`,
);
console.log(`${PHOTOS} photos alone, median: ${median(aloneRate).toFixed(2)} photos/s`);
console.log(
  `${PHOTOS} photos + ${clips.length} videos in one folder: the photos keep ${median(mixedShare).toFixed(2)} of their rate alone (target at least 0.8; runs ${mixedShare.map((x) => x.toFixed(2)).join(', ')}); ${median(wholeShare).toFixed(2)} counting the videos' time as theirs too`,
);
console.log(`others' CPU while measuring: ${foreign.cores()?.toFixed(2) ?? 'unknown'} cores`);
process.exit(0);
