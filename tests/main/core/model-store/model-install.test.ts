// Downloads against a real HTTP server on 127.0.0.1 that serves a generated model the way
// huggingface.co does, and misbehaves on request.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelDownloadError } from '#core/model-store/download-errors.ts';
import { ModelStore } from '#core/model-store/model-store.ts';
import type { InstallProgress } from '#core/model-store/model-store.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { colourCheck, matchesColours } from '#support/embed-check.ts';
import { makeImmichTestModel } from '#support/immich-model.ts';
import { testEntry, writeCatalog } from '#support/model-catalog.ts';
import { closedPort, startModelServer, startTlsRedirect } from '#support/model-server.ts';
import type { ModelServer } from '#support/model-server.ts';
import { makeTestModel } from '#support/test-model.ts';

const REPO = 'test/tiny-clip';
const IMMICH_REPO = 'test/tiny-mclip';
const TEXT = 'onnx/text_model.onnx';

describe('installing a model from the catalogue', () => {
  let tmp: string;
  let source: string;
  let server: ModelServer;
  let dispatcher: Agent;
  let library: string;
  let catalogPath: string;

  async function store(): Promise<ModelStore> {
    return ModelStore.open({ libraryDir: library, catalogPath, dispatcher });
  }

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-install-'));
    source = await makeTestModel(path.join(tmp, 'source'));
    const immich = await makeImmichTestModel(path.join(tmp, 'immich'), {
      variant: 'mclip',
      externalTextWeights: 'word_embeddings.weight',
    });
    server = await startModelServer({ [REPO]: source, [IMMICH_REPO]: immich }, { pageSize: 2 });
    dispatcher = new Agent();
    catalogPath = await writeCatalog(path.join(tmp, 'catalog.json'), [
      await testEntry(server, { id: 'tiny', repo: REPO, dir: source }),
      await testEntry(server, {
        id: 'tiny-mclip',
        repo: IMMICH_REPO,
        dir: immich,
        layout: 'immich',
        extraFiles: ['textual/word_embeddings.weight'],
      }),
    ]);
  });
  afterAll(async () => {
    await dispatcher.close();
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    library = await mkdtemp(path.join(tmp, 'lib-'));
    server.misbehave = {};
    server.requests.length = 0;
  });

  it('installs, checks every file against the catalogue sha256, writes the settings, and the result embeds', async () => {
    const progress: InstallProgress[] = [];
    const s = await store();
    const installed = await s.installModel('tiny', { onProgress: (p) => progress.push(p) });
    expect(installed).toMatchObject({
      id: 'tiny',
      dir: path.join(library, 'models', 'tiny'),
      alreadyInstalled: false,
      dim: 16,
    });
    expect(progress.filter((p) => p.phase === 'verified').map((p) => [p.file, p.verifiedBy])).toEqual([
      ['onnx/vision_model.onnx', 'sha256'],
      [TEXT, 'sha256'],
      ['tokenizer.json', 'sha256'],
    ]);
    // The small settings files come from the catalogue, not the network.
    expect(server.requests.some((r) => r.path.endsWith('config.json'))).toBe(false);
    expect(JSON.parse(await readFile(path.join(installed.dir, 'preprocessor_config.json'), 'utf8'))).toEqual(
      JSON.parse(await readFile(path.join(source, 'preprocessor_config.json'), 'utf8')),
    );
    const last = progress.at(-1)!;
    expect(last.phase).toBe('finishing');
    expect(last.bytes).toBe(last.totalBytes);
    expect(last.totalIsEstimate).toBe(false);
    // The Hub's redirect was followed, and nothing is left of the staging folder.
    expect(server.requests.some((r) => r.path.startsWith('/cdn/'))).toBe(true);
    expect((await readdir(path.join(library, 'models'))).sort()).toEqual(['tiny']);
    expect((await openModelFolder(installed.dir)).io).toMatchObject({
      visionInput: 'pixel_values',
      textOutput: 'text_embeds',
    });
    expect(matchesColours(await colourCheck(installed.dir))).toBe(true);
    expect(await s.installModel('tiny')).toMatchObject({ alreadyInstalled: true });
  });

  it('resumes an interrupted download with a Range request on the next run', async () => {
    const cut = 1_000_000;
    server.misbehave = { cutAfter: new Map([[TEXT, cut]]) };
    const s = await store();
    const first = s.installModel('tiny', { retries: 0 });
    await expect(first).rejects.toBeInstanceOf(ModelDownloadError);
    await expect(first).rejects.toMatchObject({
      failure: 'interrupted',
      message: expect.stringMatching(
        /interrupted after [\d.]+ [kM]B of 3\.\d MB .*run the same command again to resume/,
      ) as unknown,
    });
    // What reached the disk: all the server sent, less whatever the client had buffered when the link dropped.
    const kept = (await stat(path.join(library, 'models', '.installing-tiny', `${TEXT}.partial`))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cut);
    expect(existsSync(path.join(library, 'models', 'tiny'))).toBe(false);
    expect((await s.listModels()).models.find((m) => m.id === 'tiny')).toMatchObject({
      installed: false,
      downloaded: expect.any(Number) as unknown,
    });

    const files: string[] = [];
    const installed = await s.installModel('tiny', { onProgress: (p) => files.push(p.file) });
    expect(server.requests.filter((r) => r.path.endsWith(TEXT)).map((r) => r.range)).toContain(`bytes=${kept}-`);
    // Files finished by the first run are not fetched again.
    expect(server.requests.filter((r) => r.path.endsWith('vision_model.onnx')).length).toBeLessThanOrEqual(2);
    expect(matchesColours(await colourCheck(installed.dir))).toBe(true);
  });

  it('resumes by itself when the connection drops mid-file', async () => {
    server.misbehave = { cutAfter: new Map([[TEXT, 500_000]]) };
    const installed = await (await store()).installModel('tiny', { retries: 2, retryDelayMs: 10 });
    expect(
      server.requests.filter((r) => r.path.endsWith(TEXT)).some((r) => /^bytes=[1-9]\d*-$/.test(r.range ?? '')),
    ).toBe(true);
    // The resumed file is byte for byte the served one, and the model it completes still works.
    expect((await readFile(path.join(installed.dir, TEXT))).equals(await readFile(path.join(source, TEXT)))).toBe(true);
    expect(matchesColours(await colourCheck(installed.dir))).toBe(true);
  });

  it('restarts a file when the server answers a Range request with the whole file', async () => {
    server.misbehave = { cutAfter: new Map([[TEXT, 700_000]]) };
    const s = await store();
    await expect(s.installModel('tiny', { retries: 0 })).rejects.toMatchObject({ failure: 'interrupted' });
    const kept = (await stat(path.join(library, 'models', '.installing-tiny', `${TEXT}.partial`))).size;
    server.misbehave = { ignoreRange: true };
    const installed = await s.installModel('tiny');
    expect(server.requests.filter((r) => r.path.startsWith('/cdn/') && r.path.endsWith(TEXT)).at(-1)?.range).toBe(
      `bytes=${kept}-`,
    );
    expect((await stat(path.join(installed.dir, TEXT))).size).toBe((await stat(path.join(source, TEXT))).size);
    expect(matchesColours(await colourCheck(installed.dir))).toBe(true);
  });

  it('rejects and deletes a file that does not match the catalogue sha256, installing nothing', async () => {
    const id = 'tiny';
    server.misbehave = { corrupt: new Set([TEXT]) };
    const s = await store();
    await expect(s.installModel(id)).rejects.toMatchObject({
      failure: 'corrupt',
      code: 'MODEL_INVALID',
      message: expect.stringMatching(
        /onnx\/text_model\.onnx arrived corrupted \(sha256: expected [0-9a-f]{64}, got [0-9a-f]{64}\) and was deleted; nothing was installed/,
      ) as unknown,
    });
    expect(existsSync(path.join(library, 'models', id))).toBe(false);
    expect(existsSync(path.join(library, 'models', `.installing-${id}`, TEXT))).toBe(false);
    expect(existsSync(path.join(library, 'models', `.installing-${id}`, `${TEXT}.partial`))).toBe(false);
    expect((await s.listModels()).models.find((m) => m.id === id)?.installed).toBe(false);
    // Once the server is right again, the next install fetches that file afresh and succeeds.
    server.misbehave = {};
    expect((await s.installModel(id)).alreadyInstalled).toBe(false);
  });

  it('refuses a file whose size differs from the pin, even where the server publishes no hash', async () => {
    const entry = await testEntry(server, { id: 'tiny', repo: REPO, dir: source });
    const files = (entry.files as { path: string; bytes: number }[]).map((f) =>
      f.path === TEXT ? { ...f, bytes: f.bytes + 1 } : f,
    );
    const catalog = await writeCatalog(path.join(tmp, 'wrong-size.json'), [{ ...entry, files }]);
    server.misbehave = { noHashes: true };
    const s = await ModelStore.open({ libraryDir: library, catalogPath: catalog, dispatcher });
    await expect(s.installModel('tiny')).rejects.toMatchObject({
      failure: 'corrupt',
      message: expect.stringMatching(
        /onnx\/text_model\.onnx arrived corrupted \(size: expected \d+ bytes, got \d+ bytes/,
      ) as unknown,
    });
    expect(existsSync(path.join(library, 'models', '.installing-tiny', `${TEXT}.partial`))).toBe(false);
    expect(existsSync(path.join(library, 'models', 'tiny'))).toBe(false);
  });

  it('refuses a redirect that leaves https, never asking the plain-http address', async () => {
    const https = await startTlsRedirect(server.origin);
    const tls = new Agent({ connect: { rejectUnauthorized: false } });
    try {
      const entry = await testEntry(server, { id: 'tiny', repo: REPO, dir: source });
      const files = (entry.files as { url: string }[]).map((f) => ({
        ...f,
        url: f.url.replace(server.origin, https.origin),
      }));
      const catalog = await writeCatalog(path.join(tmp, 'downgrade.json'), [{ ...entry, files }]);
      const s = await ModelStore.open({ libraryDir: library, catalogPath: catalog, dispatcher: tls });
      await expect(s.installModel('tiny')).rejects.toMatchObject({
        failure: 'http',
        message: expect.stringMatching(
          /^onnx\/vision_model\.onnx: refused a redirect from https:\/\/127\.0\.0\.1:\d+\/\S+ to http:\/\/127\.0\.0\.1:\d+\/\S+, which leaves https$/,
        ) as unknown,
      });
      expect(https.redirected()).toBe(1);
      expect(server.requests).toEqual([]);
    } finally {
      await tls.close();
      await https.close();
    }
  });

  it.each([
    [500, /had a server error \(HTTP 500\) sending onnx\/vision_model\.onnx: try again later/],
    [
      404,
      /onnx\/vision_model\.onnx is not at http:\/\/127\.0\.0\.1:\d+\/test\/tiny-clip\/resolve\/main\/onnx\/vision_model\.onnx \(HTTP 404\): the catalogue entry may be out of date/,
    ],
    [403, /refused onnx\/vision_model\.onnx \(HTTP 403\)/],
  ])('reports HTTP %i clearly', async (status, message) => {
    server.misbehave = { status: new Map([['onnx/vision_model.onnx', status]]) };
    const s = await store();
    await expect(s.installModel('tiny')).rejects.toMatchObject({
      failure: 'http',
      code: 'MODEL_MISSING',
      message: expect.stringMatching(message) as unknown,
    });
    expect((await s.listModels()).models.find((m) => m.id === 'tiny')?.installed).toBe(false);
  });

  it('says what to do when the server cannot be reached', async () => {
    const port = await closedPort();
    const entry = await testEntry(server, { id: 'tiny', repo: REPO, dir: source });
    const files = (entry.files as { url: string }[]).map((f) => ({
      ...f,
      url: f.url.replace(server.origin, `http://127.0.0.1:${port}`),
    }));
    const catalog = await writeCatalog(path.join(tmp, 'offline.json'), [{ ...entry, files }]);
    const s = await ModelStore.open({ libraryDir: library, catalogPath: catalog, dispatcher });
    await expect(s.installModel('tiny')).rejects.toMatchObject({
      failure: 'unreachable',
      message: expect.stringMatching(
        /^could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) to fetch onnx\/vision_model\.onnx: check your connection or proxy \(HTTPS_PROXY\), or download the files yourself and run `shoebox model import <folder>`$/,
      ) as unknown,
    });
  });

  it('stops when asked, and the next run finishes the job', async () => {
    const controller = new AbortController();
    const s = await store();
    const stopped = s.installModel('tiny', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.file === TEXT && p.phase === 'downloading') controller.abort();
      },
    });
    await expect(stopped).rejects.toMatchObject({
      failure: 'cancelled',
      message: expect.stringMatching(/^download stopped.*: run the install again to resume$/) as unknown,
    });
    expect(existsSync(path.join(library, 'models', 'tiny'))).toBe(false);
    expect(existsSync(path.join(library, 'models', '.installing-tiny', 'onnx/vision_model.onnx'))).toBe(true);
    expect((await s.installModel('tiny')).alreadyInstalled).toBe(false);
  });

  it('goes through the proxy HTTP_PROXY names (undici EnvHttpProxyAgent)', async () => {
    const seen: string[] = [];
    const proxy = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const up = http.request(req.url!, { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const saved = process.env;
    const cleared = new Set(['NO_PROXY', 'no_proxy', 'HTTPS_PROXY', 'https_proxy', 'http_proxy']);
    process.env = {
      ...Object.fromEntries(Object.entries(saved).filter(([k]) => !cleared.has(k))),
      HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    };
    try {
      // No dispatcher given: the store makes its own EnvHttpProxyAgent from the environment.
      await (await ModelStore.open({ libraryDir: library, catalogPath })).installModel('tiny');
    } finally {
      process.env = saved;
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
    expect(seen).toContain(`${server.origin}/${REPO}/resolve/main/onnx/vision_model.onnx`);
    expect(seen.some((u) => u.startsWith(`${server.origin}/cdn/`))).toBe(true);
  });

  it('installs an Immich-layout model whose text weights the catalogue pins beside its graph, and it embeds', async () => {
    const s = await store();
    const installed = await s.installModel('tiny-mclip');
    // Every download is named and pinned in the catalogue: no listing is asked for or trusted.
    expect(server.requests.some((r) => r.path.startsWith('/api/models/'))).toBe(false);
    expect(server.requests.some((r) => r.path.endsWith('textual/word_embeddings.weight'))).toBe(true);
    expect((await readdir(path.join(installed.dir, 'onnx'))).sort()).toEqual([
      'text_model.onnx',
      'vision_model.onnx',
      'word_embeddings.weight',
    ]);
    expect(existsSync(path.join(installed.dir, 'visual'))).toBe(false);
    const folder = await openModelFolder(installed.dir);
    expect(folder.io).toEqual({
      visionInput: 'image',
      visionOutput: 'embedding',
      textInput: 'input_ids',
      textOutput: 'embedding',
      textMask: 'attention_mask',
    });
    const check = await colourCheck(installed.dir);
    expect(check.info.maxBatch).toBe(1);
    expect(matchesColours(check)).toBe(true);
  });
});
