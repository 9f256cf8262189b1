// The decode process: untrusted files are decoded in a process of its own, with the same results
// and reasons as in this one, and a decoder that dies fails only the files it held.
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeClient, forkDecoder, localDecoder } from '#core/decode/decoder.ts';
import { DEFAULT_THUMB_SIZE } from '#core/decode/decode-photo.ts';
import type { DecodeOptions } from '#core/decode/decode-photo.ts';
import { sourceOf } from '#core/decode/file-source.ts';
import { ShoeboxError } from '#core/errors.ts';
import { brokenDecoder } from '#support/broken-decoders.ts';

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
    const jpeg = await red(800, 600);
    const there = await client.photo(jpeg, opts('there'));
    expect(client.pid).toBeGreaterThan(0);
    expect(client.pid).not.toBe(process.pid);
    const here = await localDecoder.photo(jpeg, opts('here'));
    expect(there).toMatchObject({ width: 800, height: 600, format: 'jpeg' });
    expect(Buffer.from(there.rgb)).toEqual(Buffer.from(here.rgb));
    expect((await sharp(join(tmp, 'there.webp')).metadata()).width).toBe(DEFAULT_THUMB_SIZE);
    const webp = await client.display(jpeg, { maxEdge: 100 });
    expect(await sharp(webp).metadata()).toMatchObject({ format: 'webp', width: 100, height: 75 });
  });

  it('reads a file itself when told which one, and refuses one that changed since it was read', async () => {
    const path = join(tmp, 'on-disk.jpg');
    const jpeg = await red(400, 300);
    await writeFile(path, jpeg);
    const source = sourceOf(path, await stat(path));
    // Bytes of another picture: the decode process must not use them when it has the file.
    const decoy = await sharp({ create: { width: 50, height: 40, channels: 3, background: 'blue' } })
      .jpeg()
      .toBuffer();
    const fromFile = await client.photo(decoy, opts('from-file'), source);
    expect(fromFile).toMatchObject({ width: 400, height: 300 });
    expect(Buffer.from(fromFile.rgb)).toEqual(Buffer.from((await localDecoder.photo(jpeg, opts('local'))).rgb));
    const read = await client.read(source, { maxEdge: 100 });
    expect(read).toMatchObject({ width: 100, height: 75 });
    expect(Buffer.from(read.rgb)).toEqual(Buffer.from((await localDecoder.read(jpeg, { maxEdge: 100 })).rgb));
    // Rewritten in place (same inode, other bytes), or replaced under the same name: refused.
    await writeFile(path, decoy);
    expect((await stat(path)).ino).toBe(source.ino);
    const rewritten = await client.photo(decoy, opts('rewritten'), source).catch((e: unknown) => e);
    expect(rewritten).toBeInstanceOf(ShoeboxError);
    expect(rewritten).toMatchObject({ code: 'DECODE_FAILED' });
    expect((rewritten as Error).message).toMatch(/changed while/);
    await expect(client.read(source, { maxEdge: 100 })).rejects.toThrow(/changed while/);
    await writeFile(`${path}.new`, jpeg);
    await rename(`${path}.new`, path);
    const replaced = await client
      .photo(decoy, opts('replaced'), { ...source, mtimeMs: (await stat(path)).mtimeMs })
      .catch((e: unknown) => e);
    expect(replaced).toMatchObject({ code: 'DECODE_FAILED' });
    expect((replaced as Error).message).toMatch(/changed while/);
  });

  it('keeps a refused file’s code and reason', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>');
    const err = await client.photo(svg, opts('svg')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShoeboxError);
    expect((err as ShoeboxError).code).toBe('DECODE_FAILED');
    expect((err as ShoeboxError).message).toMatch(/not a raster image/);
  });

  it('decodes again, each alone, the files a decoder that died held, and goes on in a fresh process', async () => {
    const jpeg = await red(64, 48);
    await client.read(jpeg, { maxEdge: 64 });
    const first = client.pid!;
    const held = [client.read(jpeg, { maxEdge: 64 }), client.read(jpeg, { maxEdge: 32 })];
    process.kill(first, 'SIGKILL');
    expect(await Promise.all(held)).toMatchObject([
      { width: 64, height: 48 },
      { width: 32, height: 24 },
    ]);
    await expect(client.read(jpeg, { maxEdge: 32 })).resolves.toMatchObject({ width: 32, height: 24 });
    expect(client.pid).not.toBe(first);
  });
});

describe('DecodeClient: a file that breaks its decoder', () => {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff]);

  it('fails with the reason when it kills the decoder alone too, and the next file gets a fresh process', async () => {
    let started = 0;
    const client = new DecodeClient(() => {
      started++;
      return started <= 2 ? brokenDecoder('crash') : forkDecoder();
    });
    try {
      const err = await client.read(jpeg, { maxEdge: 8 }).catch((e: unknown) => e);
      expect((err as ShoeboxError).code).toBe('DECODE_FAILED');
      expect((err as Error).message).toMatch(/decoder process stopped \(exit code 3\) while reading this file/);
      // Once with the others, once alone: then it is this file's fault.
      expect(started).toBe(2);
      await expect(client.read(await red(16, 12), { maxEdge: 16 })).resolves.toMatchObject({ width: 16 });
    } finally {
      await client.close();
    }
  });

  it('ends a decoder that takes longer than the limit on a file, saying why', async () => {
    const client = new DecodeClient(() => brokenDecoder('hang'), { timeoutMs: 1000 });
    try {
      const err = await client.read(jpeg, { maxEdge: 8 }).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/took longer than 1 s on this file and was stopped/);
    } finally {
      await client.close();
    }
  });
});
