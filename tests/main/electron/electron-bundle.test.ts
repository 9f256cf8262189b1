// The main-process bundle as `npm run build:electron` makes it: what is bundled, what is left to
// node_modules, and whether the embedding worker it starts is really there and really runs.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbedReply, EmbedWorkerInit, WorkerHello } from '../../../app/main/core/embed/embed-protocol.ts';
import { openModelFolder } from '../../../app/main/core/model/model-folder.ts';
import { makeTestModel } from '../../support/test-model.ts';
import { MAIN_EXTERNALS } from '../../../vite.electron.config.ts';
import { buildElectron } from './build-electron.ts';
import type { Built } from './build-electron.ts';

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('the Electron main bundle', () => {
  let built: Built;
  let files: Map<string, string>;
  beforeAll(async () => {
    built = await buildElectron('production');
    const names = (await readdir(built.dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => e.name);
    files = new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(built.dir, n), 'utf8')] as const)));
  });
  afterAll(async () => {
    await built.remove();
  });

  it('emits main.js and the worker entries side by side, chunks in the same folder', async () => {
    expect([...files.keys()]).toEqual(expect.arrayContaining(['main.js', 'embed-worker.js', 'score-worker.js']));
    expect((await readdir(built.dir, { withFileTypes: true })).filter((e) => e.isDirectory())).toEqual([]);
    expect(files.get('main.js')).toMatch(/^import .* from "electron";$/m);
  });

  it('leaves electron and the native and heavy packages to node_modules, bundles the rest', () => {
    const all = [...files.values()].join('\n');
    for (const name of MAIN_EXTERNALS) expect(all, name).not.toContain(`// node_modules/${name}/`);
    expect(all).toMatch(/from "onnxruntime-node"/);
    expect(all).toMatch(/from "sharp"/);
    expect(all).toMatch(/from "@lancedb\/lancedb"/);
    expect(all).not.toMatch(/from "zod"/);
    expect(all).not.toMatch(/\brequire\(/);
  });

  it('puts the tagging fallback worker where the bundled score pool looks for it', () => {
    const holder = [...files.entries()].find(([name, code]) => name !== 'score-worker.js' && code.includes('./score-worker'));
    expect(holder).toBeDefined();
    expect(existsSync(new URL(`./score-worker${extname(holder![0])}`, pathToFileURL(join(built.dir, holder![0]))))).toBe(true);
  });

  it('starts a worker the bundled embedder can find, and it embeds', async () => {
    // The embedder derives its worker from its own module URL; find the chunk that holds it.
    const holder = [...files.entries()].find(([name, code]) => name !== 'embed-worker.js' && /new Worker\(/.test(code) && code.includes('./embed-worker'));
    expect(holder).toBeDefined();
    const holderUrl = pathToFileURL(join(built.dir, holder![0]));
    const workerUrl = new URL(`./embed-worker${extname(holder![0])}`, holderUrl);
    expect(existsSync(workerUrl)).toBe(true);

    const tmp = await mkdtemp(join(tmpdir(), 'shoebox-bundle-'));
    const model = await openModelFolder(await makeTestModel(tmp, { imageSize: 32, dim: 20, contextLength: 24 }));
    const init: EmbedWorkerInit = {
      visionPath: model.visionPath, textPath: model.textPath, tokenizerJson: model.tokenizerJson, tokenizerConfig: model.tokenizerConfig,
      config: model.config, preprocess: model.preprocess, providers: ['cpu'], threads: 1,
    };
    const worker = new Worker(workerUrl, { workerData: init });
    try {
      const hello = await nextMessage<WorkerHello>(worker);
      expect(hello).toMatchObject({ ok: true, info: { dim: 20, contextLength: 24 } });
      const reply = nextMessage<EmbedReply>(worker);
      worker.postMessage({ id: 1, kind: 'texts', texts: ['red', 'a photo of something blue'] });
      const answer = await reply;
      expect(answer.ok).toBe(true);
      if (answer.ok) expect(answer.vectors).toHaveLength(40);
    } finally {
      await worker.terminate();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
