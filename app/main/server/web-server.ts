import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve } from 'node:path';
import { WebSocketServer } from 'ws';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
import { NO_DESKTOP, createHandlers, dispatch } from '../ipc/handlers.ts';
import type { Handlers } from '../ipc/handlers.ts';
import type { EventHub } from '../service/event-hub.ts';
import type { LibraryService, MediaKind } from '../service/library-service.ts';
import { TYPES, byteRange, decodeSegments, rangeHeaders, readWindow, resolveAppFile } from '../static-files.ts';
import {
  BodyTooLarge,
  LOCKED_DOWN,
  bearerToken,
  readBody,
  sendJson,
  sendText,
  sessionCookie,
  sessionSetCookie,
  tokenMatches,
} from './http-util.ts';

export interface WebServerOptions {
  service: LibraryService;
  hub: EventHub;
  /** The built renderer (vite build output). */
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function csp(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; connect-src 'self' ${ws}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;
}

/**
 * `shoebox serve`: the renderer and the contract over HTTP + WebSocket on loopback, for use from
 * a browser. Calls need the per-start token; requests from other origins and foreign Host headers
 * (DNS rebinding) are refused; media URLs resolve library photo ids only, never paths.
 */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const host = o.host ?? '127.0.0.1';
  const token = o.token ?? randomBytes(24).toString('base64url');
  const handlers = createHandlers(o.service, NO_DESKTOP);
  const staticDir = resolve(o.staticDir);
  let origin = '';
  let allowedHosts = new Set<string>();

  // What the browser holds instead of the token once it has traded it (POST /api/session).
  const session = randomBytes(24).toString('base64url');
  const authorized = (req: IncomingMessage): boolean =>
    tokenMatches(token, bearerToken(req)) || tokenMatches(session, sessionCookie(req));

  const guard = (req: IncomingMessage, needToken: boolean): number | null => {
    if (!allowedHosts.has(req.headers.host ?? '')) return 403;
    const from = req.headers.origin;
    if (from !== undefined && from !== origin) return 403;
    if (needToken && !authorized(req)) return 401;
    return null;
  };

  const server = createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(err) } });
      else res.destroy();
    });
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin);
    const api = url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/');
    if (url.pathname === '/api/session' && req.method === 'POST') {
      // Only the token itself opens a session: a session cookie cannot renew itself.
      const refused = guard(req, false) ?? (tokenMatches(token, bearerToken(req)) ? null : 401);
      if (refused !== null) sendText(res, refused, refused === 401 ? 'missing or wrong token' : 'forbidden');
      else {
        res.writeHead(204, { 'set-cookie': sessionSetCookie(session), 'cache-control': 'no-store' });
        res.end();
      }
      return;
    }
    const refused = guard(req, api);
    if (refused !== null) {
      sendText(res, refused, refused === 401 ? 'missing or wrong token' : 'forbidden');
      return;
    }
    const call = /^\/api\/call\/([a-z.]+)$/i.exec(url.pathname);
    if (call) {
      await answerCall(handlers, req, res, call[1]!);
      return;
    }
    const media = /^\/media\/(thumb|photo|motion)\/([^/]+)$/.exec(url.pathname);
    if (media) await serveMedia(o.service, media[1] as MediaKind, media[2]!, req, res);
    else if (api) sendText(res, 404, 'not found');
    else await serveStatic(staticDir, url.pathname, res, csp(origin));
  };

  const events = eventSocket(
    server,
    o.hub,
    (req) => guard(req, true),
    () => origin,
  );

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? 0, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  origin = `http://${shownHost}:${port}`;
  allowedHosts = new Set([`${shownHost}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
  return {
    url: `${origin}/#token=${token}`,
    token,
    port,
    close: async () => {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** POST /api/call/<channel>: the JSON body through the one dispatch, its result as JSON. */
async function answerCall(
  handlers: Handlers,
  req: IncomingMessage,
  res: ServerResponse,
  channel: string,
): Promise<void> {
  if (req.method !== 'POST') {
    sendText(res, 405, 'use POST');
    return;
  }
  let args: unknown;
  try {
    const body = await readBody(req);
    args = body === '' ? {} : JSON.parse(body);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      // This connection ends after the answer; every other one is left alone.
      sendJson(res, 413, { ok: false, error: { code: 'BAD_REQUEST', message: err.message } }, { connection: 'close' });
      return;
    }
    sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: `body must be JSON: ${String(err)}` } });
    return;
  }
  sendJson(res, 200, await dispatch(handlers, channel, args));
}

/**
 * /api/events: every pushed event to every connected page, as JSON text. Upgrades pass the same
 * guard as calls (host, origin, and the session cookie or token); the origin is known only once
 * the server listens.
 */
function eventSocket(
  server: Server,
  hub: EventHub,
  guard: (req: IncomingMessage) => number | null,
  origin: () => string,
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true });
  const unsubscribe = hub.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin());
    const refused = url.pathname === '/api/events' ? guard(req) : 404;
    if (refused !== null) {
      socket.end(`HTTP/1.1 ${refused} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  return {
    close: () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

async function serveMedia(
  service: LibraryService,
  kind: MediaKind,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const media = await service.openMedia(kind, id);
  if (!media) {
    sendText(res, 404, 'no such photo');
    return;
  }
  const range = byteRange(req.headers.range, media.size);
  const { status, headers } = rangeHeaders(range, media.size);
  res.writeHead(status, {
    ...LOCKED_DOWN,
    ...headers,
    'content-type': media.contentType,
    // Nothing of the library stays in the browser's cache once the tab is closed.
    'cache-control': 'no-store',
    'cross-origin-resource-policy': 'same-origin',
  });
  if (status === 416 || media.size === 0 || req.method === 'HEAD') {
    await media.handle.close();
    res.end();
    return;
  }
  // The file already open (and checked) is what is sent; a client that goes away closes it too.
  const stream = media.handle.createReadStream(readWindow(range, media.size, media.start));
  pipeline(stream, res, () => undefined);
}

async function serveStatic(root: string, pathname: string, res: ServerResponse, policy: string): Promise<void> {
  const found = await resolveAppFile(root, decodeSegments(pathname));
  if ('status' in found) {
    sendText(res, found.status, found.message);
    return;
  }
  const { file, size } = found;
  res.writeHead(200, {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(file).pipe(res);
}
