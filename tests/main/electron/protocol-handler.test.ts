import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolHandler, routeShoeboxUrl } from '#main/electron/protocol-handler.ts';
import { appFilePath } from '#main/static-files.ts';
import { contentSecurityPolicy } from '#main/electron/security.ts';
import { serviceFixture } from '#support/service.ts';
import type { ServiceFixture } from '#support/service.ts';

describe('routeShoeboxUrl', () => {
  it('routes app paths to decoded segments, the root to index.html', () => {
    expect(routeShoeboxUrl('shoebox://app/')).toEqual({ kind: 'app', segments: [] });
    expect(routeShoeboxUrl('shoebox://app/index.html')).toEqual({ kind: 'app', segments: ['index.html'] });
    expect(routeShoeboxUrl('shoebox://app/assets/index-AbC123.js')).toEqual({
      kind: 'app',
      segments: ['assets', 'index-AbC123.js'],
    });
    expect(routeShoeboxUrl('shoebox://app/assets/my%20font.woff2')).toEqual({
      kind: 'app',
      segments: ['assets', 'my font.woff2'],
    });
    // Chromium lower-cases a standard scheme's host; Node does not, so both must work.
    expect(routeShoeboxUrl('shoebox://APP/index.html')).toEqual({ kind: 'app', segments: ['index.html'] });
    // The query never reaches the file path.
    expect(routeShoeboxUrl('shoebox://app/index.html?../../etc/passwd')).toEqual({
      kind: 'app',
      segments: ['index.html'],
    });
  });

  it('routes media hosts to a photo id and nothing else', () => {
    expect(routeShoeboxUrl('shoebox://thumb/0123abcd')).toEqual({ kind: 'media', media: 'thumb', id: '0123abcd' });
    expect(routeShoeboxUrl('shoebox://photo/0123abcd')).toEqual({ kind: 'media', media: 'photo', id: '0123abcd' });
    // A video's moment, whose thumbnail a person's face may be cut from.
    expect(routeShoeboxUrl('shoebox://thumb/0123abcd-4000')).toEqual({
      kind: 'media',
      media: 'thumb',
      id: '0123abcd-4000',
    });
  });

  it.each([
    ['an encoded slash', 'shoebox://app/..%2f..%2fetc%2fpasswd'],
    ['an encoded slash inside a name', 'shoebox://app/assets%2f..%2f..%2fsecret.txt'],
    ['an encoded backslash', 'shoebox://app/..%5c..%5csecret.txt'],
    ['a raw backslash', 'shoebox://app/..\\..\\secret.txt'],
    ['an absolute path', 'shoebox://app//etc/passwd'],
    ['an encoded absolute path', 'shoebox://app/%2Fetc%2Fpasswd'],
    ['a drive letter', 'shoebox://app/C:/Windows/win.ini'],
    ['an encoded NUL', 'shoebox://app/index.html%00.png'],
    ['broken percent-encoding', 'shoebox://app/%E0%A4%A'],
    ['a trailing empty segment', 'shoebox://app/assets/'],
    ['credentials', 'shoebox://user:pw@app/index.html'],
    ['a port', 'shoebox://app:8080/index.html'],
    ['an unknown host', 'shoebox://evil/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['not a URL', 'not a url'],
    ['a media id that is not hex', 'shoebox://thumb/not-an-id'],
    ['a short media id', 'shoebox://thumb/abc'],
    ['an upper-case media id', 'shoebox://thumb/ABCDEF12'],
    ['a media path with more segments', 'shoebox://photo/0123abcd/extra'],
    ['a media path trick', 'shoebox://photo/..%2f..%2fetc%2fpasswd'],
    ['an encoded media id', 'shoebox://photo/%30123abcd'],
    ['a media query', 'shoebox://thumb/0123abcd?path=/etc/passwd'],
    ['a moment of anything but a thumbnail', 'shoebox://photo/0123abcd-4000'],
    ['a moment that is not a number', 'shoebox://thumb/0123abcd-4000-1'],
    ['a moment with no id', 'shoebox://thumb/-4000'],
  ])('refuses %s', (_what, url) => {
    expect(routeShoeboxUrl(url)).toEqual({ kind: 'none' });
  });

  it('resolves app files only inside the renderer folder', () => {
    const root = join('/srv', 'renderer');
    expect(appFilePath(root, [])).toBe(join(root, 'index.html'));
    expect(appFilePath(root, ['assets', 'a.js'])).toBe(join(root, 'assets', 'a.js'));
    // Segments are validated by the router; this is the second line of defence.
    expect(appFilePath(root, ['..', 'secret.txt'])).toBeNull();
    expect(appFilePath(root, ['/etc/passwd'])).toBe(join(root, 'etc', 'passwd'));
  });
});

describe('the shoebox:// handler (real files, a real LibraryService)', () => {
  let fx: ServiceFixture;
  let renderer: string;
  let handle: (request: Request) => Promise<Response>;
  let ids: { id: string; path: string }[];
  const csp = contentSecurityPolicy();
  const get = (url: string, method = 'GET'): Promise<Response> => handle(new Request(url, { method }));

  beforeAll(async () => {
    fx = await serviceFixture();
    renderer = join(fx.tmp, 'renderer');
    await mkdir(join(renderer, 'assets'), { recursive: true });
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Shoebox</title>');
    await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(fx.tmp, 'secret.txt'), 'do not serve');
    handle = createProtocolHandler({ rendererDir: renderer, media: () => fx.service, csp });
    await fx.service.addRoot(fx.photos);
    await fx.indexed();
    ids = (await fx.service.list(0, 10)).items.map((p) => ({ id: p.id, path: p.path }));
  });
  afterAll(async () => {
    await fx.close();
  });

  it('serves the renderer with the CSP and a content type', async () => {
    const index = await get('shoebox://app/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(csp);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Shoebox</title>');
    const js = await get('shoebox://app/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('shoebox://app/')).status).toBe(200);
  });

  it('gives extension-less routes the app shell and missing assets a 404', async () => {
    expect(await (await get('shoebox://app/search/red')).text()).toContain('<title>Shoebox</title>');
    expect((await get('shoebox://app/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'shoebox://app/..%2fsecret.txt',
    'shoebox://app/assets/..%2f..%2fsecret.txt',
    'shoebox://app/%2e%2e%2fsecret.txt',
    'shoebox://app/..%5csecret.txt',
    'shoebox://app//etc/passwd',
    'shoebox://app/%2Fetc%2Fpasswd',
    'shoebox://evil/secret.txt',
  ])('never serves a file outside the renderer: %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('do not serve');
  });

  it('lets URL parsing resolve dot segments before routing, so they stay inside', async () => {
    // WHATWG parsing (Chromium's and Node's) resolves these to shoebox://app/secret.txt.
    for (const url of [
      'shoebox://app/../secret.txt',
      'shoebox://app/%2e%2e/secret.txt',
      'shoebox://app/assets/../../secret.txt',
    ]) {
      const res = await get(url);
      expect(res.status).toBe(404);
    }
  });

  it('serves thumbnails and photos for known ids through the library', async () => {
    expect(ids.length).toBeGreaterThan(3);
    const { id, path } = ids[0]!;
    const photo = await get(`shoebox://photo/${id}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/jpeg');
    expect(photo.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await photo.arrayBuffer()).equals(await readFile(path))).toBe(true);
    const thumb = await get(`shoebox://thumb/${id}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const bytes = Buffer.from(await thumb.arrayBuffer());
    expect(bytes.subarray(8, 12).toString('ascii')).toBe('WEBP');
    expect(Number(thumb.headers.get('content-length'))).toBe(bytes.length);
  });

  it('answers range requests, as a video element seeking through a file makes them', async () => {
    const { id, path } = ids[0]!;
    const whole = await readFile(path);
    const ranged = async (range: string): Promise<Response> =>
      handle(new Request(`shoebox://photo/${id}`, { headers: { range } }));
    const middle = await ranged('bytes=100-199');
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(middle.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await middle.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    const open = await ranged('bytes=50-');
    expect(Buffer.from(await open.arrayBuffer()).equals(whole.subarray(50))).toBe(true);
    const tail = await ranged('bytes=-10');
    expect(tail.headers.get('content-range')).toBe(`bytes ${whole.length - 10}-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(-10))).toBe(true);
    const past = await ranged(`bytes=${whole.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    // Several ranges, or none that parse: the whole file, as HTTP allows.
    const several = await ranged('bytes=0-1,5-6');
    expect(several.status).toBe(200);
    expect(several.headers.get('accept-ranges')).toBe('bytes');
    expect((await several.arrayBuffer()).byteLength).toBe(whole.length);
  });

  it('answers 404 for ids the library does not know and for any trick around them', async () => {
    const { id } = ids[0]!;
    for (const url of [
      'shoebox://photo/0123456789abcdef0123456789abcdef',
      `shoebox://photo/${id}?x=1`,
      `shoebox://photo/${id}/`,
      `shoebox://photo/${id}%2f..%2f..%2fsecret.txt`,
      `shoebox://thumb/${id.toUpperCase()}`,
      'shoebox://photo/..%2f..%2fsecret.txt',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(`shoebox://photo/${ids[0]!.id}`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect((await get('shoebox://app/index.html', 'POST')).status).toBe(405);
  });

  it('answers 404 for media while the library is still opening, and 503 without a built renderer', async () => {
    const early = createProtocolHandler({ rendererDir: join(fx.tmp, 'not-built'), media: () => null, csp });
    expect((await early(new Request(`shoebox://thumb/${ids[0]!.id}`))).status).toBe(404);
    expect((await early(new Request('shoebox://app/index.html'))).status).toBe(503);
    expect((await early(new Request('shoebox://app/'))).status).toBe(503);
    expect((await early(new Request('shoebox://app/assets/app.js'))).status).toBe(404);
  });
});
