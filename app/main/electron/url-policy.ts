// Which URLs count as the app, which IPC senders are trusted and which links may leave for the
// system browser. Pure functions: no electron import, so tests run them in plain Node.
import { APP_ORIGIN, APP_SCHEME } from './security.ts';

const MAX_EXTERNAL_URL = 2048;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The origin as Chromium sees it. Node's URL reports "null" for schemes it does not know, while
 * Chromium gives a registered standard scheme a real `scheme://host` origin, so ours is built by
 * hand. Credentials or a port on our scheme never come from the app: no origin.
 */
export function originOf(url: string): string | null {
  const u = parse(url);
  if (!u) return null;
  if (u.protocol === `${APP_SCHEME}:`) {
    if (u.username !== '' || u.password !== '' || u.port !== '' || u.hostname === '') return null;
    return `${APP_SCHEME}://${u.hostname.toLowerCase()}`;
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  return null;
}

/** True when `url` is a page of the app: shoebox://app, or the dev server while developing. */
export function isAppUrl(url: string, appOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && appOrigins.includes(origin);
}

export interface SenderInfo {
  /** The sending frame's URL; null when the frame is gone (navigated away or destroyed). */
  frameUrl: string | null;
  /** The frame is its window's top frame, not an iframe. */
  isMainFrame: boolean;
  /** The frame belongs to a window this app created. */
  fromOurWindow: boolean;
}

/** Only our own windows' top frames, showing the app, may make calls. */
export function isTrustedSender(s: SenderInfo, appOrigins: readonly string[]): boolean {
  return s.fromOurWindow && s.isMainFrame && s.frameUrl !== null && isAppUrl(s.frameUrl, appOrigins);
}

/**
 * A link the renderer wants opened (target=_blank, window.open) goes to the system browser only
 * when it is plain http(s) without credentials; javascript:, file:, our own scheme and the rest
 * are dropped. Returns the normalised URL to open, or null.
 */
export function safeExternalUrl(url: string): string | null {
  if (url.length > MAX_EXTERNAL_URL) return null;
  const u = parse(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return null;
  if (u.username !== '' || u.password !== '' || u.hostname === '') return null;
  return u.href;
}

/**
 * The Vite dev server to load instead of shoebox://app, from SHOEBOX_DEV_SERVER_URL. Honoured
 * only in an unpackaged app and only for a loopback http address, so a packaged build can never
 * be pointed at another page by its environment.
 */
export function devServerOrigin(raw: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || raw === undefined || raw === '') return null;
  const u = parse(raw);
  if (!u || u.protocol !== 'http:' || !LOOPBACK.has(u.hostname) || u.username !== '' || u.password !== '') return null;
  return u.origin;
}

/** The origins whose pages count as the app. */
export function appOrigins(devOrigin: string | null): readonly string[] {
  return devOrigin === null ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin];
}
