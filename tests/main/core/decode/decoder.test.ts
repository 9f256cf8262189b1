// The decode process: untrusted files are decoded in a process of its own, with the same results
// and reasons as in this one, and a decoder that dies fails only the files it held.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeClient, localDecoder } from '#core/decode/decoder.ts';
import type { DecodeOptions } from '#core/decode/decode-photo.ts';
import { ShoeboxError } from '#core/errors.ts';

const red = (width: number, height: number): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 220, g: 30, b: 30 } } })
    .jpeg()
    .toBuffer();

describe('DecodeClient: decoding in the decode process', () => {
  let tmp = '';
  const client = new DecodeClient();
  const opts = (name: string): DecodeOptions => ({
    preprocess: {
      resize: { mode: 'shortest_edge', shortestEdge: 32 },
      crop: { width: 32, height: 32 },
      resample: 'cubic',
      rescaleFactor: null,
      mean: null,
      std: null,
    },
    inputSize: { width: 32, height: 32 },
    thumbFile: join(tmp, `${name}.webp`),
  });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-decoder-'));
  });
  afterAll(async () => {
    await client.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('decodes in another process exactly as in this one, thumbnail included', async () => {
    const jpeg = await red(400, 300);
    const there = await client.photo(jpeg, opts('there'));
    expect(client.pid).toBeGreaterThan(0);
    expect(client.pid).not.toBe(process.pid);
    const here = await localDecoder.photo(jpeg, opts('here'));
    expect(there).toMatchObject({ width: 400, height: 300, format: 'jpeg' });
    expect(Buffer.from(there.rgb)).toEqual(Buffer.from(here.rgb));
    expect((await sharp(join(tmp, 'there.webp')).metadata()).width).toBe(320);
    const webp = await client.display(jpeg, { maxEdge: 100 });
    expect(await sharp(webp).metadata()).toMatchObject({ format: 'webp', width: 100, height: 75 });
  });

  it('keeps a refused file’s code and reason', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    const err = await client.photo(svg, opts('svg')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShoeboxError);
    expect((err as ShoeboxError).code).toBe('DECODE_FAILED');
    expect((err as ShoeboxError).message).toMatch(/not a raster image/);
  });

  it('fails the files a dying decoder held, and decodes the next one in a fresh process', async () => {
    const jpeg = await red(64, 48);
    await client.read(jpeg, { maxEdge: 64 });
    const first = client.pid!;
    const held = [client.read(jpeg, { maxEdge: 64 }), client.read(jpeg, { maxEdge: 32 })];
    process.kill(first, 'SIGKILL');
    for (const p of held) await expect(p).rejects.toThrow(/decoder process was killed while reading this file/);
    await expect(client.read(jpeg, { maxEdge: 32 })).resolves.toMatchObject({ width: 32, height: 24 });
    expect(client.pid).not.toBe(first);
  });
});
