// End-to-end: the built renderer (dist/renderer, from `npm run build:renderer`) served by the real
// `shoebox serve`, with the generated test model (colour words find photos of that colour) and
// photos written by sharp, driven in Debian's Chromium. Nothing is mocked. Screenshots of every
// screen go to artifacts/screenshots/ for a human to look at.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { solid, writePhoto } from '#support/photos.ts';
import type { Rgb } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

interface TestPhoto {
  name: string;
  colour: string;
  width: number;
  height: number;
}

// Four red photos and eight others; sizes differ so no two files are alike.
const PHOTOS: TestPhoto[] = [
  { name: 'red-1.jpg', colour: 'red', width: 120, height: 80 },
  { name: 'red-2.png', colour: 'red', width: 96, height: 96 },
  { name: 'red-3.webp', colour: 'red', width: 80, height: 120 },
  { name: 'red-4.jpg', colour: 'red', width: 140, height: 90 },
  { name: 'green-1.jpg', colour: 'green', width: 128, height: 96 },
  { name: 'green-2.png', colour: 'green', width: 100, height: 70 },
  { name: 'blue-1.jpg', colour: 'blue', width: 110, height: 90 },
  { name: 'blue-2.webp', colour: 'blue', width: 90, height: 130 },
  { name: 'yellow.png', colour: 'yellow', width: 104, height: 78 },
  { name: 'purple.jpg', colour: 'purple', width: 136, height: 102 },
  { name: 'white.png', colour: 'white', width: 88, height: 88 },
  { name: 'orange.jpg', colour: 'orange', width: 118, height: 84 },
];

function rgb(colour: string): Rgb {
  const c = COLOURS[colour];
  if (!c) throw new Error(`no test colour ${colour}`);
  return c;
}

async function writeTestPhotos(dir: string): Promise<void> {
  const start = Date.UTC(2025, 0, 1);
  for (const [i, p] of PHOTOS.entries()) {
    const file = path.join(dir, p.name);
    if (p.name === 'red-1.jpg') {
      // One photo with a camera, a capture date and a place, so the viewer has all of it to show.
      await sharp({ create: { width: p.width, height: p.height, channels: 3, background: { r: 220, g: 30, b: 30 } } })
        .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
        .withExif({
          IFD0: { Make: 'FUJIFILM', Model: 'X100V' },
          IFD2: { DateTimeOriginal: '2024:06:30 14:05:00' },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '48/1 51/1 3012/100',
            GPSLongitudeRef: 'E',
            GPSLongitude: '2/1 17/1 4032/100',
          },
        })
        .toFile(file);
    } else {
      await writePhoto(file, solid(rgb(p.colour), p.width, p.height), { mtime: new Date(start + i * 3_600_000) });
    }
  }
}

/**
 * The little of the page's DOM that page functions use. The Node test project has no DOM
 * types, and page functions must be functions, not strings: the app's CSP forbids eval.
 */
interface PageGlobals {
  document: {
    querySelector(selector: string): { naturalWidth: number } | null;
  };
}

interface StatusShown {
  running: string | null;
  done: number;
  total: number;
  text: string;
}

interface StatusElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
}

interface RecorderGlobals {
  document: { querySelector(selector: string): StatusElement | null };
  MutationObserver: new (callback: () => void) => {
    observe(target: StatusElement, options: Record<string, boolean>): void;
  };
  statusShown?: StatusShown[];
}

/**
 * Records, in the page, every state the status bar shows from now on (a mutation observer runs
 * after each update, so none is missed however fast they come); the function returned reads them.
 */
async function recordIndexStatus(page: Page): Promise<() => Promise<StatusShown[]>> {
  await page.evaluate(() => {
    const w = globalThis as unknown as RecorderGlobals;
    const bar = w.document.querySelector('[data-testid=index-status]');
    if (!bar) throw new Error('no status bar');
    const shown: StatusShown[] = [];
    w.statusShown = shown;
    const record = (): void => {
      shown.push({
        running: bar.getAttribute('data-running'),
        done: Number(bar.getAttribute('data-done')),
        total: Number(bar.getAttribute('data-total')),
        text: bar.textContent ?? '',
      });
    };
    record();
    new w.MutationObserver(record).observe(bar, {
      attributes: true,
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  return () => page.evaluate(() => (globalThis as unknown as RecorderGlobals).statusShown ?? []);
}

async function shot(page: Page, name: string): Promise<void> {
  await imagesLoaded(page);
  await screenshot(page, name);
}

/** alt text of the grid's thumbnails, in grid order. */
async function gridAlts(page: Page): Promise<string[]> {
  const imgs = await page.locator('[role=grid] img').all();
  return Promise.all(imgs.map(async (i) => (await i.getAttribute('alt')) ?? ''));
}

let tmp: string;
let browser: Browser;
let modelDir: string;

beforeAll(async () => {
  requireBuiltRenderer();
  tmp = await makeTempDir('shoebox-e2e-');
  modelDir = await makeTestModel(path.join(tmp, 'model'));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await removeTempDir(tmp);
});

// One user's session, step by step: each step starts where the previous one left the page.
describe('the app in a browser', () => {
  let server: Serve | undefined;
  let page: Page;
  let photosDir: string;
  const errors: string[] = [];
  const n = PHOTOS.length;

  beforeAll(async () => {
    photosDir = path.join(tmp, 'photos');
    await mkdir(photosDir, { recursive: true });
    await writeTestPhotos(photosDir);
    server = await startServe({ library: path.join(tmp, 'library'), model: modelDir });
    page = await openPage(browser, server.url, errors);
  });

  afterAll(async () => {
    await page?.close();
    await stopServe(server);
  });

  it('starts with an empty library that says what to do, and hides the token', async () => {
    await expect.poll(() => page.url()).not.toContain('token');
    await page.getByRole('heading', { name: 'Add a folder of photos' }).waitFor();
    // The token became an HttpOnly session cookie: no script on the page can read either.
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { cookie: string }; sessionStorage: { length: number } };
      return { cookie: g.document.cookie, stored: g.sessionStorage.length };
    });
    expect(seen).toEqual({ cookie: '', stored: 0 });
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['shoebox_session', true, 'Strict']]);
    await shot(page, '01-empty-library');
  });

  it('adds a folder by its path and shows indexing progress reach the total', async () => {
    // The web shell has no native picker: the button leads to a path field.
    await page.getByRole('button', { name: 'Add a folder' }).click();
    await page.getByLabel('Folder path').fill(photosDir);
    await shot(page, '02-add-folder');
    const shown = await recordIndexStatus(page);
    await page.getByRole('form', { name: 'Add a folder' }).getByRole('button', { name: 'Add folder' }).click();
    // The state it ends in: nothing running, every photo in the library.
    await page
      .locator('[data-testid=index-status][data-running="false"]')
      .filter({ hasText: `${n} photos in 1 folder` })
      .waitFor({ timeout: 30_000 });
    await page.getByText(`${n} photos`, { exact: true }).waitFor();
    // On the way the bar counted up to the total; it may have moved on since, so read what it showed.
    const states = await shown();
    expect(
      states.some((s) => s.done === n && s.total === n && s.text.includes(`${n} of ${n}`)),
      JSON.stringify(states),
    ).toBe(true);
    expect(states.some((s) => s.running === 'true')).toBe(true);
    await shot(page, '03-folder-indexed');
  });

  it('shows every photo, newest first', async () => {
    await page.getByRole('button', { name: /^Photos/ }).click();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(n);
    // Modification times rise through PHOTOS; red-1.jpg was taken (EXIF) in 2024, so it is last.
    const newestFirst = [...PHOTOS.slice(1)].reverse().map((p) => p.name);
    expect(await gridAlts(page)).toEqual([...newestFirst, 'red-1.jpg']);
    await shot(page, '04-all-photos');
  });

  it('searches as you type, best matches first', async () => {
    // Focus alone readies the text encoder, which may have exited while the app sat idle.
    const prepared = page.waitForResponse((r) => r.url().endsWith('/api/call/search.prepare') && r.ok());
    await page.getByLabel('Search photos').focus();
    await expect((await prepared).json()).resolves.toEqual({ ok: true, data: { ready: true } });
    await page.getByLabel('Search photos').pressSequentially('red', { delay: 40 });
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    // What matches, not the whole library: the red photos, and the rest one click away.
    const matching = await gridAlts(page);
    expect(matching.slice(0, 4).sort()).toEqual(['red-1.jpg', 'red-2.png', 'red-3.webp', 'red-4.jpg']);
    expect(matching.length).toBeLessThan(n);
    const more = page.getByRole('button', { name: /^Show \d+ more photos? that match loosely$/ });
    expect(await more.innerText()).toBe(`Show ${n - matching.length} more photos that match loosely`);
    await shot(page, '05-search-red');
    await more.click();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(n);
    const ranked = await gridAlts(page);
    expect(ranked.slice(0, matching.length)).toEqual(matching);
    await more.waitFor({ state: 'detached' });
  });

  it('shows what it understood as chips, each removable', async () => {
    const box = page.getByLabel('Search photos');
    await box.fill('red 2024');
    const chips = page.getByRole('list', { name: 'Understood from the search' });
    await chips.getByText('2024').waitFor();
    await page.getByRole('heading', { name: 'Results for “red 2024”' }).waitFor();
    // red-1.jpg is the one photo taken (EXIF) in 2024; the rest are dated by their 2025 mtimes.
    await expect.poll(() => gridAlts(page)).toEqual(['red-1.jpg']);
    await shot(page, '05b-search-chips');
    await chips.getByRole('button', { name: 'Search without 2024' }).click();
    await expect.poll(() => box.inputValue()).toBe('red');
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    await page.getByRole('button', { name: /^Show \d+ more photos? that match loosely$/ }).click();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(n);
  });

  it('opens the viewer with the original photo and its metadata', async () => {
    await page.getByRole('img', { name: 'red-1.jpg' }).click();
    const dialog = page.getByRole('dialog', { name: 'red-1.jpg' });
    await dialog.getByText('FUJIFILM X100V').waitFor();
    const panel = await dialog.getByRole('complementary', { name: 'Photo details' }).textContent();
    expect(panel).toContain('120 × 80');
    expect(panel).toContain('48.85837° N, 2.29453° E');
    expect(panel).toContain('Paris, Île-de-France, France');
    expect(panel).toContain(path.join(photosDir, 'red-1.jpg'));
    expect(panel).toMatch(/June 30, 2024/);
    // The original file (not the thumbnail) is shown, and it loads.
    expect(await dialog.getByRole('img', { name: 'red-1.jpg' }).getAttribute('src')).toMatch(
      /^\/media\/photo\/[0-9a-f]+$/,
    );
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('[role=dialog] img[alt="red-1.jpg"]')
          ?.naturalWidth === 120,
    );
    await shot(page, '06-viewer');
  });

  it('steps through the results with the arrow keys', async () => {
    // The dialog is named after the photo it shows, so find it by role alone.
    const position = page.getByRole('dialog').getByText(/^\d+ of 12$/);
    const before = await position.textContent();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position.textContent()).not.toBe(before);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => position.textContent()).toBe(before);
  });

  it('puts focus back on the grid, on the photo last shown, when the viewer closes', async () => {
    await page.keyboard.press('ArrowRight');
    const shown = await page.getByRole('dialog').locator('img.photo').getAttribute('alt');
    expect(shown).not.toBe('red-1.jpg');
    await page.keyboard.press('Escape');
    // The focused element is the grid cell of that photo.
    await expect
      .poll(() =>
        page
          .locator('[data-index]:focus img')
          .getAttribute('alt', { timeout: 1000 })
          .catch(() => null),
      )
      .toBe(shown);
    await page.getByRole('img', { name: 'red-1.jpg' }).click();
    await page.getByRole('dialog', { name: 'red-1.jpg' }).waitFor();
  });

  it('shows more photos like this one', async () => {
    await page.getByRole('dialog', { name: 'red-1.jpg' }).getByRole('button', { name: 'More like this' }).click();
    await page.getByRole('heading', { name: 'Like red-1.jpg' }).waitFor();
    const similar = await gridAlts(page);
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.slice(0, 3).every((a) => a.startsWith('red-'))).toBe(true);
    await shot(page, '07-more-like-this');
  });

  it('closes "more like this", then Escape clears the search', async () => {
    await page.getByRole('button', { name: 'Close similar photos' }).click();
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    await page.getByLabel('Search photos').focus();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'All photos' }).waitFor();
    await expect(page.getByLabel('Search photos').inputValue()).resolves.toBe('');
  });

  it('follows a dark OS theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, '08-dark-all-photos');
    await page.getByRole('img', { name: 'red-2.png' }).click();
    await page.getByRole('dialog', { name: 'red-2.png' }).waitFor();
    await shot(page, '09-dark-viewer');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('removes the folder after a confirmation that files stay, and is empty again', async () => {
    await page.getByRole('button', { name: /^Folders/ }).click();
    await shot(page, '10-folders');
    await page.getByRole('button', { name: `Remove folder ${photosDir}` }).click();
    const confirm = page.getByRole('alertdialog');
    await expect(confirm.textContent()).resolves.toContain('never deleted');
    await shot(page, '11-remove-confirm');
    await confirm.getByRole('button', { name: 'Remove folder' }).click();
    await page.getByRole('heading', { name: 'Add a folder of photos' }).waitFor();
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByRole('heading', { name: 'Add a folder of photos' }).waitFor();
    await expect(page.locator('[role=grid]').count()).resolves.toBe(0);
    await shot(page, '12-empty-again');
  });

  it('logged no console errors and threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});

describe('the app without a model', () => {
  let server: Serve | undefined;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServe({ library: path.join(tmp, 'library-no-model') });
  });

  afterAll(async () => {
    await stopServe(server);
  });

  it('explains how to set up a CLIP model', async () => {
    const page = await openPage(browser, server!.url, errors);
    await page.getByRole('heading', { name: 'No CLIP model installed' }).waitFor();
    await expect(page.getByText('--model DIR', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('onnx/vision_model.onnx', { exact: true }).isVisible()).resolves.toBe(true);
    await shot(page, '13-no-model');
    await page.close();
    expect(errors).toEqual([]);
  }, 30_000);
});
