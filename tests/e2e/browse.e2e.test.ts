// End-to-end: browsing by time and place in Chromium against the real `shoebox serve`: the
// timeline's day headers and its scrubber, "On this day" and a trip above it, and the offline
// world map whose markers open the photos taken there. No request leaves the app's own origin.
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
import { exifDate, gpsExif } from '#support/photos.ts';
import { makeTestModel } from '#support/test-model.ts';

type Gps = Record<string, string>;
const gps = gpsExif;
const BERLIN = gps(52.52, 13.405);
const PARIS = gps(48.8566, 2.3522);
const TOKYO = gps(35.6762, 139.6503);

/** The local date `years` years and `days` days before today, at `hour`. Multiples of 4 years keep 29 February. */
function ago(years: number, days: number, hour: number): Date {
  const now = new Date();
  return new Date(now.getFullYear() - years, now.getMonth(), now.getDate() - days, hour);
}

describe('timeline, memories and map in a browser', () => {
  let tmp: string;
  let browser: Browser;
  let server: Serve | undefined;
  let page: Page;
  const errors: string[] = [];
  const foreign: string[] = [];
  const shots: [string, Date, Gps | null][] = [
    ['otd-a.jpg', ago(4, 0, 10), BERLIN],
    ['otd-b.jpg', ago(4, 0, 12), BERLIN],
    ['otd-old.jpg', ago(8, 0, 9), BERLIN],
    ['home-1.jpg', ago(1, 40, 9), BERLIN],
    ['home-2.jpg', ago(2, 70, 9), BERLIN],
    ['home-3.jpg', ago(3, 20, 9), BERLIN],
    ['paris-1.jpg', ago(2, 100, 10), PARIS],
    ['paris-2.jpg', ago(2, 100, 12), PARIS],
    ['paris-3.jpg', ago(2, 100, 15), PARIS],
    ['tokyo.jpg', ago(5, 150, 8), TOKYO],
    ['nowhere.jpg', ago(6, 200, 8), null],
  ];

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-browse-');
    const photos = path.join(tmp, 'photos');
    await mkdir(photos);
    for (const [i, [name, taken, where]] of shots.entries()) {
      await sharp({
        create: { width: 96, height: 72, channels: 3, background: { r: 20 * i, g: 120, b: 230 - 20 * i } },
      })
        .withExif({ IFD2: { DateTimeOriginal: exifDate(taken) }, ...(where ? { IFD3: where } : {}) })
        .jpeg()
        .toFile(path.join(photos, name));
    }
    browser = await launchChromium();
    server = await startServe({
      library: path.join(tmp, 'library'),
      model: await makeTestModel(path.join(tmp, 'model')),
    });
    page = await openPage(browser, server.url, errors);
    const origin = new URL(server.url).origin;
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    });
    await page.getByRole('button', { name: 'Add a folder' }).click();
    await page.getByLabel('Folder path').fill(photos);
    await page.getByRole('form', { name: 'Add a folder' }).getByRole('button', { name: 'Add folder' }).click();
    await page
      .locator('[data-testid=index-status][data-running="false"]')
      .filter({ hasText: `${shots.length} photos in 1 folder` })
      .waitFor();
    await page.getByRole('button', { name: /^Photos/ }).click();
  });

  afterAll(async () => {
    await page?.close();
    await stopServe(server);
    await browser?.close();
    await removeTempDir(tmp);
  });

  it('groups the photos under day and month headers, and the scrubber jumps to a year', async () => {
    const grid = page.getByRole('grid');
    // The newest day comes first, under its month's title.
    const first = grid.locator('h3[data-day]').first();
    await expect.poll(() => first.textContent()).toContain(String(ago(1, 40, 9).getFullYear()));
    await expect(grid.locator('h2').first().textContent()).resolves.toMatch(/\d{4}$/);
    await imagesLoaded(page);
    await screenshot(page, '50-timeline');
    // The oldest year on the scrubber scrolls the grid down to it; the sticky header names its day.
    const oldest = ago(8, 0, 9).getFullYear();
    const scrubber = page.getByRole('navigation', { name: 'Timeline' });
    const years = await scrubber.getByRole('button').allTextContents();
    expect(years.filter((y) => y !== '')).toContain(String(oldest));
    await scrubber.getByRole('button', { name: String(oldest), exact: true }).click();
    // The grid scrolled down: its oldest photo is in view and the sticky header names a day.
    const old = page.getByRole('img', { name: 'otd-old.jpg' });
    await expect
      .poll(async () => {
        const box = await old.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 800;
      })
      .toBe(true);
    await expect(page.locator('.sticky').textContent()).resolves.toMatch(/\d{4}$/);
    await screenshot(page, '51-timeline-scrubbed');
  });

  it('offers this day in earlier years and the trip to Paris, each opening its photos', async () => {
    const memories = page.getByRole('region', { name: 'Memories' });
    const today = memories.getByRole('button', { name: /^On this day: 4 years ago, .*, 2 photos$/ });
    await today.waitFor();
    await memories.getByRole('button', { name: /^On this day: 8 years ago, .*, 1 photo$/ }).waitFor();
    await memories.getByRole('button', { name: /^Trip: Paris, France, .*, 3 photos$/ }).waitFor();
    // Tokyo has one photo: not an event, so not a trip.
    await expect(memories.getByRole('button', { name: /Tokyo/ }).count()).resolves.toBe(0);
    await imagesLoaded(page);
    await screenshot(page, '52-memories');
    await today.click();
    await page.getByText('2 photos', { exact: false }).first().waitFor();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(2);
    await page.getByRole('img', { name: 'otd-a.jpg' }).waitFor();
    await page.getByRole('img', { name: 'otd-b.jpg' }).waitFor();
    await page.getByRole('button', { name: /^Photos/ }).click();
    await memories.getByRole('button', { name: /^Trip: Paris/ }).click();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(3);
    await page.getByRole('img', { name: 'paris-2.jpg' }).waitFor();
  });

  it('shows where photos were taken on an offline map, and a marker opens them', async () => {
    await page.getByRole('button', { name: /^Map/ }).click();
    await page.getByText('10 photos with a location').waitFor();
    const map = page.getByRole('application', { name: 'Map of your photos' });
    await map.locator('path.land').waitFor({ state: 'attached' });
    const markers = map.getByRole('button', { name: /^Open \d+ photos? taken here$/ });
    await markers.first().waitFor();
    const labels = await Promise.all((await markers.all()).map((m) => m.getAttribute('aria-label')));
    const counts = labels.map((l) => Number(/Open (\d+)/.exec(l ?? '')?.[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10);
    await imagesLoaded(page);
    await screenshot(page, '53-map');
    // The wheel zooms around the pointer: over Paris, Paris stays in view and Tokyo leaves it.
    const paris = map.getByRole('button', { name: 'Open 3 photos taken here' });
    const tokyo = map.getByRole('button', { name: 'Open 1 photo taken here' });
    await expect(tokyo.count()).resolves.toBe(1);
    const box = (await paris.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await expect.poll(() => tokyo.count()).toBe(0);
    await expect(paris.isVisible()).resolves.toBe(true);
    await screenshot(page, '54-map-zoomed');
    await map.getByRole('button', { name: 'Show all' }).click();
    // Tokyo's marker is alone: it opens the one photo taken there in the Photos grid.
    const single = map.getByRole('button', { name: 'Open 1 photo taken here' });
    await expect(single.count()).resolves.toBe(1);
    await single.click();
    const chip = page.getByRole('button', { name: /^Clear the map area/ });
    await chip.waitFor();
    await expect.poll(() => page.locator('[role=grid] img').count()).toBe(1);
    await page.getByRole('img', { name: 'tokyo.jpg' }).waitFor();
    await screenshot(page, '55-map-area');
    await chip.click();
    await expect.poll(() => page.locator('[role=grid] h3[data-day]').count()).toBeGreaterThan(1);
  });

  it('made no request outside the app and logged no errors', () => {
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
