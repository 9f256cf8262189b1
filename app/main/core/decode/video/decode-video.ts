import { ShoeboxError } from '../../errors.ts';
import { modelInput, momentThumbFile, writeThumbnail } from '../derive.ts';
import type { DecodedPhoto, DecodeOptions } from '../decode-photo.ts';
import { DEFAULT_THUMB_SIZE } from '../decode-photo.ts';
import { checkInputSize, intermediateSize, modelResizeSize } from '../preprocess.ts';
import type { VideoContainer } from '../sniff.ts';
import { sampleFrames } from './video-frames.ts';
import type { VideoFrame } from './video-frames.ts';
import { probeVideo } from './video-probe.ts';

/** Sampling limits: at most one frame per 2 s, one at least every 10 s, 64 per video. */
export const VIDEO_SAMPLING = { maxFrames: 64, minGapSeconds: 2, maxGapSeconds: 10 } as const;

/** Moments besides the poster whose thumbnails are kept for the face stage: someone who is not in the poster. */
export const FACE_MOMENTS = 4;

/** Up to `count` of the sampled frames other than the poster, spread evenly over the video. */
export function faceMoments(frames: readonly VideoFrame[], poster: number, count = FACE_MOMENTS): VideoFrame[] {
  const others = frames.filter((_, i) => i !== poster);
  if (others.length <= count) return others;
  return Array.from({ length: count }, (_, k) => others[Math.floor(((k + 0.5) * others.length) / count)]!);
}

/**
 * The poster: the first lit frame from one second in (a phone video's very first frame is often
 * black or blurred by the hand that pressed record), else the first lit frame.
 */
export function posterIndex(frames: readonly VideoFrame[]): number {
  const settled = frames.findIndex((f) => f.atMs >= 1000);
  return settled >= 0 && frames.length > 1 ? settled : 0;
}

/**
 * A video as the library keeps it: the model input of every sampled frame (with where it is), the
 * poster frame's as the item's own, its thumbnail, and the capture metadata. Read by ffprobe and
 * decoded by ffmpeg from the path: videos are far too big to read into memory as photos are.
 */
export async function decodeVideo(path: string, container: VideoContainer, opts: DecodeOptions): Promise<DecodedPhoto> {
  checkInputSize(opts.preprocess, opts.inputSize);
  const thumbSize = opts.thumbSize ?? DEFAULT_THUMB_SIZE;
  const info = await probeVideo(path);
  const display = { width: info.width, height: info.height };
  const resized = modelResizeSize(opts.preprocess, opts.inputSize, display);
  const size = intermediateSize(display, resized, thumbSize) ?? display;
  const frames = await sampleFrames(path, { ...VIDEO_SAMPLING, durationMs: info.durationMs, size });
  const poster = frames[posterIndex(frames)];
  if (!poster) throw new ShoeboxError('DECODE_FAILED', `ffmpeg found no frame to show in this ${info.codec} video`);
  const inputs: { atMs: number; rgb: Uint8Array }[] = [];
  for (const frame of frames) {
    inputs.push({ atMs: frame.atMs, rgb: await modelInput({ data: frame.data, size }, resized, opts) });
  }
  await writeThumbnail({ data: poster.data, size }, opts.thumbFile, thumbSize);
  for (const moment of faceMoments(frames, frames.indexOf(poster)))
    await writeThumbnail({ data: moment.data, size }, momentThumbFile(opts.thumbFile, moment.atMs), thumbSize);
  return {
    width: info.width,
    height: info.height,
    format: container,
    takenAt: info.takenAt,
    cameraMake: info.cameraMake,
    cameraModel: info.cameraModel,
    gpsLat: info.gpsLat,
    gpsLon: info.gpsLon,
    rgb: inputs[frames.indexOf(poster)]!.rgb,
    video: { durationMs: info.durationMs, posterAtMs: poster.atMs, frames: inputs },
  };
}
