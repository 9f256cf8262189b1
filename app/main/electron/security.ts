// The security settings the Electron shell runs with, kept free of any runtime `electron` import
// so tests read the very objects main uses (plain Node's `require('electron')` is only a path).
import type { CustomScheme, WebPreferences } from 'electron';

export const APP_SCHEME = 'shoebox';
/** The renderer's own origin: every page, call and asset of the app lives under it. */
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const MEDIA_HOSTS = ['thumb', 'photo', 'motion'] as const;
export type MediaKind = (typeof MEDIA_HOSTS)[number];

/**
 * `standard` gives the scheme real origins and relative URL resolution, `secure` makes it a
 * secure context, `supportFetchAPI` and `stream` let assets and photos be fetched and streamed.
 * `corsEnabled` and `bypassCSP` stay off: no other origin may read it and our CSP always applies.
 */
export const SCHEME: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

/**
 * The page's Content-Security-Policy, sent as a header on every app response. It mirrors the web
 * shell's policy; images may also come from the two media hosts. `devOrigin` (the Vite dev
 * server, development only) adds that server and its HMR WebSocket.
 */
export function contentSecurityPolicy(devOrigin?: string): string {
  const self = devOrigin === undefined ? "'self'" : `'self' ${devOrigin}`;
  const media = MEDIA_HOSTS.map((h) => `${APP_SCHEME}://${h}`).join(' ');
  const connect = devOrigin === undefined ? "'self'" : `'self' ${devOrigin} ${devOrigin.replace(/^http/, 'ws')}`;
  return [
    "default-src 'none'",
    `script-src ${self}`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} ${media} blob: data:`,
    // Videos play straight from the library (shoebox://photo), streamed with range requests.
    `media-src ${APP_SCHEME}://photo ${APP_SCHEME}://motion`,
    `font-src ${self} data:`,
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
    "worker-src 'self'",
  ].join('; ');
}

/** Every BrowserWindow gets exactly these: no Node in the page, isolation and the sandbox on. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/**
 * The Electron fuses flipped into the packaged binary. electron-builder.yml's `electronFuses`
 * must say the same (a test compares them): the yml is what electron-builder reads.
 */
export const ELECTRON_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const;

/**
 * Command-line switches that would open the app to another process: a debugger port or pipe
 * drives the renderer, the library and its files. Refused in packaged builds (the fuses already
 * stop Node's own --inspect family); development keeps them for debugging.
 */
const DEBUG_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'debug',
];

/** The debugging switches in `argv` a packaged build must refuse to start with. */
export function refusedSwitches(argv: readonly string[], packaged: boolean): string[] {
  if (!packaged) return [];
  return argv.flatMap((arg) => {
    const name = /^--?([a-z-]+)(?:=.*)?$/.exec(arg)?.[1];
    return name !== undefined && DEBUG_SWITCHES.includes(name) ? [`--${name}`] : [];
  });
}
