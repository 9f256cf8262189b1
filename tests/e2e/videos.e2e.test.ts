// End-to-end: a phone-style video, an iPhone Live Photo and a RAW+JPEG pair beside a photo,
// indexed by the real `shoebox serve` and shown in Debian's Chromium: the grid marks the video with
// its length, a search finds it by what happens in it, and the viewer plays it from that moment
// through range requests; the Live Photo plays its motion; the pair lists both of its files.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addFolderAndWait,
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
import { heicFrom, videoOf } from '#support/media-tools.ts';
import { makeDng } from '#support/raw-files.ts';
import { makeTestModel } from '#support/test-model.ts';

/** The little of the page's DOM the page functions below use (no DOM types in the Node project). */
interface VideoElement {
  currentTime: number;
  readyState: number;
  paused: boolean;
  error: { code: number } | null;
}
interface PageGlobals {
  document: { querySelector(selector: string): VideoElement | null };
}

describe('videos in the app', () => {
  let tmp: string;
  let browser: Browser;
  let server: Serve | undefined;
  let page: Page;
  let photos: string;
  const errors: string[] = [];
  const ranges: string[] = [];

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-videos-');
    photos = path.join(tmp, 'photos');
    await mkdir(photos);
    await sharp({ create: { width: 160, height: 120, channels: 3, background: '#dc1e1e' } })
      .jpeg()
      .toFile(path.join(photos, 'red.jpg'));
    await videoOf(path.join(photos, 'beach.mp4'), {
      scenes: [
        { colour: 'black', seconds: 1 },
        { colour: '0x1EB432', seconds: 3 },
        { colour: '0x1E3CDC', seconds: 5 },
      ],
    });
    await writeFile(
      path.join(photos, 'IMG_0001.HEIC'),
      await heicFrom(
        await sharp({ create: { width: 320, height: 240, channels: 3, background: '#f0dc28' } })
          .png()
          .toBuffer(),
      ),
    );
    await videoOf(path.join(photos, 'IMG_0001.MOV'), { scenes: [{ colour: 'yellow', seconds: 2 }], codec: 'mov' });
    const green = sharp({ create: { width: 300, height: 200, channels: 3, background: '#1eb432' } }).jpeg();
    await writeFile(path.join(photos, 'DSC_0002.JPG'), await green.toBuffer());
    await writeFile(
      path.join(photos, 'DSC_0002.DNG'),
      makeDng({ preview: { jpeg: await green.toBuffer(), width: 300, height: 200 } }),
    );
    // An animated GIF: two frames, shown as it is so the browser animates it.
    const frames = await Promise.all(
      ['#dc1e1e', '#1e3cdc'].map((c) =>
        sharp({ create: { width: 90, height: 60, channels: 3, background: c } })
          .png()
          .toBuffer(),
      ),
    );
    await sharp(frames, { join: { animated: true } })
      .gif({ delay: 200, loop: 0 })
      .toFile(path.join(photos, 'wave.gif'));
    browser = await launchChromium();
    server = await startServe({
      library: path.join(tmp, 'library'),
      model: await makeTestModel(path.join(tmp, 'model')),
    });
    page = await openPage(browser, server.url, errors);
    page.on('request', (r) => {
      const range = r.headers().range;
      if (r.url().includes('/media/photo/') && range) ranges.push(range);
    });
  });

  afterAll(async () => {
    await page?.close();
    await stopServe(server);
    await browser?.close();
    await removeTempDir(tmp);
  });

  it('indexes the video as one item and marks it with its length in the grid', async () => {
    await addFolderAndWait(page, photos, 5);
    expect(await page.getByLabel('Video, 0:09').count()).toBe(1);
    expect(await page.getByLabel('Live Photo').count()).toBe(1);
    expect(await page.getByRole('img', { name: 'IMG_0001.MOV' }).count()).toBe(0);
    expect(await page.getByRole('img', { name: 'DSC_0002.DNG' }).count()).toBe(0);
    await screenshot(page, '40-video-grid');
  });

  it('finds the video by what happens in it and plays it from that moment', async () => {
    await page.getByLabel('Search photos').focus();
    await page.getByLabel('Search photos').pressSequentially('blue', { delay: 40 });
    await page.getByRole('heading', { name: 'Results for “blue”' }).waitFor();
    await page.getByRole('img', { name: 'beach.mp4' }).click();
    const dialog = page.getByRole('dialog', { name: 'beach.mp4' });
    await dialog.waitFor();
    expect(await dialog.getByRole('complementary', { name: 'Photo details' }).innerText()).toContain('0:09');
    const player = dialog.locator('video');
    expect(await player.getAttribute('aria-label')).toBe('beach.mp4, from 0:04');
    // Chromium decodes it, starts at the moment the search matched (the cut to blue at 4 s), and plays.
    await page.waitForFunction(() => {
      const v = (globalThis as unknown as PageGlobals).document.querySelector('[role=dialog] video');
      return v !== null && (v.error !== null || (v.readyState >= 2 && v.currentTime >= 4));
    });
    const state = await player.evaluate((v: VideoElement) => ({ error: v.error?.code ?? null, at: v.currentTime }));
    expect(state.error).toBeNull();
    expect(state.at).toBeGreaterThanOrEqual(4);
    expect(state.at).toBeLessThan(9.1);
    expect(ranges.length).toBeGreaterThan(0);
    await screenshot(page, '41-video-viewer');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it("plays a Live Photo's motion over its still", async () => {
    await page.getByLabel('Search photos').fill('');
    await page.getByRole('heading', { name: 'Results for “blue”' }).waitFor({ state: 'detached' });
    await page.getByRole('img', { name: 'IMG_0001.HEIC' }).click();
    const dialog = page.getByRole('dialog', { name: 'IMG_0001.HEIC' });
    await dialog.waitFor();
    await dialog.getByText(path.join(photos, 'IMG_0001.MOV')).waitFor();
    await dialog.getByRole('button', { name: 'LIVE' }).click();
    await page.waitForFunction(() => {
      const v = (globalThis as unknown as PageGlobals).document.querySelector('[role=dialog] video');
      return v !== null && (v.error !== null || v.readyState >= 2);
    });
    expect(await dialog.locator('video').evaluate((v: VideoElement) => v.error?.code ?? null)).toBeNull();
    expect(await dialog.locator('video').getAttribute('aria-label')).toBe('IMG_0001.HEIC, motion');
    await screenshot(page, '42-live-photo');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('lists both files of a RAW+JPEG pair', async () => {
    await page.getByRole('img', { name: 'DSC_0002.JPG' }).click();
    const dialog = page.getByRole('dialog', { name: 'DSC_0002.JPG' });
    await dialog.getByText(path.join(photos, 'DSC_0002.DNG')).waitFor();
    expect(await dialog.getByRole('complementary', { name: 'Photo details' }).innerText()).toMatch(/RAW file/i);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('shows an animated GIF as it is, so it animates', async () => {
    await page.getByRole('img', { name: 'wave.gif' }).click();
    const dialog = page.getByRole('dialog', { name: 'wave.gif' });
    const shown = dialog.getByRole('img', { name: 'wave.gif' });
    const src = (await shown.getAttribute('src'))!;
    expect(src).toMatch(/^\/media\/photo\//);
    const res = await page.request.get(new URL(src, server!.url).href);
    expect(res.headers()['content-type']).toBe('image/gif');
    expect((await res.body()).subarray(0, 6).toString('latin1')).toBe('GIF89a');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('logged no console errors and threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
