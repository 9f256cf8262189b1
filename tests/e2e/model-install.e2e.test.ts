// End-to-end: a library with no model gets one in a few clicks. The real `shoebox serve` with
// SHOEBOX_MODEL_CATALOG pointing at a local stand-in for huggingface.co (tests/support/
// model-server.ts, reached through a relay the test can cut to play "offline"), driven in
// Debian's Chromium: the offer, an offline failure, the download's progress, then a folder and
// a search with the downloaded model. Screenshots go to artifacts/screenshots/.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  makeTempDir,
  openPage,
  removeTempDir,
  requireBuiltRenderer,
  screenshot as shot,
  startServe,
  stopServe,
} from '#support/e2e.ts';
import type { Serve } from '#support/e2e.ts';
import { testEntry, writeCatalog } from '#support/model-catalog.ts';
import { startModelServer } from '#support/model-server.ts';
import type { ModelServer } from '#support/model-server.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

const MODEL_ID = 'clip-test';
const MODEL_NAME = `Test model ${MODEL_ID}`;
// A second model that reads "red" as green, so the search shows which model answered.
const OTHER_ID = 'clip-contrary';
const OTHER_NAME = `Test model ${OTHER_ID}`;

/** A TCP relay to the model server that can be switched off (connections refused) and on again. */
interface Relay {
  port: number;
  off(): Promise<void>;
  on(): Promise<void>;
}

async function startRelay(target: number): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number): Promise<void> =>
    new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', fail);
        ok();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    off: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
    on: () => listen(port),
  };
}

describe('a library with no model gets one in a few clicks', () => {
  let tmp: string;
  let photos: string;
  let hub: ModelServer;
  let relay: Relay;
  let browser: Browser;
  let server: Serve;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    requireBuiltRenderer();
    tmp = await makeTempDir('shoebox-e2e-model-');
    const model = await makeTestModel(path.join(tmp, 'hub-model'));
    const other = await makeTestModel(path.join(tmp, 'hub-other'), { dim: 20, wordColours: { red: 'green' } });
    hub = await startModelServer({ 'test/clip': model, 'test/other': other });
    relay = await startRelay(Number(new URL(hub.origin).port));
    const viaRelay = (entry: Record<string, unknown>): Record<string, unknown> => ({
      ...entry,
      files: (entry.files as { url: string }[]).map((f) => ({
        ...f,
        url: f.url.replace(hub.origin, `http://127.0.0.1:${relay.port}`),
      })),
    });
    const catalog = await writeCatalog(path.join(tmp, 'catalog.json'), [
      viaRelay(await testEntry(hub, { id: MODEL_ID, repo: 'test/clip', dir: model })),
      viaRelay(await testEntry(hub, { id: OTHER_ID, repo: 'test/other', dir: other })),
    ]);
    photos = path.join(tmp, 'photos');
    let i = 0;
    for (const [name, rgb] of Object.entries(COLOURS))
      await writePhoto(path.join(photos, `${name}.jpg`), solid(rgb, 90 + i++, 70));

    // No model: the library starts with none, to be offered the catalog's.
    server = await startServe({
      library: path.join(tmp, 'library'),
      env: { SHOEBOX_MODEL_CATALOG: catalog, NO_PROXY: '127.0.0.1,localhost' },
    });
    browser = await launchChromium();
    page = await openPage(browser, server.url, errors);
  });

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await stopServe(server);
    await relay?.off();
    await hub?.close();
    await removeTempDir(tmp);
  });

  it('offers the default model with its size, and says it works offline afterwards', async () => {
    await page.getByRole('heading', { name: 'No CLIP model installed' }).waitFor();
    const offer = page.getByTestId('model-offer');
    await offer.getByRole('button', { name: `Download ${MODEL_NAME}` }).waitFor();
    await expect(offer.textContent()).resolves.toMatch(/[\d.]+ MB · works offline afterwards/);
    await shot(page, '14-model-offer');
  });

  it('explains what to do when the download server cannot be reached', async () => {
    await relay.off();
    await page.getByRole('button', { name: `Download ${MODEL_NAME}` }).click();
    const failed = page.getByTestId('model-download-error');
    await failed.getByText('You seem to be offline').waitFor({ timeout: 20_000 });
    await expect(failed.textContent()).resolves.toContain('Connect to the internet');
    await shot(page, '15-model-offline');
  });

  it("shows the download's progress, bytes, rate and time left once back online", async () => {
    await relay.on();
    hub.misbehave = { bytesPerSecond: 700_000 };
    await page.getByRole('button', { name: 'Try again' }).click();
    const progress = page.getByTestId('model-download');
    await progress.waitFor();
    await page.waitForFunction(
      () => {
        const el = (
          globalThis as unknown as {
            document: { querySelector(s: string): { dataset: Record<string, string> } | null };
          }
        ).document.querySelector('[data-testid=model-download]');
        return el !== null && Number(el.dataset.bytes) > 1_200_000;
      },
      undefined,
      { timeout: 20_000 },
    );
    const bar = page.getByRole('progressbar', { name: `Downloading ${MODEL_NAME}` });
    const percent = Number(await bar.getAttribute('aria-valuenow'));
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThan(100);
    await expect(progress.textContent()).resolves.toMatch(
      /[\d.]+ MB of [\d.]+ MB · [\d.]+ [KM]B\/s · about \d+ s left/,
    );
    await shot(page, '16-model-downloading');
  });

  it("becomes the library's model by itself, then a folder is indexed and searched with it", async () => {
    await page.getByRole('heading', { name: 'Add a folder of photos' }).waitFor({ timeout: 30_000 });
    hub.misbehave = {};
    await page.getByRole('button', { name: 'Add a folder' }).click();
    await page.getByLabel('Folder path').fill(photos);
    await page.getByRole('form', { name: 'Add a folder' }).getByRole('button', { name: 'Add folder' }).click();
    await page
      .locator('[data-testid=index-status][data-total="8"][data-done="8"][data-running="false"]')
      .waitFor({ timeout: 30_000 });
    await page.getByText('8 photos', { exact: true }).waitFor();
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByLabel('Search photos').pressSequentially('red', { delay: 40 });
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    const first = page.locator('[role=grid] img').first();
    await expect.poll(() => first.getAttribute('alt')).toBe('red.jpg');
    await shot(page, '17-model-search-red');
  });

  it('lists the model as in use in the Models section', async () => {
    await page.getByRole('button', { name: /^Folders/ }).click();
    const row = page.getByTestId(`model-${MODEL_ID}`);
    await row.getByText('In use').waitFor();
    await expect(row.getByRole('button', { name: `Remove ${MODEL_NAME}` }).count()).resolves.toBe(0);
    await shot(page, '18-models-section');
  });

  it('switches to a second model, which answers once it has indexed the photos; the first is removed', async () => {
    const other = page.getByTestId(`model-${OTHER_ID}`);
    await other.getByRole('button', { name: `Download ${OTHER_NAME}` }).click();
    await other.getByText('Installed').waitFor({ timeout: 30_000 });
    await other.getByRole('button', { name: `Use ${OTHER_NAME}` }).click();
    await other.getByText('In use').waitFor();
    await page
      .locator('[data-testid=index-status][data-total="8"][data-done="8"][data-running="false"]')
      .waitFor({ timeout: 30_000 });
    const first = page.getByTestId(`model-${MODEL_ID}`);
    await first.getByRole('button', { name: `Remove ${MODEL_NAME}` }).waitFor({ timeout: 30_000 });
    await shot(page, '19-models-switched');
    await first.getByRole('button', { name: `Remove ${MODEL_NAME}` }).click();
    const confirm = page.getByRole('alertdialog');
    // Escape backs out of the confirmation, like every other dialog.
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await first.getByRole('button', { name: `Remove ${MODEL_NAME}` }).click();
    // innerText: the text as shown, with the source's line breaks collapsed as the browser does.
    await expect(confirm.innerText()).resolves.toContain('search index built with it');
    await confirm.getByRole('button', { name: 'Remove model' }).click();
    await first.getByRole('button', { name: `Download ${MODEL_NAME}` }).waitFor();
    await page.getByRole('button', { name: /^Photos/ }).click();
    await page.getByRole('heading', { name: 'Results for “red”' }).waitFor();
    // The second model sees "red" in the green photo; red.jpg is still found by its name (badged).
    const byPicture = page.locator(
      '[role=grid] [data-index]:not(:has([aria-label="Found by its file or folder name"])) img',
    );
    await expect.poll(() => byPicture.first().getAttribute('alt'), { timeout: 10_000 }).toBe('green.jpg');
  });

  it('logged no console errors and threw no page errors', () => {
    expect(errors).toEqual([]);
  });
});
