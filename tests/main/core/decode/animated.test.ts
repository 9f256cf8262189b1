// Animated GIF and WebP, made by sharp: the first frame is the photo (embedded and thumbnailed at
// one frame's size), and the original is what the viewer shows, so it animates there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_FORMATS, decodePhoto } from '#core/decode/decode-photo.ts';
import { options, solid } from './images.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-animated-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function animation(format: 'gif' | 'webp'): Promise<Buffer> {
  const frames = await Promise.all(
    [
      [220, 30, 30],
      [30, 60, 220],
      [30, 180, 50],
    ].map((rgb) =>
      solid(120, 80, rgb as [number, number, number])
        .png()
        .toBuffer(),
    ),
  );
  const joined = sharp(frames, { join: { animated: true } });
  return format === 'gif'
    ? joined.gif({ delay: 100, loop: 0 }).toBuffer()
    : joined.webp({ delay: 100, loop: 0 }).toBuffer();
}

describe('animated images', () => {
  it.each(['gif', 'webp'] as const)('embeds the first frame of an animated %s at one frame’s size', async (format) => {
    const input = await animation(format);
    expect((await sharp(input, { animated: true }).metadata()).pages).toBe(3);
    const thumb = join(dir, `${format}.webp`);
    const photo = await decodePhoto(input, options(thumb));
    expect([photo.format, photo.width, photo.height]).toEqual([format, 120, 80]);
    const centre = [...photo.rgb.subarray((112 * 224 + 112) * 3, (112 * 224 + 112) * 3 + 3)];
    expect(centre.every((v, i) => Math.abs(v - [220, 30, 30][i]!) <= 24)).toBe(true);
    expect(await sharp(thumb).metadata()).toMatchObject({ width: 120, height: 80 });
    // Shown as it is, so the browser animates it.
    expect(BROWSER_FORMATS.has(format)).toBe(true);
  });
});
