// End-to-end: text in photos in Chromium against the real `shoebox serve`. A folder with a photo
// of a receipt is indexed (the OCR check and reading run as part of it); searching its words
// finds it first with a TEXT badge, and the viewer shows its text, selectable, the words marked.
// Then another script's recogniser is chosen on the Folders screen and downloaded from a server
// on 127.0.0.1. The real downloads cannot be fetched here, so it serves a stand-in, named as
// such: the built-in recogniser with its digits 4 and 7 swapped in its dictionary, so the photos
// read again with it are found by "7411".
import { mkdir, stat, writeFile } from 'node:fs/promises';
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
import { startModelServer } from '#support/model-server.ts';
import type { ModelServer } from '#support/model-server.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';
import { standInEntry, writeStandIn } from '#support/text-language.ts';

describe('text in photos in a browser', () => {
  let tmp: string;
  let browser: Browser;
  let server: Serve | undefined;
  let page: Page;
  let models: ModelServer | undefined;
  const errors: string[] = [];

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-text-');
    const photos = path.join(tmp, 'photos');
    await mkdir(photos);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><rect width="900" height="600" fill="#f6f3ec"/><text x="80" y="170" font-family="DejaVu Sans" font-size="64" font-weight="bold">INVOICE 4711</text><text x="80" y="300" font-family="DejaVu Sans" font-size="40">Total 23.50</text></svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(path.join(photos, 'receipt.jpg'));
    for (const colour of ['red', 'blue'] as const) {
      const [r, g, b] = COLOURS[colour]!;
      await sharp({ create: { width: 160, height: 120, channels: 3, background: { r, g, b } } })
        .jpeg()
        .toFile(path.join(photos, `${colour}.jpg`));
    }
    const served = path.join(tmp, 'served');
    await mkdir(served);
    const characters = await writeStandIn(served);
    models = await startModelServer({ 'test/standin': served });
    const list = path.join(tmp, 'text-languages.json');
    const entry = await standInEntry(models, 'test/standin', served, characters, {
      id: 'standin',
      name: 'Stand-in script',
    });
    await writeFile(list, JSON.stringify({ version: 1, languages: [entry] }));
    browser = await launchChromium();
    server = await startServe({
      library: path.join(tmp, 'library'),
      model: await makeTestModel(path.join(tmp, 'model')),
      env: { SHOEBOX_TEXT_CATALOG: list },
    });
    page = await openPage(browser, server.url, errors);
    await addFolderAndWait(page, photos, 3);
  }, 120_000);

  afterAll(async () => {
    await page?.close();
    await stopServe(server);
    await models?.close();
    await browser?.close();
    await removeTempDir(tmp);
  });

  it('finds the receipt first by its words, badged as found by its text', async () => {
    await page.getByLabel('Search photos').fill('invoice 4711');
    await page.getByRole('heading', { name: 'Results for “invoice 4711”' }).waitFor();
    const first = page.locator('[role=grid] [data-index="0"]');
    // The text is read beside the watching, after the photos are indexed; when it is, the library
    // says it changed and the results are searched again.
    await expect.poll(() => first.locator('img').getAttribute('alt'), { timeout: 30_000 }).toBe('receipt.jpg');
    await first.getByLabel('Found by the text in it').waitFor();
    await expect(page.getByLabel('Found by the text in it').count()).resolves.toBe(1);
    await screenshot(page, '56-text-search');
  });

  it('badges a photo found by its file name', async () => {
    await page.getByLabel('Search photos').fill('red');
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    const red = page.locator('[role=grid] [data-index]', { has: page.getByRole('img', { name: 'red.jpg' }) });
    await red.getByLabel('Found by its file or folder name').waitFor();
    await expect(page.getByLabel('Found by its file or folder name').count()).resolves.toBe(1);
    await page.getByLabel('Search photos').fill('invoice 4711');
    await page.getByRole('heading', { name: 'Results for “invoice 4711”' }).waitFor();
  });

  it('shows the text in the viewer, selectable, with the searched words marked', async () => {
    await page.getByRole('img', { name: 'receipt.jpg' }).click();
    const dialog = page.getByRole('dialog', { name: 'receipt.jpg' });
    const text = dialog.getByRole('region', { name: 'Text in this photo' });
    await text.waitFor();
    await expect(text.locator('.lines').innerText()).resolves.toMatch(/INVOICE ?4711\nTotal ?23\.50/);
    // Words read run together are marked as one run: "INVOICE4711".
    const marked = (await text.locator('mark').allTextContents()).join(' ').toLowerCase();
    expect(marked).toContain('invoice');
    expect(marked).toContain('4711');
    await expect(
      text
        .locator('.lines')
        .evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { userSelect: string } }).getComputedStyle(el)
              .userSelect,
        ),
    ).resolves.toBe('text');
    // Over the photo, the line with the searched words is marked where it was read.
    await expect.poll(() => dialog.locator('svg.text-marks polygon').count()).toBe(1);
    await screenshot(page, '57-text-viewer');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('reads text in another script once it is chosen and downloaded on the Folders screen', async () => {
    await page.getByRole('button', { name: /^Folders/ }).click();
    const section = page.getByRole('region', { name: 'Text in photos' });
    const select = section.getByLabel('Read text as');
    await expect.poll(() => select.locator('option').count()).toBe(2);
    await select.selectOption('standin');
    await section.getByRole('button', { name: 'Download and use' }).click();
    await section.getByText('In use: Stand-in script (en).').waitFor();
    await screenshot(page, '58-text-language');
    // The photos are read again in the background; the search finds the receipt by its new reading.
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByLabel('Search photos').fill('invoice 7411');
    await page.getByRole('heading', { name: 'Results for “invoice 7411”' }).waitFor();
    const first = page.locator('[role=grid] [data-index="0"]');
    await expect.poll(() => first.locator('img').getAttribute('alt'), { timeout: 60_000 }).toBe('receipt.jpg');
    await first.getByLabel('Found by the text in it').waitFor();
  }, 120_000);

  it('shows no text section for a photo without text, and logged no errors', async () => {
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.getByRole('img', { name: 'red.jpg' }).click();
    const dialog = page.getByRole('dialog', { name: 'red.jpg' });
    await dialog.getByRole('button', { name: 'Favourite' }).waitFor();
    await expect(dialog.getByRole('region', { name: 'Text in this photo' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('removes a downloaded recogniser once another reads the text', async () => {
    await page.getByRole('button', { name: /^Folders/ }).click();
    const section = page.getByRole('region', { name: 'Text in photos' });
    const select = section.getByLabel('Read text as');
    const remove = section.getByRole('button', { name: 'Remove download' });
    // Not offered for the recogniser in use.
    await expect.poll(() => select.inputValue()).toBe('standin');
    await expect(remove.count()).resolves.toBe(0);
    await select.selectOption('built-in');
    await section.getByRole('button', { name: 'Use', exact: true }).click();
    await expect.poll(() => section.getByText(/^In use:/).count()).toBe(0);
    await select.selectOption('standin');
    await remove.click();
    await page.getByText('The Stand-in script recogniser is deleted from this computer.').waitFor();
    // Listed again as a download, still picked, and no longer removable.
    await section.getByRole('button', { name: 'Download and use' }).waitFor();
    await expect(select.locator('option[value=standin]').textContent()).resolves.toMatch(
      /^\s*Stand-in script \(.+\)\s*$/,
    );
    await expect(remove.count()).resolves.toBe(0);
    await expect(stat(path.join(tmp, 'library', 'models', 'text', 'standin'))).rejects.toThrow(/ENOENT/);
    expect(errors).toEqual([]);
  }, 60_000);
});
