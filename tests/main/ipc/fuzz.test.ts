import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DESKTOP, createHandlers, dispatch } from '#main/ipc/handlers.ts';
import { startWebServer } from '#main/server/web-server.ts';
import type { WebServer } from '#main/server/web-server.ts';
import { EventHub } from '#main/service/event-hub.ts';
import { calls } from '#shared/contract.ts';
import type { PhotoPage } from '#shared/types.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';

const SECRET = 'TOP-SECRET-NOT-A-PHOTO';

/** Seeded generator of hostile values: wrong types, huge strings, path tricks, odd shapes. */
function hostile(seed: number, paths: string[], ids: string[]): () => unknown {
  let s = seed;
  const rnd = (n: number): number => (s = (s * 48271) % 2147483647) % n;
  const atoms = (): unknown[] => [
    null,
    undefined,
    true,
    0,
    -1,
    1e308,
    NaN,
    '',
    ' ',
    'x'.repeat(100_000),
    '\u0000',
    '../../etc/passwd',
    '/etc/passwd',
    '%2e%2e%2f',
    '..\\..\\windows',
    ...paths,
    ...ids,
    `${ids[0] ?? 'ab'}/../x`,
    'abcdef0123456789',
    [],
    {},
    [1, 2],
    { __proto__: { admin: true } },
    JSON.parse('{"__proto__": {"polluted": 1}}') as unknown,
    { constructor: { prototype: { x: 1 } } },
  ];
  const value = (depth: number): unknown => {
    const a = atoms();
    if (depth > 2 || rnd(3) > 0) return a[rnd(a.length)];
    if (rnd(2) === 0) return Array.from({ length: rnd(4) }, () => value(depth + 1));
    const keys = ['query', 'id', 'path', 'limit', 'offset', 'filters', 'folder', 'from', 'to', 'types', 'x'];
    return Object.fromEntries(Array.from({ length: rnd(5) }, () => [keys[rnd(keys.length)]!, value(depth + 1)]));
  };
  return () => value(0);
}

function post(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(port: number, path: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
}

describe('fuzzing the contract (real service, real HTTP)', () => {
  let fx: ServiceFixture;
  let server: WebServer;
  let outside: string;
  const counts = { dispatched: 0, http: 0, media: 0 };

  beforeAll(async () => {
    fx = await serviceFixture();
    outside = join(fx.tmp, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'secret.jpg'), SECRET);
    // A link inside a root that points out of it: must never be indexed, read or served.
    await symlink(join(outside, 'secret.jpg'), join(fx.photos, 'leak.jpg'));
    await symlink(outside, join(fx.photos, 'leak-dir'));
    await fx.service.addRoot(fx.photos);
    await fx.indexed();
    server = await startWebServer({ service: fx.service, hub: new EventHub(), staticDir: join(fx.tmp, 'no-renderer') });
  });
  afterAll(async () => {
    await server.close();
    await fx.close();
    console.log(
      `fuzz: ${counts.dispatched} dispatched calls, ${counts.http} HTTP calls, ${counts.media} media requests`,
    );
  });

  it('never indexed the file behind the outward link', async () => {
    const page = (await dispatch(createHandlers(fx.service, NO_DESKTOP), 'photos.list', { offset: 0, limit: 100 })) as {
      ok: true;
      data: PhotoPage;
    };
    expect(page.data.items.map((p) => p.path).filter((p) => p.includes('leak'))).toEqual([]);
    expect(page.data.total).toBe(8);
  });

  it('answers thousands of malformed calls with values, never a crash', async () => {
    const handlers = createHandlers(fx.service, NO_DESKTOP);
    const ids = (await fx.service.list(0, 3)).items.map((p) => p.id);
    const next = hostile(7, [fx.photos, outside, join(outside, 'secret.jpg'), join(fx.photos, 'leak.jpg')], ids);
    // Adding or removing real folders would change the library under the fuzzer; those two get
    // only malformed or non-existent paths.
    const channels = [...Object.keys(calls), 'nope', '__proto__', 'constructor', ''];
    for (let i = 0; i < 3000; i++) {
      const channel = channels[i % channels.length]!;
      let args = next();
      if (
        (channel === 'roots.add' || channel === 'roots.remove') &&
        typeof args === 'object' &&
        args !== null &&
        'path' in args
      )
        args = { path: `/nonexistent/${i}` };
      const r = await dispatch(handlers, channel, args);
      counts.dispatched++;
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await fx.service.status()).roots.map((r) => r.path)).toEqual([fx.photos]);
  }, 120_000);

  it('serves nothing outside the library, whatever the request', async () => {
    const next = hostile(11, [join(outside, 'secret.jpg')], []);
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    for (let i = 0; i < 1000; i++) {
      const channel = Object.keys(calls)[i % Object.keys(calls).length]!;
      if (channel.startsWith('roots.')) continue;
      const body = i % 10 === 0 ? '{"broken": ' : JSON.stringify(next() ?? null);
      const r = await post(server.port, `/api/call/${channel}`, body, headers);
      counts.http++;
      expect([200, 400]).toContain(r.status);
      expect(r.text).not.toContain(SECRET);
    }
    const tricks = [
      '../outside/secret.jpg',
      '..%2F..%2Foutside%2Fsecret.jpg',
      encodeURIComponent(join(outside, 'secret.jpg')),
      '%2e%2e%2f%2e%2e',
      'leak.jpg',
      '0'.repeat(64),
      'x'.repeat(5000),
    ];
    for (const kind of ['thumb', 'photo']) {
      for (const t of tricks) {
        const r = await get(server.port, `/media/${kind}/${t}`, server.token);
        counts.media++;
        expect(r.status, t).toBe(404);
        expect(r.text).not.toContain(SECRET);
      }
    }
    const alive = await post(server.port, '/api/call/app.status', '{}', headers);
    expect(alive.status).toBe(200);
  }, 120_000);
});
