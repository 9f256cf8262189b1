// The frames of a video worth embedding: ffmpeg decodes only keyframes (phones write one every
// second or two), keeps those that start a new scene, never two closer than a floor apart, one at
// least every so often through a scene that never cuts, and at most a fixed number in all; it
// scales them straight to the size the model input and thumbnail are cut from.
import type { Size } from '../preprocess.ts';
import { ffmpegPaths, runTool } from './ffmpeg-tools.ts';

export interface VideoFrame {
  /** Where in the video, in milliseconds from its start. */
  atMs: number;
  /** Interleaved 8-bit RGB of `size`. */
  data: Buffer;
}

export interface SampleOptions {
  durationMs: number;
  /** The size frames come out at (the stored frame turned upright, then scaled). */
  size: Size;
  /** At most this many frames. */
  maxFrames: number;
  /** Never two frames closer than this (seconds), unless the video is long enough to need more. */
  minGapSeconds: number;
  /** A frame at least this often (seconds) even when nothing cuts. */
  maxGapSeconds: number;
}

/** How different a keyframe must be from the one before to count as a new scene (0–1). */
const SCENE_THRESHOLD = 0.3;

/**
 * ffmpeg's select expression: the first frame, a frame at about one second (the first frame of a
 * phone video is often black or blurred, and a fade-in is no cut), and then scene changes at
 * least `min` apart, or any frame once `max` has passed without one.
 */
export function selectExpression(minSeconds: number, maxSeconds: number): string {
  const min = minSeconds.toFixed(2);
  const max = maxSeconds.toFixed(2);
  const gap = 't-prev_selected_t';
  return (
    `isnan(prev_selected_t)+lt(prev_selected_t\\,0.5)*gte(t\\,1)` +
    `+gte(${gap}\\,${min})*(gt(scene\\,${SCENE_THRESHOLD})+gte(${gap}\\,${max}))`
  );
}

function frameTimes(stderr: string): number[] {
  return [...stderr.matchAll(/Parsed_showinfo.*?pts_time:\s*(-?[\d.]+)/g)].map((m) =>
    Math.max(0, Math.round(Number(m[1]) * 1000)),
  );
}

async function decodeFrames(
  path: string,
  inputArgs: string[],
  filter: string,
  count: number,
  size: Size,
): Promise<VideoFrame[]> {
  const frameBytes = size.width * size.height * 3;
  const { stdout, stderr } = await runTool(
    (await ffmpegPaths()).ffmpeg,
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'info',
      ...inputArgs,
      '-i',
      path,
      '-map',
      '0:v:0',
      '-an',
      '-sn',
      '-dn',
      '-vf',
      `${filter}scale=${size.width}:${size.height}:flags=area,setsar=1,showinfo`,
      '-vsync',
      'vfr',
      '-frames:v',
      String(count),
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { timeoutMs: 120_000, maxStdoutBytes: (count + 1) * frameBytes },
  );
  const times = frameTimes(stderr);
  const frames: VideoFrame[] = [];
  for (let i = 0; (i + 1) * frameBytes <= stdout.length; i++) {
    frames.push({ atMs: times[i] ?? 0, data: stdout.subarray(i * frameBytes, (i + 1) * frameBytes) });
  }
  return frames;
}

/** Mean brightness (0–255) of an RGB frame, from every 7th pixel: enough to tell a black frame. */
export function meanLuma(data: Buffer): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 2 < data.length; i += 21) {
    sum += 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    n++;
  }
  return n > 0 ? sum / n : 0;
}

export const isBlack = (frame: VideoFrame): boolean => meanLuma(frame.data) < 16;

/**
 * The sampled frames, black ones dropped. When every sampled frame is black (a video that opens
 * on black and fades in slowly, or a dark one), the middle of the video is tried; a video that is
 * black there too keeps its first frame, so every video has at least one.
 */
export async function sampleFrames(path: string, o: SampleOptions): Promise<VideoFrame[]> {
  const seconds = o.durationMs / 1000;
  // Long videos spread their frames out: the cap covers the whole length, not just its start.
  const min = Math.max(o.minGapSeconds, seconds / o.maxFrames);
  const max = Math.max(o.maxGapSeconds, min, seconds / (o.maxFrames / 4));
  const sampled = await decodeFrames(
    path,
    ['-skip_frame', 'nokey'],
    `select='${selectExpression(min, max)}',`,
    o.maxFrames,
    o.size,
  );
  const lit = sampled.filter((f) => !isBlack(f));
  if (lit.length > 0) return lit;
  if (seconds > 1) {
    const middle = await decodeFrames(path, ['-ss', (seconds / 2).toFixed(3)], '', 1, o.size);
    const frame = middle[0];
    if (frame && !isBlack(frame)) return [{ ...frame, atMs: Math.round(o.durationMs / 2) }];
  }
  return sampled.slice(0, 1);
}
