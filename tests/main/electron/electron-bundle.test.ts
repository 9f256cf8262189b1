// The main-process bundle as `npm run build:electron` makes it: what is bundled, what is left to
// node_modules, and whether the inference process it starts is really there and really runs.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { DecodeReply, DecodeRequest } from '#core/decode/decode-protocol.ts';
import type { EmbedReply, InferenceHello, InferenceInit, ParentMessage } from '#core/embed/embed-protocol.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { makeTestModel } from '#support/test-model.ts';
import { MAIN_EXTERNALS } from '../../../vite.electron.config.ts';
import { ROOT, buildElectron } from './build-electron.ts';
import type { Built } from './build-electron.ts';

const PARENT_PORT_STAND_IN = fileURLToPath(new URL('../../support/electron-parent-port.ts', import.meta.url));

/** Whether a package builds or ships a native addon (a binding.gyp, or a .node file anywhere in it). */
function hasNativeCode(dir: string): boolean {
  const entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  return entries.some((e) => e.isFile() && (e.name === 'binding.gyp' || e.name.endsWith('.node')));
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the process exited (${code}) before it answered`)));
  });
}

/**
 * The module started as a Node child (the CLI and `shoebox serve`), then behind the stand-in for
 * Electron's utility-process port, which the app uses; each started when the loop reaches it.
 */
function* bothWays(moduleUrl: URL): Generator<ChildProcess> {
  for (const execArgv of [[], ['--import', PARENT_PORT_STAND_IN]])
    yield fork(fileURLToPath(moduleUrl), [], {
      serialization: 'advanced',
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
}

describe('the Electron main bundle', () => {
  let built: Built;
  let files: Map<string, string>;
  beforeAll(async () => {
    built = await buildElectron('production');
    const names = (await readdir(built.dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.js'))
      .map((e) => e.name);
    files = new Map(
      await Promise.all(names.map(async (n) => [n, await readFile(join(built.dir, n), 'utf8')] as const)),
    );
  });
  afterAll(async () => {
    await built.remove();
  });

  /** The URL the chunk that starts `./name` resolves it to, and that the file is there. */
  const entryBeside = (name: string): URL => {
    const holder = [...files.entries()].find(([file, code]) => file !== `${name}.js` && code.includes(`./${name}`));
    expect(holder, `a chunk that starts ./${name}`).toBeDefined();
    const url = new URL(`./${name}${extname(holder![0])}`, pathToFileURL(join(built.dir, holder![0])));
    expect(existsSync(url)).toBe(true);
    return url;
  };

  it('emits main.js and the worker entries side by side, chunks in the same folder', async () => {
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'main.js',
        'inference-process.js',
        'decode-process.js',
        'score-worker.js',
        'heif-worker.js',
      ]),
    );
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

  it("finds the app's own files from where the bundle is, not by a fixed path from the sources", () => {
    // A `new URL('../../../../resources/…', import.meta.url)` written for app/main/core/… points
    // outside the project from dist/electron/ (app-files.ts finds them instead).
    for (const [name, code] of files) expect(code, name).not.toMatch(/new URL\(["'`]\.\.\//);
  });

  it('leaves every dependency with native code of its own to node_modules', async () => {
    // Bundled, a native module looks for its .node file beside the bundle and fails at its first
    // use: LibRaw was bundled, and a RAW with no embedded preview could not be decoded.
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const native = Object.keys(pkg.dependencies).filter((name) => hasNativeCode(join(ROOT, 'node_modules', name)));
    expect(native).toContain('lightdrift-libraw');
    for (const name of native) expect(MAIN_EXTERNALS, name).toContain(name);
  });

  it('puts the tagging fallback worker where the bundled score pool looks for it', () => {
    entryBeside('score-worker');
  });

  it('puts the HEIC decoder thread where the bundled decoder looks for it', () => {
    entryBeside('heif-worker');
  });

  it('puts the inference process where the bundled embedder looks for it, and it embeds', async () => {
    // The embedder derives the process's module from its own module URL; find the chunk that holds it.
    const moduleUrl = entryBeside('inference-process');

    const tmp = await mkdtemp(join(tmpdir(), 'shoebox-bundle-'));
    const model = await openModelFolder(await makeTestModel(tmp, { imageSize: 32, dim: 20, contextLength: 24 }));
    const init: InferenceInit = {
      visionPath: model.visionPath,
      textPath: model.textPath,
      tokenizerJson: model.tokenizerJson,
      tokenizerConfig: model.tokenizerConfig,
      config: model.config,
      preprocess: model.preprocess,
      providers: ['cpu'],
      threads: 1,
    };
    try {
      for (const child of bothWays(moduleUrl)) {
        try {
          child.send({ type: 'init', init } satisfies ParentMessage);
          expect(await nextMessage<InferenceHello>(child)).toMatchObject({
            type: 'hello',
            opened: { info: { dim: 20, contextLength: 24 } },
          });
          const reply = nextMessage<EmbedReply>(child);
          child.send({ type: 'texts', id: 1, texts: ['red', 'a photo of something blue'] } satisfies ParentMessage);
          const answer = await reply;
          expect(answer.type).toBe('result');
          if (answer.type === 'result') expect(answer.vectors).toHaveLength(40);
        } finally {
          child.kill();
        }
      }
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('puts the decode process where the bundled decoder looks for it, and it decodes', async () => {
    const moduleUrl = entryBeside('decode-process');
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#1e3cdc' } })
      .jpeg()
      .toBuffer();
    for (const child of bothWays(moduleUrl)) {
      try {
        const reply = nextMessage<DecodeReply>(child);
        child.send({
          id: 7,
          op: 'read',
          bytes: new Uint8Array(jpeg),
          opts: { maxEdge: 32 },
        } satisfies DecodeRequest);
        const answer = await reply;
        expect(answer).toMatchObject({ id: 7, ok: true, value: { width: 32, height: 24 } });
      } finally {
        child.kill();
      }
    }
  });
});
