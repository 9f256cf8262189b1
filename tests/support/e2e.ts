// The set-up every end-to-end file shares: the built renderer served by the real `shoebox serve`,
// driven in Debian's Chromium through playwright-core, with screenshots left for a human to look at.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

// The server side lives apart (no playwright there), so the benchmark can start it too.
export { startServe, stopServe } from './serve.ts';
export type { Serve, ServeOptions } from './serve.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
// playwright-core ships no browser: the system's Chromium is driven, or another named by the variable.
const CHROMIUM = process.env.SHOEBOX_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Throws at once when dist/renderer is missing: otherwise every step would time out on an empty page. */
export function requireBuiltRenderer(): void {
  if (!existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('the renderer is not built: run "npm run build:renderer" (npm test does) before the e2e tests');
  }
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Takes the folder away; undefined when the set-up failed before making it. */
export async function removeTempDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A page that records every console error and uncaught exception in `errors`, for a last test to check. */
export async function openPage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  return page;
}

/** The little of the page's DOM imagesLoaded uses: the Node test project has no DOM types. */
interface ImagesGlobals {
  document: { images: ArrayLike<{ complete: boolean }> };
}

/** Waits until no image on the page is still loading, so a screenshot shows no blank thumbnails. */
export async function imagesLoaded(page: Page): Promise<void> {
  // A function, not a string: the app's CSP forbids eval.
  await page.waitForFunction(() =>
    Array.from((globalThis as unknown as ImagesGlobals).document.images).every((i) => i.complete),
  );
}

/** Saves artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  // Let fades settle so the picture is what a user sees.
  await page.waitForTimeout(250);
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/**
 * Adds `folder` through the app's form and waits until indexing is over and the status bar counts
 * `count` photos; then shows all photos, waits for their thumbnails to load.
 */
export async function addFolderAndWait(page: Page, folder: string, count: number, timeout = 30_000): Promise<void> {
  await page.getByRole('button', { name: 'Add a folder' }).click();
  await page.getByLabel('Folder path').fill(folder);
  await page.getByRole('form', { name: 'Add a folder' }).getByRole('button', { name: 'Add folder' }).click();
  await page
    .locator('[data-testid=index-status][data-running="false"]')
    .filter({ hasText: `${count} photos in 1 folder` })
    .waitFor({ timeout });
  await page.getByRole('button', { name: /^Photos/ }).click();
  const thumbs = page.locator('[role=grid] img');
  await thumbs.nth(count - 1).waitFor();
  const shown = await thumbs.count();
  if (shown !== count) throw new Error(`the grid shows ${shown} photos, not ${count}`);
  await imagesLoaded(page);
}
