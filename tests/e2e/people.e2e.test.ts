// End-to-end: people in Chromium against the real `shoebox serve`. A folder of real group photos
// (four versions of six photos, so each of the 21 people is in four, and the woman in two of them
// in eight) is indexed with the generated test model and the shipped face models; the People
// screen lists everyone, she is named and then found by name in the search box, the viewer draws
// the faces with the name on theirs, and another person is merged in. Nothing is mocked.
// Screenshots go to artifacts/screenshots/.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFolderAndWait,
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
import { GROUP_PHOTOS } from '#support/face-photos.ts';
import { faceViews } from '#support/face-views.ts';
import { slideshowOf } from '#support/media-tools.ts';
import { makeTestModel } from '#support/test-model.ts';

/** Four versions of six group photos, and a video that shows the sixth after a plain wall. */
const PHOTOS = 25;

/** The little of the page's globals a check reads: the Node test project has no DOM types. */
interface StyleGlobals {
  getComputedStyle(element: unknown): { opacity: string };
}

/** "Ann, 4 photos" → 4. */
function countIn(label: string | null): number {
  const n = /, (\d+) photos?$/.exec(label ?? '')?.[1];
  if (n === undefined) throw new Error(`no photo count in the label ${String(label)}`);
  return Number(n);
}

async function attributes(all: Locator, name: string): Promise<string[]> {
  return Promise.all((await all.all()).map(async (one) => (await one.getAttribute(name)) ?? ''));
}

async function shot(page: Page, name: string): Promise<void> {
  // Toasts from earlier steps would cover the screen being pictured; they also expire on their own.
  const dismiss = page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0)
    await dismiss
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined);
  await imagesLoaded(page);
  await screenshot(page, name);
}

describe('people in a browser', () => {
  let tmp: string;
  let browser: Browser;
  let server: Serve | undefined;
  let page: Page;
  const errors: string[] = [];
  /** Ann's photos, as their thumbnails' addresses: a person to merge in must be from another photo. */
  let annThumbs: string[] = [];
  let annCount = 0;

  const cards = (): Locator => page.locator('[data-person]');
  const annCard = (): Locator => page.getByRole('button', { name: /^Ann, \d+ photos?$/ });

  /**
   * The People screen, opened once: faces are found after indexing, and the screen must list them
   * when the library says it changed, without being opened again.
   */
  async function openPeople(atLeast: number): Promise<void> {
    await page.getByRole('button', { name: /^People/ }).click();
    await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
    await expect.poll(() => cards().count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(atLeast);
  }

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-people-');
    const photos = path.join(tmp, 'photos');
    await mkdir(photos);
    for (const v of await faceViews()) await writeFile(path.join(photos, v.name), v.jpeg);
    const wall = path.join(tmp, 'wall.png');
    await sharp({ create: { width: 960, height: 540, channels: 3, background: '#b8b2a7' } })
      .png()
      .toFile(wall);
    await slideshowOf(path.join(photos, 'party.mp4'), [
      { image: wall, seconds: 4 },
      { image: GROUP_PHOTOS[5]!, seconds: 6 },
    ]);
    browser = await launchChromium();
    server = await startServe({
      library: path.join(tmp, 'library'),
      model: await makeTestModel(path.join(tmp, 'model')),
      timeoutMs: 240_000,
    });
    page = await openPage(browser, server.url, errors);
    await addFolderAndWait(page, photos, PHOTOS, 90_000);
  }, 150_000);

  afterAll(async () => {
    await page?.close();
    await stopServe(server);
    await browser?.close();
    await removeTempDir(tmp);
  });

  it('lists everyone found, each as a face cut from their photos, none named yet', async () => {
    await openPeople(20);
    expect(await cards().count()).toBeLessThanOrEqual(21);
    await expect(page.getByRole('button', { name: 'Add a name' }).count()).resolves.toBe(await cards().count());
    for (const label of await attributes(page.getByRole('button', { name: /^Unnamed person, / }), 'aria-label'))
      expect(countIn(label)).toBeGreaterThanOrEqual(3);
    // The face is cut from the cover's thumbnail: the image is larger than its round frame.
    const first = cards().first();
    await first.locator('img.loaded').waitFor();
    const frame = await first.locator('.face').boundingBox();
    const img = await first.locator('img').boundingBox();
    expect(img!.width).toBeGreaterThan(frame!.width * 1.5);
    await shot(page, '60-people');
  });

  it('names a person through their card, who then leads the list under the name', async () => {
    const first = cards().first();
    await first.getByRole('button', { name: 'Add a name' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a name' });
    await dialog.getByLabel('Name').fill('Ann');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await annCard().waitFor();
    annCount = countIn(await annCard().getAttribute('aria-label'));
    // Largest first: the woman in two of the group photos, recognised across them.
    expect(annCount).toBe(8);
    await expect(cards().first().getByText('Ann', { exact: true }).count()).resolves.toBe(1);
    await page
      .getByRole('region', { name: 'Named' })
      .getByRole('button', { name: /^Ann, / })
      .waitFor();
    await shot(page, '61-people-named');
  });

  it('finds only Ann’s photos by her name in the search box, with a person chip', async () => {
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByLabel('Search photos').fill('Ann');
    await page.getByRole('heading', { name: 'Results for “Ann”' }).waitFor();
    await page
      .getByRole('list', { name: 'Understood from the search' })
      .locator('[data-kind=person]', { hasText: 'Ann' })
      .waitFor();
    const results = page.locator('[role=grid] [data-index] img');
    await expect.poll(() => results.count()).toBe(annCount);
    // Four versions of each of the two group photos she is in, and nothing else.
    const names = await attributes(results, 'alt');
    expect(new Set(names.map((n) => /^sample\d+-/.exec(n)?.[0]))).toEqual(new Set(['sample1-', 'sample3-']));
    annThumbs = await attributes(results, 'src');
    await shot(page, '62-people-search');
  });

  it('draws the faces over a photo in the viewer, with Ann’s name on hers', async () => {
    await page.locator('[role=grid] [data-index="0"]').click();
    const dialog = page.getByRole('dialog', { name: /^sample\d+-[a-d]\.jpg$/ });
    const listed = dialog.getByRole('region', { name: 'People in this photo' });
    await listed.getByText('Ann', { exact: true }).waitFor();
    const ann = dialog.getByRole('button', { name: 'Face: Ann' });
    const opacity = (): Promise<string> =>
      ann.evaluate((e) => (globalThis as unknown as StyleGlobals).getComputedStyle(e).opacity);
    // Out of the way until the pointer is on the photo, or the user asks for them. The pointer is
    // still where the grid's cell was clicked, which may be on the photo now.
    await page.mouse.move(5, 400);
    await expect.poll(opacity).toBe('0');
    await dialog.getByTestId('face-boxes').hover();
    await expect.poll(opacity).toBe('1');
    await page.mouse.move(5, 400);
    await expect.poll(opacity).toBe('0');
    await dialog.getByRole('button', { name: 'Show faces' }).click();
    await expect.poll(opacity).toBe('1');
    await expect(dialog.getByRole('button', { name: /^Face: / }).count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(ann.getByText('Ann', { exact: true }).isVisible()).resolves.toBe(true);
    // The box lies on the photo as it is shown (letterboxed in the stage).
    const box = (await ann.boundingBox())!;
    const photo = (await dialog.locator('img.photo').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(photo.x);
    expect(box.y).toBeGreaterThanOrEqual(photo.y);
    expect(box.x + box.width).toBeLessThanOrEqual(photo.x + photo.width + 1);
    expect(box.y + box.height).toBeLessThanOrEqual(photo.y + photo.height + 1);
    await shot(page, '63-people-viewer');
    // A face's menu: Escape closes it, and only it.
    await ann.click();
    const menu = page.getByRole('menu', { name: 'Who is this?' });
    await menu.getByRole('menuitem', { name: 'Not Ann' }).waitFor();
    await shot(page, '64-people-face-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('merges someone from another photo into Ann, whose count grows by theirs', async () => {
    await page.getByRole('button', { name: 'Clear search' }).click();
    await openPeople(20);
    const unnamed = page.getByRole('region', { name: 'Not named yet' }).locator('[data-person]');
    let other: Locator | undefined;
    for (let i = 0; i < (await unnamed.count()) && !other; i++) {
      const src = await unnamed.nth(i).locator('img').getAttribute('src');
      if (src && !annThumbs.includes(src)) other = unnamed.nth(i);
    }
    if (!other) throw new Error('no one from another photo than Ann’s');
    const otherCount = countIn(
      await other.getByRole('button', { name: /^Unnamed person, / }).getAttribute('aria-label'),
    );
    await other.hover();
    await other.getByRole('button', { name: 'More for Unnamed person' }).click();
    await page.getByRole('menuitem', { name: 'Merge into…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge this person into…' });
    await dialog.getByRole('radio', { name: /^Ann, / }).click();
    await shot(page, '65-people-merge');
    await dialog.getByRole('button', { name: 'Merge into Ann' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => countIn(await annCard().getAttribute('aria-label'))).toBe(annCount + otherCount);
    annCount += otherCount;
    await shot(page, '66-people-merged');
  });

  it('hides someone, who is listed again, marked, with "Show hidden", and shows them again', async () => {
    const before = await cards().count();
    const last = cards().last();
    await last.hover();
    await last.getByRole('button', { name: 'More for Unnamed person' }).click();
    await page.getByRole('menuitem', { name: 'Hide' }).click();
    await expect.poll(() => cards().count()).toBe(before - 1);
    const toggle = page.getByRole('button', { name: 'Show hidden' });
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    const hidden = cards().filter({ hasText: 'Hidden' });
    await expect.poll(() => hidden.count()).toBe(1);
    await expect(cards().count()).resolves.toBe(before);
    await hidden.hover();
    await hidden.getByRole('button', { name: /^More for / }).click();
    await page.getByRole('menuitem', { name: 'Show again' }).click();
    await expect.poll(() => hidden.count()).toBe(0);
    await toggle.click();
    await expect.poll(() => cards().count()).toBe(before);
  });

  it('opens Ann’s photos', async () => {
    await annCard().click();
    await page.getByRole('heading', { name: 'Ann', exact: true }).waitFor();
    await page.getByText(`${annCount} photos`, { exact: true }).waitFor();
    await expect.poll(() => page.locator('[role=grid] [data-index] img').count()).toBe(annCount);
    await shot(page, '67-person');
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'People', exact: true }).waitFor();
  });

  it('names the people seen later in a video, with no boxes over its poster (a plain wall)', async () => {
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.locator('[role=grid] [data-index] img[alt="party.mp4"]').click();
    const dialog = page.getByRole('dialog', { name: 'party.mp4' });
    const listed = dialog.getByRole('region', { name: 'People in this photo' });
    await listed.getByText(/^Later in the video:/).waitFor();
    const later = (await listed.locator('.later').textContent()) ?? '';
    // The four women of the sixth group photo, each once, at the moment the photo is on screen.
    expect(later.match(/at 0:0[4-9]/g)).toHaveLength(4);
    await expect(dialog.getByRole('button', { name: /^Face: / }).count()).resolves.toBe(0);
    await expect(listed.getByRole('button', { name: 'Show faces' }).count()).resolves.toBe(0);
    await shot(page, '675-people-video');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('turns face recognition off only once confirmed, forgetting everyone, and logged no errors', async () => {
    await page.getByRole('button', { name: /^Folders/ }).click();
    const setting = page.getByRole('switch', { name: 'Recognise faces' });
    await expect(setting.getAttribute('aria-checked')).resolves.toBe('true');
    await setting.click();
    const confirm = page.getByRole('alertdialog', { name: 'Turn off face recognition?' });
    await shot(page, '68-faces-off-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect(setting.getAttribute('aria-checked')).resolves.toBe('true');
    await setting.click();
    await confirm.getByRole('button', { name: 'Turn off and delete' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => setting.getAttribute('aria-checked')).toBe('false');
    await page.getByRole('button', { name: /^People/ }).click();
    await page.getByRole('region', { name: 'Face recognition is off' }).waitFor();
    await expect(cards().count()).resolves.toBe(0);
    await shot(page, '69-people-off');
    expect(errors).toEqual([]);
  });
});
