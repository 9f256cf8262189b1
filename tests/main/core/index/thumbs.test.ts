// Reading a thumbnail back for the text and face checks: whether it is flat (nothing to look for)
// is judged at the size the rule was measured at, whatever size the thumbnail was written at.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THUMB_SIZE } from '#core/decode/decode-photo.ts';
import { asThumbnail } from '#core/decode/derive.ts';
import { isFlat, readThumbnail, thumbPath } from '#core/index/thumbs.ts';
import { GROUP_PHOTOS } from '#support/face-photos.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shoebox-thumbs-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** Writes `image` as the library's thumbnail of content `hash`, as the indexing decode does. */
async function thumbnailOf(hash: string, image: Sharp): Promise<void> {
  const file = thumbPath(dir, hash);
  await mkdir(dirname(file), { recursive: true });
  await asThumbnail(image, DEFAULT_THUMB_SIZE).toFile(file);
}

describe('readThumbnail', () => {
  it('judges a plain, grainy picture flat at the thumbnail size, though its own pixels are not', async () => {
    // A wall in low light: grain that differs sharply from pixel to pixel at 480 pixels and
    // averages away at 320.
    const width = DEFAULT_THUMB_SIZE;
    const height = (DEFAULT_THUMB_SIZE * 3) / 4;
    const grain = await sharp({
      create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 10 } },
    })
      .raw()
      .toBuffer();
    await thumbnailOf('a'.repeat(64), sharp(grain, { raw: { width, height, channels: 3 } }));
    const thumb = await readThumbnail(dir, 'a'.repeat(64));
    expect(Math.max(thumb.width, thumb.height)).toBe(DEFAULT_THUMB_SIZE);
    expect(isFlat(thumb.rgb, thumb.width, thumb.height)).toBe(false);
    expect(thumb.flat).toBe(true);
  });

  it('does not judge a group photo flat', async () => {
    await thumbnailOf('b'.repeat(64), sharp(GROUP_PHOTOS[0]));
    const thumb = await readThumbnail(dir, 'b'.repeat(64));
    expect(Math.max(thumb.width, thumb.height)).toBe(DEFAULT_THUMB_SIZE);
    expect(thumb.flat).toBe(false);
  });
});
