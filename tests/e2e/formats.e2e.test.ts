// End-to-end: a folder with an iPhone-style HEIC, a camera DNG, a DNG of sensor data only (no
// preview: LibRaw demosaics it) and a scanned TIFF, indexed by the
// real `shoebox serve` and browsed in Debian's Chromium, which shows none of those formats itself:
// the grid shows their thumbnails and the viewer their rendered copies, upright.
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
import { heicFrom } from '#support/media-tools.ts';
import { makeDng } from '#support/raw-files.ts';
import { makeTestModel } from '#support/test-model.ts';

/** The little of the page's DOM the page functions below use (no DOM types in the Node project). */
interface PageGlobals {
  document: { querySelector(selector: string): { naturalWidth: number; naturalHeight: number } | null };
}

const solidPng = (width: number, height: number, background: string): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

describe('HEIC, RAW and TIFF in the app', () => {
  let tmp: string;
  let browser: Browser;
  let server: Serve | undefined;
  let page: Page;
  let photos: string;
  const errors: string[] = [];

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-formats-');
    photos = path.join(tmp, 'photos');
    await mkdir(photos);
    await writeFile(path.join(photos, 'IMG_0001.HEIC'), await heicFrom(await solidPng(320, 240, '#d03030')));
    const preview = await sharp(await solidPng(300, 200, '#30a040'))
      .jpeg()
      .toBuffer();
    // Held upright when taken: orientation 6 turns the landscape preview to portrait.
    await writeFile(
      path.join(photos, 'DSC_0002.DNG'),
      makeDng({ preview: { jpeg: preview, width: 300, height: 200 }, orientation: 6 }),
    );
    // No preview at all: the sensor's RGGB data of a yellow scene, 640×480 photosites.
    await writeFile(
      path.join(photos, 'RAW_0004.DNG'),
      makeDng({ sensor: { width: 640, height: 480 }, scene: [0.9, 0.8, 0.1], model: 'Sensor Only 1' }),
    );
    await writeFile(
      path.join(photos, 'scan-0003.tif'),
      await sharp(await solidPng(160, 120, '#3050d0'))
        .tiff()
        .toBuffer(),
    );
    browser = await launchChromium();
    server = await startServe({
      library: path.join(tmp, 'library'),
      model: await makeTestModel(path.join(tmp, 'model')),
    });
    page = await openPage(browser, server.url, errors);
  });

  afterAll(async () => {
    await page?.close();
    await stopServe(server);
    await browser?.close();
    await removeTempDir(tmp);
  });

  it('indexes all four, the RAWs marked as such in the grid', async () => {
    await addFolderAndWait(page, photos, 4);
    await expect.poll(() => page.getByLabel('Camera RAW').count()).toBe(2);
    await screenshot(page, '30-formats-grid');
  });

  const opened = async (name: string, width: number, height: number, shot: string): Promise<void> => {
    await page.getByRole('img', { name }).click();
    const dialog = page.getByRole('dialog', { name });
    await dialog.waitFor();
    // A rendered copy, not the original a browser cannot show: it loads, at the photo's upright size.
    await page.waitForFunction(
      ({ alt, w, h }) => {
        const img = (globalThis as unknown as PageGlobals).document.querySelector(`[role=dialog] img[alt="${alt}"]`);
        return img?.naturalWidth === w && img.naturalHeight === h;
      },
      { alt: name, w: width, h: height },
    );
    await screenshot(page, shot);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  };

  it('shows a HEIC in the viewer', async () => {
    await opened('IMG_0001.HEIC', 320, 240, '31-viewer-heic');
  });

  it('shows a RAW upright in the viewer', async () => {
    await opened('DSC_0002.DNG', 200, 300, '32-viewer-raw');
  });

  it('shows a RAW that has only its sensor data, at half its sensor size', async () => {
    await opened('RAW_0004.DNG', 320, 240, '34-viewer-raw-sensor');
  });

  it('shows a TIFF in the viewer', async () => {
    await opened('scan-0003.tif', 160, 120, '33-viewer-tiff');
  });

  it('logged no console errors and threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
