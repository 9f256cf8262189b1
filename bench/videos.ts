// `node bench/videos.ts`: what a phone video costs to index: ffprobe, then ffmpeg decoding only
// keyframes at scene cuts and scaling them to the model's size, through decodeVideo as the indexer
// calls it, one video at a time. The videos are made here by Debian's ffmpeg (cached): a 1080p
// 30 fps H.264 clip of 60 s and a 4K HEVC clip of 20 s, each with a keyframe every second and a
// scene change every 5 s (moving test patterns, so nothing is trivially compressible).
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { decodeVideo } from '../app/main/core/decode/video/decode-video.ts';
import { makeClip } from './clips.ts';
import { ForeignCpu } from './machine.ts';
import { CLIP_PREPROCESS } from './photos.ts';
import { CACHE_DIR } from './vit-model.ts';

const dir = path.join(CACHE_DIR, 'videos');

const VIDEOS = [
  { name: '1080p-h264-60s.mp4', size: '1920x1080', seconds: 60, codec: ['-c:v', 'libx264', '-preset', 'veryfast'] },
  {
    name: '2160p-hevc-20s.mov',
    size: '3840x2160',
    seconds: 20,
    codec: ['-c:v', 'libx265', '-preset', 'ultrafast', '-tag:v', 'hvc1', '-x265-params', 'log-level=error'],
  },
];

function make(v: (typeof VIDEOS)[number]): Promise<string> {
  return makeClip(path.join(dir, v.name), v);
}

await mkdir(dir, { recursive: true });
const thumbFile = path.join(dir, 'thumb.webp');
console.log('one video at a time, after one untimed run; ms per video, and video seconds indexed per second');
for (const v of VIDEOS) {
  const file = await make(v);
  const once = () =>
    decodeVideo(file, v.name.endsWith('.mov') ? 'mov' : 'mp4', {
      preprocess: CLIP_PREPROCESS,
      inputSize: { width: 224, height: 224 },
      thumbFile,
    });
  await once();
  const foreign = new ForeignCpu();
  const t0 = performance.now();
  const decoded = await once();
  const ms = performance.now() - t0;
  const mb = (await stat(file)).size / 1048576;
  console.log(
    `${v.name.padEnd(20)} ${mb.toFixed(0).padStart(4)} MB  ${String(decoded.video?.frames.length).padStart(3)} frames  ${ms.toFixed(0).padStart(6)} ms  ${((v.seconds * 1000) / ms).toFixed(1).padStart(5)}× real time  (others' CPU ${foreign.cores()?.toFixed(2) ?? 'unknown'} cores)`,
  );
}
await rm(thumbFile, { force: true });
process.exit(0);
