// End-to-end: albums in the built renderer served by the real `shoebox serve`, with the generated
// test model (its tags are colours) and photos written by sharp, driven in Debian's Chromium.
// Nothing is mocked. Screenshots go to artifacts/screenshots/ for a human to look at.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '#support/cli.ts';
import {
  imagesLoaded,
  launchChromium,
  makeTempDir,
  openPage,
  removeTempDir,
  requireBuiltRenderer,
  screenshot,
  startServe,
  stopServe,
} from '#support/e2e.ts';
import type { Serve } from '#support/e2e.ts';
import { writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';
import { noisy } from '../main/core/albums/album-photos.ts';

// Four red photos, ten of other colours, and one byte-for-byte copy (15 files, 14 pictures).
const PHOTOS: { name: string; colour: string }[] = [
  ...[1, 2, 3, 4].map((i) => ({ name: `red-${i}.jpg`, colour: 'red' })),
  ...[1, 2].map((i) => ({ name: `blue-${i}.jpg`, colour: 'blue' })),
  ...[1, 2].map((i) => ({ name: `green-${i}.jpg`, colour: 'green' })),
  { name: 'yellow.jpg', colour: 'yellow' },
  { name: 'purple.jpg', colour: 'purple' },
  { name: 'orange.jpg', colour: 'orange' },
  { name: 'white.jpg', colour: 'white' },
  // No built-in tag is white: the user's own "white" tag makes an album of these three.
  ...[2, 3].map((i) => ({ name: `white-${i}.jpg`, colour: 'white' })),
];
const COPY = 'purple-copy.jpg';
const FILES = PHOTOS.length + 1;

interface PageGlobals {
  getComputedStyle(element: unknown): { filter: string };
}

async function shot(page: Page, name: string): Promise<void> {
  // Toasts from earlier steps would cover the screen being pictured.
  // They also expire on their own, so one may be gone before it is clicked.
  const dismiss = page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0)
    await dismiss
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined);
  await imagesLoaded(page);
  await screenshot(page, name);
}

describe('albums in a browser', () => {
  let tmp: string;
  let browser: Browser;
  let server: Serve;
  let page: Page;
  let photosDir: string;
  let url: URL;
  const errors: string[] = [];

  /** A call straight to the server, as the page makes it: for what the UI offers no control for. */
  async function serverCall<T>(channel: string, args: unknown): Promise<T> {
    const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
    const res = await fetch(new URL(`/api/call/${channel}`, url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const r = (await res.json()) as { ok: true; data: T } | { ok: false; error: { message: string } };
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.data;
  }

  /** Back to the albums list, re-read until the card is there (tags are written in the background). */
  async function albumCard(name: RegExp | string): Promise<void> {
    const card = page.getByRole('button', { name });
    await eventually(
      async () =>
        (await card.count()) > 0 ? true : (await page.getByRole('button', { name: /^Albums/ }).click(), undefined),
      20_000,
      `the album card ${String(name)}`,
      500,
    );
  }

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-albums-');
    const modelDir = await makeTestModel(path.join(tmp, 'model'));
    photosDir = path.join(tmp, 'photos');
    for (const [i, p] of PHOTOS.entries())
      await writePhoto(path.join(photosDir, p.name), noisy(COLOURS[p.colour]!, i + 1, 110 + i * 6, 84));
    await copyFile(path.join(photosDir, 'purple.jpg'), path.join(photosDir, COPY));
    browser = await launchChromium();
    server = await startServe({ library: path.join(tmp, 'library'), model: modelDir, timeoutMs: 240_000 });
    url = new URL(server.url);
    page = await openPage(browser, url.href, errors);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await stopServe(server);
    await removeTempDir(tmp);
  });

  it('indexes a folder', async () => {
    await page.getByRole('button', { name: 'Add a folder' }).click();
    await page.getByLabel('Folder path').fill(photosDir);
    await page.getByRole('form', { name: 'Add a folder' }).getByRole('button', { name: 'Add folder' }).click();
    await page
      .locator(`[data-testid=index-status][data-total="${FILES}"][data-done="${FILES}"][data-running="false"]`)
      .waitFor({ timeout: 30_000 });
    await page.getByText(`${FILES} photos`, { exact: true }).waitFor();
  });

  it('shows the albums grouped, with a "red" tag album of 4 photos', async () => {
    await page.getByRole('button', { name: /^Albums/ }).click();
    await page.getByRole('heading', { name: 'Places & things' }).waitFor();
    const red = page.getByRole('button', { name: 'red, 4 photos' });
    // Tags are written just after indexing; the screen re-reads when the library changes.
    await eventually(
      async () =>
        (await red.count()) > 0 ? true : (await page.getByRole('button', { name: /^Albums/ }).click(), undefined),
      20_000,
      'the red tag album',
    );
    await expect(page.getByRole('heading', { name: 'Duplicates' }).count()).resolves.toBe(1);
    await shot(page, '20-albums');
    await red.click();
    await page.getByRole('heading', { name: 'red', exact: true }).waitFor();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(4);
    const alts = await Promise.all(
      (await page.locator('[role=grid] img').all()).map(async (i) => (await i.getAttribute('alt')) ?? ''),
    );
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
    await expect
      .poll(() => dialog.getByRole('button', { name: 'Favourite' }).getAttribute('aria-pressed'))
      .toBe('true');
    await dialog.getByRole('button', { name: '4 stars' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: '4 stars' }).getAttribute('aria-pressed')).toBe('true');
    await dialog.getByRole('button', { name: 'Reject tag blue' }).click();
    await expect
      .poll(() => dialog.getByRole('button', { name: 'Reject tag blue' }).getAttribute('aria-pressed'))
      .toBe('true');
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
    const names = await Promise.all(
      (await group.locator('li').all()).map(async (li) => (await li.getAttribute('data-path')) ?? ''),
    );
    expect(names.map((p) => path.basename(p)).sort()).toEqual([COPY, 'purple.jpg']);
    await expect(group.getByText('Suggested to keep').count()).resolves.toBe(1);
    await shot(page, '23-duplicates');
  });

  it('adds a tag of its own, whose album appears once the photos are tagged for it', async () => {
    await page.getByRole('button', { name: /^Albums/ }).click();
    await page.getByRole('button', { name: 'Tags', exact: true }).click();
    await page.getByRole('heading', { name: 'Tags', exact: true }).waitFor();
    await page.getByLabel('New tag').fill('white');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByText('Added the tag “white”').waitFor();
    await page.locator('[data-tag="custom-white"]').getByText('yours').waitFor();
    await expect(page.getByLabel('New tag').inputValue()).resolves.toBe('');
    await page.getByLabel('Filter tags').fill('whi');
    await shot(page, '24-tags');
    await page.getByRole('button', { name: 'Back to albums' }).click();
    await albumCard('white, 3 photos');
  });

  it('renames and hides a tag, keeping the decision the user made on it', async () => {
    await page.getByRole('button', { name: 'Tags', exact: true }).click();
    await page.getByRole('button', { name: 'Rename tag blue' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename tag' });
    await dialog.getByLabel('Name').fill('Navy');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-tag="blue"]').getByText('Navy').waitFor();
    // blue-1.jpg's "blue" was rejected earlier: the decision follows the tag to its new name.
    const viewerChip = async (): Promise<string | null> => {
      await page.getByRole('button', { name: /^Photos/ }).click();
      await page.getByRole('img', { name: 'blue-1.jpg' }).click();
      const viewerDialog = page.getByRole('dialog', { name: 'blue-1.jpg' });
      await viewerDialog.getByRole('button', { name: 'Favourite' }).waitFor();
      // The viewer opens with "Reading tags…" and replaces it once the photo's tags are in.
      await viewerDialog.getByText('Reading tags…').waitFor({ state: 'detached' });
      const chip = viewerDialog.getByRole('button', { name: 'Reject tag Navy' });
      const pressed = (await chip.count()) > 0 ? await chip.getAttribute('aria-pressed') : null;
      await page.keyboard.press('Escape');
      await viewerDialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: /^Albums/ }).click();
      return pressed;
    };
    await expect(viewerChip()).resolves.toBe('true');
    await page.getByRole('button', { name: 'Tags', exact: true }).click();
    await page.getByRole('button', { name: 'Hide tag Navy' }).click();
    await page.locator('[data-tag="blue"]').getByText('Hidden').waitFor();
    await expect(viewerChip()).resolves.toBeNull();
    await page.getByRole('button', { name: 'Tags', exact: true }).click();
    await page.getByRole('button', { name: 'Unhide tag Navy' }).click();
    await page.getByRole('button', { name: 'Hide tag Navy' }).waitFor();
    await expect(viewerChip()).resolves.toBe('true');
  });

  it('removes a tag after asking, and its album goes', async () => {
    await page.getByRole('button', { name: 'Tags', exact: true }).click();
    // Escape closes a dialog first, leaving the screen under it where it was.
    await page.getByRole('button', { name: 'Rename tag green' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Rename tag' }).waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'Tags', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Remove tag white', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove the tag “white”?' });
    await confirm.getByRole('button', { name: 'Remove tag' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-tag="custom-white"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Back to albums' }).click();
    await page.getByRole('heading', { name: 'Places & things' }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^white, / }).count()).toBe(0);
  });

  it('saves a search as a smart album that takes in photos indexed later', async () => {
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByLabel('Search photos').fill('red');
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    const dialog = page.getByRole('dialog', { name: 'Save as smart album' });
    await page.getByRole('button', { name: 'Save as smart album' }).click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByLabel('Search photos').inputValue()).resolves.toBe('red');
    await page.getByRole('button', { name: 'Save as smart album' }).click();
    await expect(dialog.getByLabel('Name').inputValue()).resolves.toBe('red');
    await dialog.getByLabel('Name').fill('Reds');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved “Reds” as a smart album').waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.getByRole('button', { name: /^Albums/ }).click();
    const card = page.getByRole('button', { name: 'Reds, 4 photos' });
    await card.waitFor();
    await expect(card.getByText('Smart', { exact: true }).count()).resolves.toBe(1);
    await writePhoto(path.join(photosDir, 'red-5.jpg'), noisy(COLOURS.red!, 99, 150, 84));
    // The watcher indexes it and the screen re-reads when the library changes.
    await page.getByRole('button', { name: 'Reds, 5 photos' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Reds, 5 photos' }).click();
    await page.getByRole('heading', { name: 'Reds', exact: true }).waitFor();
    await page.getByText('5 photos · smart: “red”').waitFor();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(5);
    await shot(page, '25-smart-album');
    await page.getByRole('button', { name: 'Back to albums' }).click();
  });

  it('blurs a sensitive photo on album covers and in grids until the user shows it', async () => {
    const blue = (
      await serverCall<{ items: { id: string; path: string }[] }>('photos.list', { offset: 0, limit: 100 })
    ).items.find((p) => p.path.endsWith('/blue-1.jpg'))!;
    await serverCall('photos.decideTag', { id: blue.id, tag: 'nudity', decision: 'accept' });
    await page.getByRole('button', { name: /^Albums/ }).click();
    const cover = page.locator('[data-album] img').and(page.locator('[data-veiled="true"]'));
    await expect.poll(() => cover.count(), { timeout: 10_000 }).toBe(1);
    await expect(
      cover.evaluate((img) => (globalThis as unknown as PageGlobals).getComputedStyle(img).filter),
    ).resolves.toContain('blur');
    await shot(page, '26-sensitive-cover');
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByRole('button', { name: 'Show blue-1.jpg' }).waitFor();
    // Opened without asking to see it, the viewer keeps it blurred too.
    await page.getByRole('img', { name: 'blue-1.jpg' }).click();
    const viewer = page.getByRole('dialog', { name: 'blue-1.jpg' });
    await viewer.getByRole('button', { name: 'Show blue-1.jpg' }).waitFor();
    await expect(
      viewer
        .locator('img.photo')
        .evaluate((img) => (globalThis as unknown as PageGlobals).getComputedStyle(img).filter),
    ).resolves.toContain('blur');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Albums/ }).click();
    await page.getByRole('button', { name: 'Show the cover of Trip' }).click();
    await expect.poll(() => cover.count()).toBe(0);
    await expect(page.locator('[data-veiled="false"]').count()).resolves.toBeGreaterThan(0);
    // Shown once, shown everywhere for the rest of the session.
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByRole('img', { name: 'blue-1.jpg' }).waitFor();
    await expect(page.getByRole('button', { name: 'Show blue-1.jpg' }).count()).resolves.toBe(0);
  });

  it('takes a photo out of a user album from the viewer', async () => {
    await page.getByRole('button', { name: /^Albums/ }).click();
    await page.getByRole('button', { name: 'Trip, 1 photo' }).click();
    await page.getByRole('img', { name: 'blue-1.jpg' }).click();
    const dialog = page.getByRole('dialog', { name: 'blue-1.jpg' });
    await dialog.getByRole('button', { name: 'Remove from “Trip”' }).click();
    await page.getByText('Removed from “Trip”').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'This album is empty' }).waitFor();
    await page.getByRole('button', { name: 'Back to albums' }).click();
    await page.getByRole('button', { name: 'Trip, 0 photos' }).waitFor();
    // A smart album's photos come from its search: the viewer offers no removal there.
    await page.getByRole('button', { name: /^Reds, / }).click();
    await page.locator('[role=grid] img').first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Favourite' }).waitFor();
    await expect(page.getByRole('button', { name: /^Remove from/ }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
  });

  it('logged no console errors and threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
