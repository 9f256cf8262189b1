// End-to-end: albums in the built renderer served by the real `shoebox serve`, with the generated
// test model (its tags are colours) and photos written by sharp, driven in Debian's Chromium.
// Nothing is mocked. Screenshots go to artifacts/screenshots/ for a human to look at.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCli } from '../support/cli.ts';
import type { RunningCli } from '../support/cli.ts';
import { writePhoto } from '../support/photos.ts';
import { COLOURS, makeTestModel } from '../support/test-model.ts';
import { noisy } from '../main/core/albums/album-photos.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const CHROMIUM = process.env.SHOEBOX_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

// Four red photos, eight of other colours, and one byte-for-byte copy (13 files, 12 pictures).
const PHOTOS: { name: string; colour: string }[] = [
  ...[1, 2, 3, 4].map((i) => ({ name: `red-${i}.jpg`, colour: 'red' })),
  ...[1, 2].map((i) => ({ name: `blue-${i}.jpg`, colour: 'blue' })),
  ...[1, 2].map((i) => ({ name: `green-${i}.jpg`, colour: 'green' })),
  { name: 'yellow.jpg', colour: 'yellow' },
  { name: 'purple.jpg', colour: 'purple' },
  { name: 'orange.jpg', colour: 'orange' },
  { name: 'white.jpg', colour: 'white' },
];
const COPY = 'purple-copy.jpg';
const FILES = PHOTOS.length + 1;

interface PageGlobals {
  document: { images: ArrayLike<{ complete: boolean }> };
}

async function shot(page: Page, name: string): Promise<void> {
  // Toasts from earlier steps would cover the screen being pictured.
  // They also expire on their own, so one may be gone before it is clicked.
  const dismiss = page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 1000 }).catch(() => undefined);
  await page.waitForFunction(() => Array.from((globalThis as unknown as PageGlobals).document.images).every((i) => i.complete));
  await page.waitForTimeout(250);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

describe('albums in a browser', () => {
  let tmp: string;
  let browser: Browser;
  let cli: RunningCli;
  let page: Page;
  let photosDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
      throw new Error('the renderer is not built: run "npm run build:renderer" (npm test does) before the e2e tests');
    }
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-e2e-albums-'));
    await mkdir(SHOTS, { recursive: true });
    const modelDir = await makeTestModel(path.join(tmp, 'model'));
    photosDir = path.join(tmp, 'photos');
    for (const [i, p] of PHOTOS.entries()) await writePhoto(path.join(photosDir, p.name), noisy(COLOURS[p.colour]!, i + 1, 110 + i * 6, 84));
    await copyFile(path.join(photosDir, 'purple.jpg'), path.join(photosDir, COPY));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cli = startCli(['--library', path.join(tmp, 'library'), '--model', modelDir, 'serve', '--port', '0'], { timeoutMs: 240_000 });
    const url = await eventually(async () => Promise.resolve(/http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(cli.stdout())?.[0]), 20_000, 'shoebox serve to print its URL', 100);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    cli?.child.kill('SIGTERM');
    await cli?.done;
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('indexes a folder', async () => {
    await page.getByRole('button', { name: 'Add a folder' }).click();
    await page.getByLabel('Folder path').fill(photosDir);
    await page.getByRole('form', { name: 'Add a folder' }).getByRole('button', { name: 'Add folder' }).click();
    await page.locator(`[data-testid=index-status][data-total="${FILES}"][data-done="${FILES}"][data-running="false"]`).waitFor({ timeout: 30_000 });
    await page.getByText(`${FILES} photos`, { exact: true }).waitFor();
  });

  it('shows the albums grouped, with a "red" tag album of 4 photos', async () => {
    await page.getByRole('button', { name: /^Albums/ }).click();
    await page.getByRole('heading', { name: 'Places & things' }).waitFor();
    const red = page.getByRole('button', { name: 'red, 4 photos' });
    // Tags are written just after indexing; the screen re-reads when the library changes.
    await eventually(async () => ((await red.count()) > 0 ? true : (await page.getByRole('button', { name: /^Albums/ }).click(), undefined)), 20_000, 'the red tag album');
    await expect(page.getByRole('heading', { name: 'Duplicates' }).count()).resolves.toBe(1);
    await shot(page, '20-albums');
    await red.click();
    await page.getByRole('heading', { name: 'red', exact: true }).waitFor();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(4);
    const alts = await Promise.all((await page.locator('[role=grid] img').all()).map(async (i) => (await i.getAttribute('alt')) ?? ''));
    expect(alts.sort()).toEqual(['red-1.jpg', 'red-2.jpg', 'red-3.jpg', 'red-4.jpg']);
    await shot(page, '21-album-view');
    await page.getByRole('button', { name: 'Back to albums' }).click();
  });

  it('creates a user album "Trip"', async () => {
    await page.getByRole('button', { name: 'New album' }).click();
    await page.getByRole('dialog', { name: 'New album' }).getByLabel('Name').fill('Trip');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('button', { name: 'Trip, 0 photos' }).waitFor();
  });

  it('adds a photo to it from the viewer, favourites it, rates it and rejects a tag', async () => {
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByRole('img', { name: 'blue-1.jpg' }).click();
    const dialog = page.getByRole('dialog', { name: 'blue-1.jpg' });
    await dialog.getByRole('button', { name: 'Reject tag blue' }).waitFor();
    await dialog.getByLabel('Add to album').selectOption({ label: 'Trip' });
    await page.getByText('Added to “Trip”').waitFor();
    await dialog.getByRole('button', { name: 'Favourite' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Favourite' }).getAttribute('aria-pressed')).toBe('true');
    await dialog.getByRole('button', { name: '4 stars' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: '4 stars' }).getAttribute('aria-pressed')).toBe('true');
    await dialog.getByRole('button', { name: 'Reject tag blue' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Reject tag blue' }).getAttribute('aria-pressed')).toBe('true');
    await shot(page, '22-viewer-tags');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('shows the one photo in "Trip"', async () => {
    await page.getByRole('button', { name: /^Albums/ }).click();
    await page.getByRole('button', { name: 'Trip, 1 photo' }).click();
    await page.getByRole('heading', { name: 'Trip', exact: true }).waitFor();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(1);
    await expect(page.locator('[role=grid] img').getAttribute('alt')).resolves.toBe('blue-1.jpg');
    await page.getByRole('button', { name: 'Back to albums' }).click();
  });

  it('reviews the duplicates with the one to keep marked', async () => {
    await page.getByRole('button', { name: /^Duplicates, 2 photos/ }).click();
    const group = page.getByRole('region', { name: /Identical copies, 2 photos/ });
    await group.waitFor();
    const names = await Promise.all((await group.locator('li').all()).map(async (li) => (await li.getAttribute('data-path')) ?? ''));
    expect(names.map((p) => path.basename(p)).sort()).toEqual([COPY, 'purple.jpg']);
    await expect(group.getByText('Suggested to keep').count()).resolves.toBe(1);
    await shot(page, '23-duplicates');
  });

  it('logged no console errors and threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
