import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_SCRIPT } from '#support/cli.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

const run = promisify(execFile);

/**
 * Every socket connection a process tree makes, seen by strace at the system-call level — so
 * connections from native code (onnxruntime, LanceDB, libvips) count too, not only Node's.
 */
async function networkConnections(args: string[], traceFile: string): Promise<string[]> {
  await run('strace', ['-f', '-qq', '-e', 'trace=connect,sendto,sendmsg', '-o', traceFile, process.execPath, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = (await readFile(traceFile, 'utf8')).split('\n');
  return lines.filter((l) => /AF_INET6?\b/.test(l));
}

describe('privacy: indexing, search and albums make no network connection', () => {
  let tmp: string;
  let base: string[];
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-privacy-'));
    const model = await makeTestModel(join(tmp, 'model'));
    for (const [name, rgb] of Object.entries(COLOURS)) await writePhoto(join(tmp, 'photos', `${name}.jpg`), solid(rgb));
    base = [CLI_SCRIPT, '--library', join(tmp, 'library'), '--model', model];
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('would notice a connection (the probe works)', async () => {
    const code = "require('node:net').connect(9, '127.0.0.1').on('error', () => {})";
    const seen = await networkConnections(['-e', code], join(tmp, 'probe.trace'));
    expect(seen.some((l) => l.includes('127.0.0.1'))).toBe(true);
  });

  it.each([
    ['add', (t: string) => ['add', join(t, 'photos')]],
    ['index', () => ['index', '--json']],
    ['search', () => ['search', 'a red photo', '--json']],
    ['similar', (t: string) => ['similar', join(t, 'photos', 'red.jpg'), '--json']],
    ['status', () => ['status', '--json']],
    ['albums', () => ['albums', '--json']],
    ['tags', (t: string) => ['tags', join(t, 'photos', 'red.jpg'), '--json']],
  ])('%s connects to nothing', async (name, args) => {
    const seen = await networkConnections([...base, ...args(tmp)], join(tmp, `${name}.trace`));
    expect(seen).toEqual([]);
  });
});
