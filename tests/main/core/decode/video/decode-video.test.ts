// Videos made by Debian's ffmpeg, read by the ffprobe and ffmpeg that npm installed
// (@ffprobe-installer, @ffmpeg-installer): metadata, the frames sampled, the poster.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShoeboxError } from '#core/errors.ts';
import { decodeVideo, FACE_MOMENTS } from '#core/decode/video/decode-video.ts';
import { parseIso6709, parseVideoDate, probeVideo } from '#core/decode/video/video-probe.ts';
import { sniffVideo } from '#core/decode/sniff.ts';
import { videoOf } from '#support/media-tools.ts';
import { options } from '../images.ts';

let dir = '';
const at = (name: string): string => join(dir, name);

/** The model input's centre pixel. */
const centre = (rgb: Uint8Array): number[] => [...rgb.subarray((112 * 224 + 112) * 3, (112 * 224 + 112) * 3 + 3)];
const near = (a: number[], b: number[]): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= 24);

async function failure(path: string): Promise<string> {
  const err: unknown = await decodeVideo(path, 'mp4', options(at('t.webp'))).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShoeboxError);
  expect((err as ShoeboxError).code).toBe('DECODE_FAILED');
  return (err as ShoeboxError).message;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-video-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('video metadata', () => {
  it('reads ISO 6709 places and QuickTime dates as phones write them, and refuses nonsense', () => {
    expect(parseIso6709('+48.8584+002.2945+035.000/')).toEqual({ lat: 48.8584, lon: 2.2945 });
    expect(parseIso6709('-33.8568+151.2153/')).toEqual({ lat: -33.8568, lon: 151.2153 });
    expect(parseIso6709('+95.0+002.0/')).toBeNull();
    expect(parseIso6709('+00.0000+000.0000/')).toBeNull();
    expect(parseVideoDate('2021-07-04T12:00:00+0200')).toBe(Date.UTC(2021, 6, 4, 10));
    expect(parseVideoDate('2021-07-04T10:00:00.000000Z')).toBe(Date.UTC(2021, 6, 4, 10));
    expect(parseVideoDate('1904-01-01T00:00:00.000000Z')).toBeNull();
    expect(parseVideoDate('not a date')).toBeNull();
  });

  it('reads length, size, date, place and camera from an iPhone-style QuickTime file, turned upright', async () => {
    const file = at('IMG_0001.MOV');
    await videoOf(file, {
      scenes: [{ colour: 'red', seconds: 3 }],
      codec: 'hevc',
      width: 320,
      height: 180,
      rotation: 90,
      metadata: {
        creation_time: '2023-07-14T08:11:12Z',
        location: '+48.8584+002.2945+035.000/',
        make: 'Apple',
        model: 'iPhone 15 Pro',
      },
    });
    const info = await probeVideo(file);
    expect(info).toMatchObject({
      width: 180,
      height: 320,
      rotation: 90,
      codec: 'hevc',
      takenAt: Date.UTC(2023, 6, 14, 8, 11, 12),
      cameraMake: 'Apple',
      cameraModel: 'iPhone 15 Pro',
      gpsLat: 48.8584,
      gpsLon: 2.2945,
    });
    expect(info.durationMs).toBeGreaterThanOrEqual(2900);
    expect(info.durationMs).toBeLessThanOrEqual(3100);
    const { video, width, height } = await decodeVideo(file, 'mov', options(at('rot.webp')));
    expect([width, height]).toEqual([180, 320]);
    const thumb = await sharp(at('rot.webp')).metadata();
    expect(thumb.height).toBeGreaterThan(thumb.width);
    expect(video?.frames.length).toBeGreaterThanOrEqual(1);
  });
});

describe('video frames', () => {
  it('samples each scene, drops the black opening, and makes the poster of a lit frame', async () => {
    const file = at('scenes.mp4');
    await videoOf(file, {
      scenes: [
        { colour: 'black', seconds: 1 },
        { colour: 'red', seconds: 3 },
        { colour: 'blue', seconds: 3 },
      ],
    });
    const d = await decodeVideo(file, 'mp4', options(at('scenes.webp')));
    expect(d.format).toBe('mp4');
    const frames = d.video!.frames;
    // Keyframes every second: black at 0 (dropped), red from 1 s, the cut to blue at 4 s.
    expect(frames.map((f) => f.atMs)).toEqual([1000, 4000]);
    expect(near(centre(frames[0]!.rgb), [255, 0, 0])).toBe(true);
    expect(near(centre(frames[1]!.rgb), [0, 0, 255])).toBe(true);
    expect(d.video!.posterAtMs).toBe(1000);
    expect(d.rgb).toBe(frames[0]!.rgb);
    const { data } = await sharp(at('scenes.webp')).raw().toBuffer({ resolveWithObject: true });
    expect(near([data[0]!, data[1]!, data[2]!], [255, 0, 0])).toBe(true);
    // The other moment's thumbnail is kept beside the poster's, for the faces in it.
    const blue = await sharp(at('scenes@4000.webp')).raw().toBuffer({ resolveWithObject: true });
    expect(near([blue.data[0]!, blue.data[1]!, blue.data[2]!], [0, 0, 255])).toBe(true);
    expect((await readdir(dir)).filter((n) => n.startsWith('scenes@'))).toEqual(['scenes@4000.webp']);
  });

  it('keeps at most 64 frames, spread over the whole of a long video, never two within 2 s', async () => {
    const file = at('long.webm');
    // A cut every second for 200 s, a keyframe at each: far more candidates than the cap.
    const scenes = Array.from({ length: 200 }, (_, i) => ({ colour: i % 2 === 0 ? 'red' : 'blue', seconds: 1 }));
    await videoOf(file, { scenes, codec: 'webm', width: 64, height: 48, fps: 2, gop: 2 });
    expect(sniffVideo(await readFile(file))).toBe('webm');
    const d = await decodeVideo(file, 'webm', options(at('long.webp')));
    const times = d.video!.frames.map((f) => f.atMs);
    expect(times.length).toBeGreaterThan(40);
    expect(times.length).toBeLessThanOrEqual(64);
    expect(times.at(-1)).toBeGreaterThan(150_000);
    for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(2000);
    // A few moments' thumbnails besides the poster's, spread from the start to the end.
    const moments = (await readdir(dir))
      .filter((n) => n.startsWith('long@'))
      .map((n) => Number(/@(\d+)\.webp$/.exec(n)![1]))
      .sort((a, b) => a - b);
    expect(moments).toHaveLength(FACE_MOMENTS);
    expect(moments.every((m) => times.includes(m) && m !== d.video!.posterAtMs)).toBe(true);
    expect(moments[0]).toBeLessThan(50_000);
    expect(moments.at(-1)).toBeGreaterThan(130_000);
  });

  it('says why a video cannot be read: cut off, audio only, not a video at all', async () => {
    await videoOf(at('whole.mp4'), { scenes: [{ colour: 'green', seconds: 2 }] });
    const whole = await readFile(at('whole.mp4'));
    await writeFile(at('cut.mp4'), whole.subarray(0, 40));
    expect(await failure(at('cut.mp4'))).toMatch(/moov atom not found|Invalid data/);
    await writeFile(at('noise.mp4'), Buffer.concat([whole.subarray(0, 32), Buffer.alloc(4096, 7)]));
    expect(await failure(at('noise.mp4'))).toMatch(/moov atom not found|Invalid data/);
    await videoOf(at('audio.mp4'), { scenes: [], audioSeconds: 1 });
    expect(await failure(at('audio.mp4'))).toBe('no video stream in this file');
  });
});
