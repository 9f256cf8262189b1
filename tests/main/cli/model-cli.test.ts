// `shoebox model …` as a user runs it: the real CLI process, a catalogue pointing at a local
// server (SHOEBOX_MODEL_CATALOG), then index and search with the model it installed.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatModelList, installReporter } from '#main/cli/model-commands.ts';
import type { InstallProgress } from '#core/model-store/model-store.ts';
import { jsonOutput, runCli } from '#support/cli.ts';
import type { CliResult } from '#support/cli.ts';
import { makeImmichTestModel } from '#support/immich-model.ts';
import { testEntry, writeCatalog } from '#support/model-catalog.ts';
import { closedPort, startModelServer } from '#support/model-server.ts';
import type { ModelServer } from '#support/model-server.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

interface Listing {
  current: string | null;
  models: {
    id: string;
    installed: boolean;
    inUse: boolean;
    source: string;
    isDefault: boolean;
    bytes: number;
    approximate: boolean;
  }[];
}

describe('shoebox model', () => {
  let tmp: string;
  let library: string;
  let server: ModelServer;
  let env: Record<string, string>;

  const sb = (...args: string[]): Promise<CliResult> => runCli(['--library', library, ...args], { env });

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'shoebox-model-cli-'));
    library = path.join(tmp, 'library');
    const source = await makeTestModel(path.join(tmp, 'source'));
    server = await startModelServer({ 'test/tiny-clip': source });
    const port = await closedPort();
    const offline = await testEntry(server, { id: 'unreachable', repo: 'test/tiny-clip', dir: source });
    offline.files = (offline.files as { url: string }[]).map((f) => ({
      ...f,
      url: f.url.replace(server.origin, `http://127.0.0.1:${port}`),
    }));
    const catalog = await writeCatalog(path.join(tmp, 'catalog.json'), [
      await testEntry(server, { id: 'tiny', repo: 'test/tiny-clip', dir: source }),
      offline,
    ]);
    env = { SHOEBOX_MODEL_CATALOG: catalog, HTTPS_PROXY: '', HTTP_PROXY: '', NO_PROXY: '127.0.0.1,localhost' };
  });
  afterAll(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('lists the catalogue before anything is installed', async () => {
    const list = jsonOutput(await sb('model', 'list', '--json')) as Listing;
    expect(list.current).toBeNull();
    expect(list.models.map((m) => [m.id, m.installed, m.inUse, m.isDefault])).toEqual([
      ['tiny', false, false, true],
      ['unreachable', false, false, false],
    ]);
    // Every catalogue download is pinned to its exact size.
    expect(list.models[0]).toMatchObject({ source: 'catalog', approximate: false });
  });

  it('installs with plain progress lines when not on a terminal, and the library uses it', async () => {
    const r = await sb('model', 'install', 'tiny');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^installing Test model tiny \(tiny\) into .*models$/m);
    expect(r.stderr).toContain('checking the model…');
    expect(r.stderr).not.toContain('\r');
    expect(r.stdout).toBe(
      `installed tiny in ${path.join(library, 'models', 'tiny')}\ntiny is now the library's model: run \`shoebox index\` to index your photos with it\n`,
    );
    const list = await sb('model', 'list');
    expect(list.stdout).toMatch(/^\* tiny \(default\) +\d+\.\d MB {2}installed, in use$/m);
    expect(list.stdout).toMatch(/^ {2}unreachable +\d+\.\d MB {2}not installed$/m);
  });

  it('indexes and searches with the installed model, no --model needed', async () => {
    const photos = path.join(tmp, 'photos');
    await mkdir(photos, { recursive: true });
    for (const c of ['red', 'blue', 'green']) await writePhoto(path.join(photos, `${c}.jpg`), solid(COLOURS[c]!));
    expect((await sb('add', photos)).code).toBe(0);
    const index = await sb('index', '--json');
    expect(jsonOutput(index)).toMatchObject({ indexed: 3, failed: 0 });
    const hits = jsonOutput(await sb('search', 'red', '--json')) as { path: string }[];
    expect(path.basename(hits[0]!.path)).toBe('red.jpg');
  });

  it('imports an Immich folder, switches to it, and will not remove the model in use', async () => {
    const immich = await makeImmichTestModel(path.join(tmp, 'ViT-B-32__openai'));
    const r = await sb('model', 'import', immich, 'immich-b32');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`imported immich-b32 into ${path.join(library, 'models', 'immich-b32')}`);
    expect(r.stdout).toContain('to switch: shoebox model use immich-b32');
    expect((await sb('model', 'use', 'immich-b32')).stdout).toMatch(/^now using immich-b32 .*run `shoebox index`/);
    const removeInUse = await sb('model', 'remove', 'immich-b32');
    expect(removeInUse.code).toBe(1);
    expect(removeInUse.stderr).toContain('"immich-b32" is the model this library uses: switch to another first');
  });

  it('removes a model with its vectors and tag scores, leaving the model in use answering', async () => {
    expect(jsonOutput(await sb('index', '--json'))).toMatchObject({ indexed: 3, failed: 0 });
    const tables = async (): Promise<string[]> =>
      (await readdir(path.join(library, 'db'))).filter((f) => f.startsWith('photos__')).sort();
    expect(await tables()).toHaveLength(2);
    const before = await tables();
    const filesBefore = await readdir(path.join(library, 'db'));
    const r = await sb('model', 'remove', 'tiny', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOutput(r)).toEqual({ removed: 'tiny', vectorsRemoved: true });
    const after = await tables();
    expect(after).toHaveLength(1);
    expect(before).toContain(after[0]);
    // The removed model's tag scores went with its vectors; the remaining model's stayed.
    const gone = before
      .find((t) => t !== after[0])!
      .replace(/^photos__/, '')
      .replace(/\.lance$/, '');
    const kept = after[0]!.replace(/^photos__/, '').replace(/\.lance$/, '');
    const rest = await readdir(path.join(library, 'db'));
    expect(filesBefore.filter((f) => f.includes(gone)).length).toBeGreaterThanOrEqual(2);
    expect(rest.filter((f) => f.includes(gone))).toEqual([]);
    expect(rest.filter((f) => f.includes(kept)).length).toBeGreaterThanOrEqual(2);
    const list = jsonOutput(await sb('model', 'list', '--json')) as Listing;
    expect(list.models.find((m) => m.id === 'tiny')?.installed).toBe(false);
    const hits = jsonOutput(await sb('search', 'red', '--json')) as { path: string }[];
    expect(path.basename(hits[0]!.path)).toBe('red.jpg');
  });

  it('reports an unreachable server with what to do, and exits 1', async () => {
    const r = await sb('model', 'install', 'unreachable');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /shoebox model: could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\) to fetch onnx\/vision_model\.onnx: check your connection or proxy \(HTTPS_PROXY\), or download the files yourself and run `shoebox model import <folder>` \[MODEL_MISSING\]/,
    );
  });

  it('treats a wrong subcommand as a usage error', async () => {
    const r = await sb('model', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown model command "frobnicate"');
  });
});

describe('model command output', () => {
  const p = (over: Partial<InstallProgress>): InstallProgress => ({
    phase: 'downloading',
    file: 'onnx/vision_model.onnx',
    fileIndex: 0,
    fileCount: 6,
    fileBytes: 0,
    fileTotal: null,
    bytes: 120_000_000,
    totalBytes: 608_000_000,
    totalIsEstimate: true,
    rate: 12_300_000,
    etaSeconds: 40,
    ...over,
  });
  const fakeStream = (isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } => {
    let text = '';
    const stream = {
      isTTY,
      columns: 120,
      write: (s: string) => {
        text += s;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    return { stream, text: () => text };
  };

  it('draws a bar with bytes, rate and ETA on a terminal', () => {
    const { stream, text } = fakeStream(true);
    const r = installReporter(stream);
    r.update(p({}));
    r.update(p({ phase: 'resuming', reason: 'the download of onnx/text_model.onnx was interrupted after 1.0 MB' }));
    r.end();
    expect(text()).toContain(
      '\r\x1b[2K[#####...................] 120.0 MB / ~608.0 MB · 12.3 MB/s · ETA 40s · onnx/vision_model.onnx',
    );
    expect(text()).toContain('interrupted after 1.0 MB; resuming…\n');
  });

  it('writes plain lines otherwise: large verified files and resumes', () => {
    const { stream, text } = fakeStream(false);
    const r = installReporter(stream);
    r.update(p({}));
    r.update(p({ phase: 'verified', fileBytes: 351_000_000, verifiedBy: 'sha256' }));
    r.update(p({ phase: 'verified', file: 'tokenizer.json', fileBytes: 4_000, verifiedBy: 'sha256' }));
    expect(text()).toBe('fetched onnx/vision_model.onnx (351.0 MB, checked by sha256)\n');
  });

  it('marks the model in use and an interrupted install in the list', () => {
    const base = {
      name: 'N',
      source: 'catalog' as const,
      isDefault: false,
      dir: null,
      bytes: 1_000_000,
      approximate: true,
      dim: 512,
      contextLength: 77,
      licence: 'MIT',
      languages: ['en'],
      note: null,
      verified: false,
    };
    const text = formatModelList({
      library: '/l',
      modelsDir: '/l/models',
      current: '/l/models/a',
      models: [
        { ...base, id: 'a', installed: true, inUse: true, downloaded: 0, isDefault: true },
        { ...base, id: 'b', installed: false, inUse: false, downloaded: 250_000 },
      ],
    });
    expect(text).toContain('* a (default)     ~1.0 MB  installed, in use\n    N · 512-d · en · MIT\n');
    expect(text).toContain('  b               ~1.0 MB  interrupted (250.0 kB fetched): install again to resume\n');
  });
});
