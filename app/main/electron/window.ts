// The main window and the session it runs in, locked down: the app's own pages only, links out
// to the system browser, no permissions, no downloads, no webviews.
import { BrowserWindow, screen, shell } from 'electron';
import type { Rectangle, Session, WebContents } from 'electron';
import { contentSecurityPolicy, secureWebPreferences } from './security.ts';
import { isAppUrl, originOf, safeExternalUrl } from './url-policy.ts';
import { MIN_SIZE, loadWindowState, restoreWindowState, saveWindowState } from './window-state.ts';

export interface MainWindowOptions {
  preload: string;
  /** shoebox://app/index.html, or the dev server's page while developing. */
  startUrl: string;
  origins: readonly string[];
  /** window-state.json in userData. */
  stateFile: string;
}

const ours = new Set<WebContents>();

/** Whether these web contents belong to a window this module made (and still shows). */
export function isOurWebContents(contents: WebContents): boolean {
  return ours.has(contents);
}

function openOutside(url: string): void {
  const safe = safeExternalUrl(url);
  if (safe !== null)
    shell.openExternal(safe).catch((err: unknown) => console.error(`shoebox: could not open ${safe}:`, err));
}

function guardNavigation(contents: WebContents, origins: readonly string[]): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, origins)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  // Subframes and redirects never leave the app either (the CSP already forbids frames).
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, origins)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, origins)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function workAreas(): Rectangle[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
}

/** Opens the window at its remembered place; the page loads in the background. */
export async function createMainWindow(o: MainWindowOptions): Promise<BrowserWindow> {
  const restored = restoreWindowState(await loadWindowState(o.stateFile), workAreas());
  const { maximized, ...bounds } = restored;
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Shoebox',
    show: false,
    backgroundColor: '#1c1b1a',
    webPreferences: secureWebPreferences(o.preload),
  });
  const contents = win.webContents;
  ours.add(contents);
  guardNavigation(contents, o.origins);
  if (maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    try {
      saveWindowState(o.stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (err) {
      console.error('shoebox: could not save the window state:', err);
    }
  });
  win.on('closed', () => ours.delete(contents));
  win.loadURL(o.startUrl).catch((err: unknown) => console.error(`shoebox: could not load ${o.startUrl}:`, err));
  return win;
}

/**
 * Deny every permission request and check (camera, notifications, geolocation, …), refuse
 * downloads, and, while developing against the Vite server, give its pages the app's CSP too.
 */
export function lockDownSession(session: Session, devOrigin: string | null): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
  // No spell-checking anywhere: on Linux and Windows it would download Hunspell dictionaries.
  session.setSpellCheckerEnabled(false);
  if (devOrigin === null) return;
  const policy = contentSecurityPolicy(devOrigin);
  // Matched here rather than with a URL filter: filter patterns and ports do not mix reliably.
  session.webRequest.onHeadersReceived((details, callback) => {
    if (originOf(details.url) !== devOrigin) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}
