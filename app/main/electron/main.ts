// The Electron main process: one instance, one window, the library service behind the contract.
import '../core/decode/thread-pool.ts';
import '../core/no-telemetry.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, dialog, session, shell } from 'electron';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import { FACE_MODELS_ENV } from '../core/faces/face-models.ts';
import { CATALOG_ENV } from '../core/model-store/catalog.ts';
import { TEXT_CATALOG_ENV } from '../core/model-store/text-languages.ts';
import { createHandlers, dispatch } from '../ipc/handlers.ts';
import type { Handlers, Platform } from '../ipc/handlers.ts';
import { EventHub } from '../service/event-hub.ts';
import { LibraryService } from '../service/library-service.ts';
import type { Result } from '../../shared/contract.ts';
import { registerIpc } from './ipc.ts';
import { launchOptions } from './launch-options.ts';
import { menuTemplate } from './menu.ts';
import type { MenuActions } from './menu.ts';
import { handleShoeboxProtocol, registerShoeboxScheme } from './protocol.ts';
import { APP_ENTRY_URL, contentSecurityPolicy, refusedSwitches } from './security.ts';
import { appOrigins, devServerOrigin } from './url-policy.ts';
import { spawnUtilityDecoder } from './utility-decoder.ts';
import { spawnUtilityInference } from './utility-inference.ts';
import { createMainWindow, isOurWebContents, lockDownSession } from './window.ts';

// The bundle's own folder (dist/electron): the preload sits beside it, the renderer next door.
const HERE = fileURLToPath(new URL('.', import.meta.url));
const PRELOAD = join(HERE, 'preload.cjs');
const RENDERER_DIR = join(HERE, '..', 'renderer');
const APP_NAME = 'Shoebox';
/** Quitting waits this long at most for the index to stop and the library lock to be released. */
const CLOSE_TIMEOUT_MS = 15_000;

const devOrigin = devServerOrigin(process.env.SHOEBOX_DEV_SERVER_URL, app.isPackaged);
// resources/models ships as extra resources (electron-builder.yml), outside app.asar: the model
// and text catalogues and the face models are found there, by the inference process too (it
// inherits this environment). Unpackaged, they are found under the project (app-files.ts).
if (app.isPackaged) {
  const models = join(process.resourcesPath, 'models');
  process.env[FACE_MODELS_ENV] ??= join(models, 'faces');
  process.env[CATALOG_ENV] ??= join(models, 'catalog.json');
  process.env[TEXT_CATALOG_ENV] ??= join(models, 'text-languages.json');
}
const origins = appOrigins(devOrigin);
let servicePromise: Promise<LibraryService> | null = null;
let service: LibraryService | null = null;
let mainWindow: BrowserWindow | null = null;

const platform: Platform = {
  async pickFolder() {
    const options = { properties: ['openDirectory' as const], title: 'Add a photo folder' };
    const parent = mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
    const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  },
  reveal(path) {
    shell.showItemInFolder(path);
    return Promise.resolve(true);
  },
};

async function showWindow(): Promise<void> {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    return;
  }
  const win = await createMainWindow({
    preload: PRELOAD,
    startUrl: devOrigin === null ? APP_ENTRY_URL : `${devOrigin}/`,
    origins,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
  });
  mainWindow = win;
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
}

/** For events that just want the window up: a failure is logged, never left unhandled. */
function bringUpWindow(): void {
  showWindow().catch((err: unknown) => console.error('shoebox: could not open the window:', err));
}

function reportFailure(title: string, result: Result<unknown>): void {
  if (result.ok) return;
  const options = { type: 'error' as const, message: title, detail: result.error.message };
  const shown =
    mainWindow && !mainWindow.isDestroyed()
      ? dialog.showMessageBox(mainWindow, options)
      : dialog.showMessageBox(options);
  shown.catch(() => undefined);
}

/** Menu commands go through the same dispatch as the renderer's calls. */
function menuActions(handlers: Promise<Handlers>): MenuActions {
  const run = (title: string, work: (h: Handlers) => Promise<Result<unknown> | null>): void => {
    handlers
      .then(work)
      .then((result) => result && reportFailure(title, result))
      .catch((err: unknown) =>
        reportFailure(title, { ok: false, error: { code: 'INTERNAL', message: errorMessage(err) } }),
      );
  };
  return {
    addFolder: () =>
      run('Could not add that folder', async (h) => {
        const path = await platform.pickFolder();
        return path === null ? null : dispatch(h, 'roots.add', { path });
      }),
    reindex: () => run('Could not start indexing', (h) => dispatch(h, 'index.start', {})),
    about: () => app.showAboutPanel(),
  };
}

async function closeService(): Promise<void> {
  const running = await servicePromise?.catch(() => null);
  if (!running) return;
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
  await Promise.race([
    running.close().catch((err: unknown) => console.error('shoebox: closing the library failed:', err)),
    timeout,
  ]);
}

/** Quitting holds until the service has stopped indexing and released the library lock. */
function quitCleanly(): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed' || servicePromise === null) return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void closeService().finally(() => {
      state = 'closed';
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    // macOS apps stay open without windows; the dock icon brings one back.
    if (process.platform !== 'darwin') app.quit();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

function startupFailed(err: unknown): void {
  const locked = err instanceof ShoeboxError && err.code === 'LIBRARY_LOCKED';
  const hint = locked
    ? '\n\nAnother Shoebox (perhaps `shoebox watch` or `shoebox serve`) is using this library. Close it and start Shoebox again.'
    : '';
  dialog.showErrorBox('Shoebox could not open its library', `${errorMessage(err)}${hint}`);
  app.quit();
}

async function main(): Promise<void> {
  app.on('second-instance', bringUpWindow);
  quitCleanly();
  await app.whenReady();
  app.setAboutPanelOptions({
    applicationName: APP_NAME,
    applicationVersion: app.getVersion(),
    copyright: 'MIT licensed',
  });
  lockDownSession(session.defaultSession, devOrigin);

  const hub = new EventHub();
  // `electron .` puts the app path before the user's arguments; a packaged app does not.
  const args = process.argv.slice(process.defaultApp ? 2 : 1);
  // The OS's own language list: on macOS and Windows the locale variables are usually unset.
  const language = app.getPreferredSystemLanguages()[0] ?? app.getLocale();
  servicePromise = LibraryService.start(
    { ...launchOptions(args), spawn: spawnUtilityInference, spawnDecoder: spawnUtilityDecoder, language },
    hub.emit,
  );
  const handlers = servicePromise.then((s) => {
    service = s;
    return createHandlers(s, platform);
  });
  // Handled at once: a failed start must not surface as an unhandled rejection first.
  const started = handlers.then(() => undefined, startupFailed);
  handleShoeboxProtocol({ rendererDir: RENDERER_DIR, media: () => service, csp: contentSecurityPolicy() });
  registerIpc({ handlers, hub, origins, isOurs: isOurWebContents });
  const menu = menuTemplate(
    { isMac: process.platform === 'darwin', isDev: !app.isPackaged, appName: APP_NAME },
    menuActions(handlers),
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu));
  app.on('activate', bringUpWindow);

  await showWindow();
  await started;
}

// Before anything else: the single-instance lock lives in userData, and the scheme's privileges
// can only be granted before `ready`. One name in development and packaged alike.
app.setPath('userData', join(app.getPath('appData'), APP_NAME));
registerShoeboxScheme();
const refused = refusedSwitches(process.argv, app.isPackaged);
if (refused.length > 0) {
  process.stderr.write(`Shoebox does not start with ${refused.join(', ')}: it would let another program drive it.\n`);
  app.exit(1);
} else if (app.requestSingleInstanceLock()) {
  main().catch((err: unknown) => {
    dialog.showErrorBox('Shoebox could not start', errorMessage(err));
    app.exit(1);
  });
} else {
  // A second launch: the first instance gets `second-instance` and shows its window.
  app.quit();
}
