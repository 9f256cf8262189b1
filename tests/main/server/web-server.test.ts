import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebServer } from '#main/server/web-server.ts';
import type { WebServer } from '#main/server/web-server.ts';
import { EventHub } from '#main/service/event-hub.ts';
import type { PhotoHit } from '#shared/types.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Raw HTTP on loopback, so Host and Origin headers can be forged the way an attacker would. */
function http(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('shoebox serve (real HTTP + WebSocket on 127.0.0.1)', () => {
  let fx: ServiceFixture;
  let server: WebServer;
  let hub: EventHub;
  let staticDir: string;
  const bearer = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` });
  const auth = (): Record<string, string> => ({
    authorization: `Bearer ${server.token}`,
    'content-type': 'application/json',
  });
  const callApi = async (channel: string, args: unknown, headers = auth()): Promise<Reply> =>
    http(server.port, `/api/call/${channel}`, { method: 'POST', headers, body: JSON.stringify(args) });

  beforeAll(async () => {
    fx = await serviceFixture();
    staticDir = join(fx.tmp, 'renderer');
    await mkdir(join(staticDir, 'assets'), { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Shoebox</title>');
    await writeFile(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(fx.tmp, 'secret.txt'), 'do not serve');
    hub = new EventHub();
    server = await startWebServer({ service: fx.service, hub, staticDir });
    await fx.service.addRoot(fx.photos);
    await fx.indexed();
  });
  afterAll(async () => {
    await server.close();
    await fx.close();
  });

  it('binds to loopback and prints a URL carrying the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[A-Za-z0-9_-]{32}$`));
  });

  it('answers calls with the token and refuses them without it (401)', async () => {
    const ok = await callApi('search.text', { query: 'red', limit: 2 });
    expect(ok.status).toBe(200);
    const hits = (JSON.parse(ok.body.toString()) as { ok: true; data: PhotoHit[] }).data;
    expect(hits[0]!.path).toBe(`${fx.photos}/red.jpg`);
    expect((await callApi('app.status', {}, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await callApi('app.status', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    const bad = await callApi('search.text', { query: ['x'] });
    expect(JSON.parse(bad.body.toString())).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(
      (await http(server.port, '/api/call/app.status', { method: 'POST', headers: auth(), body: '{not json' })).status,
    ).toBe(400);
    expect((await http(server.port, '/api/call/app.status', { headers: auth() })).status).toBe(405);
  });

  it('serves the thumbnail of a video’s moment as <id>-<ms> (where a face was cut from), and nothing else so', async () => {
    const hit = (
      JSON.parse((await callApi('search.text', { query: 'green', limit: 1 })).body.toString()) as { data: PhotoHit[] }
    ).data[0]!;
    const moment = `/media/thumb/${hit.id}-4000`;
    // None kept for this item yet.
    expect((await http(server.port, moment, { headers: bearer() })).status).toBe(404);
    const meta = (await fx.service.engine.photo(hit.id))!;
    const kept = (await http(server.port, `/media/thumb/${hit.id}`, { headers: bearer() })).body;
    await writeFile(fx.service.engine.thumbFile(meta.hash, 4000), kept);
    const served = await http(server.port, moment, { headers: bearer() });
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.body.equals(kept)).toBe(true);
    expect((await http(server.port, `/media/photo/${hit.id}-4000`, { headers: bearer() })).status).toBe(404);
    expect((await http(server.port, `/media/thumb/${hit.id}-40x0`, { headers: bearer() })).status).toBe(404);
  });

  it('refuses cross-origin requests and foreign Host headers (DNS rebinding)', async () => {
    expect((await callApi('app.status', {}, { ...auth(), origin: 'http://evil.example' })).status).toBe(403);
    expect((await callApi('app.status', {}, { ...auth(), origin: `http://127.0.0.1:${server.port}` })).status).toBe(
      200,
    );
    expect((await callApi('app.status', {}, { ...auth(), host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('serves thumbnails and photos of library ids only', async () => {
    const hit = (
      JSON.parse((await callApi('search.text', { query: 'blue', limit: 1 })).body.toString()) as { data: PhotoHit[] }
    ).data[0]!;
    const thumb = await http(server.port, `/media/thumb/${hit.id}`, { headers: bearer() });
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.body.subarray(8, 12).toString()).toBe('WEBP');
    const photo = await http(server.port, `/media/photo/${hit.id}`, { headers: bearer() });
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(photo.headers['accept-ranges']).toBe('bytes');
    // A video element seeks with ranges: the bytes asked for, and only those.
    const part = await http(server.port, `/media/photo/${hit.id}`, {
      headers: { ...bearer(), range: 'bytes=2-9' },
    });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 2-9/${photo.body.length}`);
    expect(part.body.equals(photo.body.subarray(2, 10))).toBe(true);
    const beyond = await http(server.port, `/media/photo/${hit.id}`, {
      headers: { ...bearer(), range: `bytes=${photo.body.length}-` },
    });
    expect(beyond.status).toBe(416);
    expect((await http(server.port, `/media/photo/${hit.id}`)).status).toBe(401);
    for (const trick of [
      'abcdef0123456789',
      '..%2F..%2Fsecret.txt',
      '%2e%2e',
      encodeURIComponent(`${fx.tmp}/secret.txt`),
    ]) {
      expect((await http(server.port, `/media/photo/${trick}`, { headers: bearer() })).status, trick).toBe(404);
    }
  });

  it('locks down every API and media response: no script may run in it, no type is guessed', async () => {
    const hit = (
      JSON.parse((await callApi('search.text', { query: 'red', limit: 1 })).body.toString()) as { data: PhotoHit[] }
    ).data[0]!;
    const replies = [
      await callApi('app.status', {}),
      await callApi('search.text', { query: ['x'] }),
      await http(server.port, `/media/thumb/${hit.id}`, { headers: bearer() }),
      await http(server.port, `/media/photo/${hit.id}`, { headers: bearer() }),
      await http(server.port, `/media/photo/0000000000000000`, { headers: bearer() }),
      await http(server.port, '/api/call/app.status', { headers: auth() }),
    ];
    for (const r of replies) {
      expect(r.headers['content-security-policy'], String(r.status)).toBe("default-src 'none'; sandbox");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses an oversized body with 413 and leaves concurrent searches alone', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    // The client may still be sending when the server closes that connection after its 413: a
    // reset then reaches this client alone, and is counted apart.
    const oversized = async (): Promise<number | 'reset'> =>
      http(server.port, '/api/call/search.text', { method: 'POST', headers: auth(), body: `{"query":"${big}"}` }).then(
        (r) => r.status,
        (err: unknown) => {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EPIPE' || code === 'ECONNRESET') return 'reset' as const;
          throw err;
        },
      );
    const malformed = async (): Promise<number> =>
      (await http(server.port, '/api/call/search.text', { method: 'POST', headers: auth(), body: '{"query": "red"' }))
        .status;
    const search = async (): Promise<boolean> => {
      const r = await callApi('search.text', { query: 'red', limit: 3 });
      return r.status === 200 && (JSON.parse(r.body.toString()) as { ok: boolean }).ok;
    };
    // Eight clients, ten searches each, beside two clients sending oversized and malformed bodies.
    const searches = Array.from({ length: 8 }, async () => {
      const results: boolean[] = [];
      for (let i = 0; i < 10; i++) results.push(await search());
      return results;
    });
    const abusers = Array.from({ length: 2 }, async () => {
      const statuses: (number | 'reset')[] = [];
      for (let i = 0; i < 5; i++) statuses.push(await oversized(), await malformed());
      return statuses;
    });
    const good = (await Promise.all(searches)).flat();
    expect(good).toHaveLength(80);
    expect(good.every(Boolean)).toBe(true);
    const refused = (await Promise.all(abusers)).flat();
    const answers = refused.filter((_, i) => i % 2 === 0);
    expect(answers.every((status) => status === 413 || status === 'reset')).toBe(true);
    expect(answers.filter((status) => status === 413).length).toBeGreaterThan(0);
    expect(refused.filter((_, i) => i % 2 === 1).every((status) => status === 400)).toBe(true);
    // A body that declares its size too large is refused without being read.
    const declared = await http(server.port, '/api/call/app.status', {
      method: 'POST',
      headers: { ...auth(), 'content-length': String(5 * 1024 * 1024) },
      body: '{}',
    });
    expect(declared.status).toBe(413);
  });

  it('serves the renderer without escaping its folder', async () => {
    const index = await http(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await http(server.port, '/assets/app.js')).body.toString()).toBe('console.log(1)');
    // Like shoebox://app: routes get the shell, a missing asset or a broken escape a plain 404.
    expect((await http(server.port, '/albums')).body.toString()).toContain('<title>Shoebox</title>');
    expect((await http(server.port, '/assets/missing.js')).status).toBe(404);
    expect((await http(server.port, '/assets/%E0%A4%A.js')).status).toBe(404);
    for (const trick of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await http(server.port, trick);
      expect(r.body.toString(), trick).not.toContain('do not serve');
    }
  });

  it('says the renderer is not built (503) at / and on routes, while missing assets stay 404', async () => {
    const bare = await startWebServer({ service: fx.service, hub, staticDir: join(fx.tmp, 'never-built') });
    try {
      for (const path of ['/', '/index.html', '/albums']) {
        const r = await http(bare.port, path);
        expect(r.status, path).toBe(503);
        expect(r.body.toString(), path).toContain('npm run build');
      }
      expect((await http(bare.port, '/assets/app.js')).status).toBe(404);
    } finally {
      await bare.close();
    }
  });

  it('trades the token once for an HttpOnly, SameSite=Strict session cookie; no token is ever read from a URL', async () => {
    const hit = (
      JSON.parse((await callApi('search.text', { query: 'blue', limit: 1 })).body.toString()) as { data: PhotoHit[] }
    ).data[0]!;
    // The token in a URL opens nothing: history and caches would keep it.
    expect((await http(server.port, `/media/photo/${hit.id}?token=${server.token}`)).status).toBe(401);
    expect((await http(server.port, '/api/session', { method: 'POST' })).status).toBe(401);
    const traded = await http(server.port, '/api/session', { method: 'POST', headers: bearer() });
    expect(traded.status).toBe(204);
    const setCookie = String(traded.headers['set-cookie']);
    expect(setCookie).toMatch(/^shoebox_session=[A-Za-z0-9_-]{32}; HttpOnly; SameSite=Strict; Path=\/$/);
    const cookie = setCookie.split(';')[0]!;
    expect(cookie.split('=')[1]).not.toBe(server.token);
    // The cookie is enough for calls, media (never cached) and the event socket.
    const photo = await http(server.port, `/media/photo/${hit.id}`, { headers: { cookie } });
    expect(photo.status).toBe(200);
    expect(photo.headers['cache-control']).toBe('no-store');
    const call = await http(server.port, '/api/call/app.status', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(call.status).toBe(200);
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers: { cookie } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.close();
    // A cookie cannot open another session, and a made-up one opens nothing.
    expect((await http(server.port, '/api/session', { method: 'POST', headers: { cookie } })).status).toBe(401);
    const forged = await http(server.port, `/media/photo/${hit.id}`, { headers: { cookie: 'shoebox_session=x' } });
    expect(forged.status).toBe(401);
    // Another site's page cannot trade it for its own origin either.
    const cross = await http(server.port, '/api/session', {
      method: 'POST',
      headers: { ...bearer(), origin: 'http://evil.example' },
    });
    expect(cross.status).toBe(403);
  });

  it('pushes events over a WebSocket that needs the token', async () => {
    const base = `ws://127.0.0.1:${server.port}/api/events`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(base);
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
    expect(refused).toBe('401');
    const ws = new WebSocket(base, { headers: bearer() });
    await new Promise((resolve) => ws.once('open', resolve));
    const got = new Promise<unknown>((resolve) => ws.once('message', (m: Buffer) => resolve(JSON.parse(m.toString()))));
    hub.emit('root.state', { path: fx.photos, online: false });
    expect(await got).toEqual({ event: 'root.state', payload: { path: fx.photos, online: false } });
    ws.close();
  });
});
