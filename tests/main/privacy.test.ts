import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CLI_SCRIPT } from '#support/cli.ts';
import {
  addFolderAndWait,
  launchChromium,
  openPage,
  requireBuiltRenderer,
  startServe,
  stopServe,
} from '#support/e2e.ts';
import { videoOf } from '#support/media-tools.ts';
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

describe('privacy: a browser session with `shoebox serve` makes no connection from the server', () => {
  let tmp: string;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('serves the page, indexes a folder, searches and shows a photo and a video, connecting to nothing', async () => {
    requireBuiltRenderer();
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-privacy-serve-'));
    const photos = join(tmp, 'photos');
    for (const [name, rgb] of Object.entries(COLOURS)) await writePhoto(join(photos, `${name}.jpg`), solid(rgb));
    await videoOf(join(photos, 'clip.mp4'), { scenes: [{ colour: 'blue', seconds: 2 }] });
    const trace = join(tmp, 'serve.trace');
    const server = await startServe({
      library: join(tmp, 'library'),
      model: await makeTestModel(join(tmp, 'model')),
      wrap: ['strace', '-f', '-qq', '-e', 'trace=connect,sendto,sendmsg', '-o', trace, '--'],
    });
    const errors: string[] = [];
    try {
      browser = await launchChromium();
      const page = await openPage(browser, server.url, errors);
      await addFolderAndWait(page, photos, Object.keys(COLOURS).length + 1, 60_000);
      // Typed once the text encoder is up: strace slows every system call of the server.
      const prepared = page.waitForResponse((r) => r.url().endsWith('/api/call/search.prepare') && r.ok());
      await page.getByLabel('Search photos').focus();
      await prepared;
      await page.getByLabel('Search photos').pressSequentially('blue', { delay: 20 });
      await page.getByRole('heading', { name: 'Results for “blue”' }).waitFor({ timeout: 60_000 });
      await page.getByRole('img', { name: 'clip.mp4' }).click();
      await page.locator('[role=dialog] video').waitFor();
      await page.keyboard.press('Escape');
      await page.getByRole('img', { name: 'blue.jpg' }).click();
      await page.getByRole('dialog', { name: 'blue.jpg' }).waitFor();
      // Closed while the server still runs: a page left open would fail to reach it afterwards.
      await page.close();
    } finally {
      await stopServe(server);
    }
    const lines = (await readFile(trace, 'utf8')).split('\n');
    // The trace saw the server at work (its inference process included), and no connection out.
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => /AF_INET6?\b/.test(l))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
