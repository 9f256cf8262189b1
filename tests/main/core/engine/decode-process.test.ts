// The engine decodes every file in its decode process, never in the process that holds the
// library: what a crafted file reaches in a decoder runs there.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkDecoder } from '#core/decode/decoder.ts';
import type { DecodeChannel } from '#core/decode/decoder.ts';
import { Engine } from '#core/engine/engine.ts';
import { makeTestModel } from '#support/test-model.ts';

describe('Engine: decoding in the decode process', () => {
  let tmp = '';
  let photos = '';
  let engine: Engine;
  const started: DecodeChannel[] = [];
  let asked = 0;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-decode-process-'));
    photos = join(tmp, 'photos');
    await mkdir(photos);
    for (const [name, background] of [
      ['red.jpg', '#dc1e1e'],
      ['blue.png', '#1e3cdc'],
    ] as const) {
      await sharp({ create: { width: 120, height: 90, channels: 3, background } }).toFile(join(photos, name));
    }
    await writeFile(join(photos, 'drawing.jpg'), '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>');
    engine = await Engine.open(
      {
        libraryDir: join(tmp, 'library'),
        modelDir: await makeTestModel(join(tmp, 'model')),
        threads: 1,
        // The default spawner, counted: every request the engine makes goes through it.
        spawnDecoder: () => {
          const channel = forkDecoder();
          const send = channel.send.bind(channel);
          started.push({
            ...channel,
            send: (m) => {
              asked++;
              send(m);
            },
            pid: channel.pid,
          });
          return started.at(-1)!;
        },
      },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
  });
  afterAll(async () => {
    await engine.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('indexes through one decode process and records what it refused, with its reason', async () => {
    expect(await engine.index()).toMatchObject({ indexed: 2, failed: 1 });
    expect(started).toHaveLength(1);
    expect(started[0]!.pid).not.toBe(process.pid);
    expect(asked).toBe(3);
    const failures = await engine.failures();
    expect(failures.map((f) => f.path)).toEqual([join(photos, 'drawing.jpg')]);
    expect(failures[0]!.reason).toMatch(/not a raster image/);
    expect((await engine.search('red', { limit: 1 }))[0]!.path).toBe(join(photos, 'red.jpg'));
  });
});
