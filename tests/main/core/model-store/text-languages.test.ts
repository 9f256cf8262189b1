// Text languages: the bundled list of other scripts' recognisers (every file pinned), one of its
// dictionaries checked against its pins byte for byte, and an install from a real HTTP server on
// 127.0.0.1 through a real engine. The real recognisers cannot be downloaded here, so the server
// serves a stand-in, named as such: the built-in PP-OCRv4 recogniser with a dictionary of its own
// (digits 4 and 7 swapped, and the empty first line some exports have), so a photo read with the
// download reads differently from one read with the built-in recogniser.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStatus } from '#main/cli/format.ts';
import { Engine } from '#core/engine/engine.ts';
import { TextReader } from '#core/embed/text-reader.ts';
import { readSettings } from '#core/library/settings.ts';
import {
  BUILT_IN,
  chooseTextLanguageIn,
  listTextLanguages,
  loadTextLanguages,
  removeTextLanguageIn,
  TEXT_CATALOG_ENV,
  textModelsDir,
} from '#core/model-store/text-languages.ts';
import { ocrModelFiles, readDictionary } from '#core/ocr/ocr-models.ts';
import { startModelServer } from '#support/model-server.ts';
import type { ModelServer } from '#support/model-server.ts';
import { makeTestModel } from '#support/test-model.ts';
import { standInEntry, writeStandIn } from '#support/text-language.ts';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const FIXTURE = new URL('../../../fixtures/ocr/ppocrv5_latin_dict.txt', import.meta.url);

describe('the bundled list of text languages', () => {
  it('pins every file to a commit, a size and a sha256', async () => {
    const languages = await loadTextLanguages();
    expect(languages.map((l) => l.id)).toEqual(expect.arrayContaining(['latin', 'cyrillic', 'arabic', 'korean']));
    for (const l of languages) {
      expect(l.licence).toBe('Apache-2.0');
      for (const f of l.files) {
        expect(f.url).toMatch(/^https:\/\/(media|raw)\.githubusercontent\.com\/.*\/[0-9a-f]{40}\//);
        expect(f.bytes).toBeGreaterThan(0);
      }
    }
  });

  it('holds the Latin dictionary byte for byte, and it reads as its model counts', async () => {
    const latin = (await loadTextLanguages()).find((l) => l.id === 'latin')!;
    const pin = latin.files.find((f) => f.path === 'dict.txt')!;
    const bytes = await readFile(FIXTURE);
    expect(bytes.length).toBe(pin.bytes);
    expect(sha256(bytes)).toBe(pin.sha256);
    // The empty first line is no character; the model's classes are a blank, these and a space.
    const chars = await readDictionary(FIXTURE.pathname, latin.characters);
    expect(chars).toHaveLength(latin.characters + 1);
    expect(chars.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(chars).toEqual(expect.arrayContaining(['é', 'ß', 'ł', '\u2126']));
    await expect(readDictionary(FIXTURE.pathname, latin.characters + 1)).rejects.toThrow(
      /ppocrv5_latin_dict\.txt holds 836 characters where its model reads 837/,
    );
  });

  it('refuses a list whose file names a branch rather than a commit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoebox-textlist-'));
    try {
      const list = JSON.parse(
        await readFile(new URL('../../../../resources/models/text-languages.json', import.meta.url), 'utf8'),
      ) as {
        languages: { files: { url: string }[] }[];
      };
      list.languages[0]!.files[0]!.url = list.languages[0]!.files[0]!.url.replace(/[0-9a-f]{40}/, 'main');
      await writeFile(join(dir, 'list.json'), JSON.stringify(list));
      await expect(loadTextLanguages(join(dir, 'list.json'))).rejects.toThrow(/must name a commit/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('choosing a text language', () => {
  let tmp = '';
  let server: ModelServer;
  let dispatcher: Agent;
  let catalog = '';
  let library = '';
  let modelDir = '';
  const REPO = 'test/standin-rec';

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-textlang-'));
    const served = join(tmp, 'served');
    await mkdir(served);
    const characters = await writeStandIn(served, true);
    server = await startModelServer({ [REPO]: served });
    dispatcher = new Agent();
    const pinned = await standInEntry(server, REPO, served, characters, {
      id: 'standin',
      name: 'Stand-in (the built-in recogniser, served here)',
    });
    const [model, dict] = pinned.files as Record<string, unknown>[];
    catalog = join(tmp, 'text-languages.json');
    await writeFile(
      catalog,
      JSON.stringify({
        version: 1,
        languages: [
          pinned,
          // A file gone from where the list says, and one served with other bytes than its pins.
          { ...pinned, id: 'gone', files: [{ ...model, url: server.url(REPO, 'moved.onnx') }, dict] },
          { ...pinned, id: 'broken', files: [{ ...model, sha256: '0'.repeat(64) }, dict] },
        ],
      }),
    );
    process.env[TEXT_CATALOG_ENV] = catalog;
    const photos = join(tmp, 'photos');
    await mkdir(photos);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><rect width="900" height="600" fill="#f6f3ec"/><text x="80" y="200" font-family="DejaVu Sans" font-size="64" font-weight="bold">INVOICE 4711</text></svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toFile(join(photos, 'receipt.jpg'));
    modelDir = await makeTestModel(join(tmp, 'model'));
    library = join(tmp, 'library');
    const engine = await Engine.open({ libraryDir: library, modelDir, threads: 2 }, { write: true, command: 'test' });
    try {
      await engine.addRoot(photos);
      await engine.index();
    } finally {
      await engine.close();
    }
  }, 120_000);
  afterAll(async () => {
    Reflect.deleteProperty(process.env, TEXT_CATALOG_ENV);
    await dispatcher?.close();
    await server?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function withEngine<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
    const engine = await Engine.open({ libraryDir: library, modelDir, threads: 2 }, { write: true, command: 'test' });
    try {
      return await fn(engine);
    } finally {
      await engine.close();
    }
  }

  it('refuses a download that does not match its pins, and keeps the library as it was', async () => {
    await expect(chooseTextLanguageIn(library, 'broken', { dispatcher, catalog })).rejects.toThrow(/sha256/);
    expect((await readSettings(library))?.textLanguage).toBeUndefined();
    await expect(chooseTextLanguageIn(library, 'klingon', { catalog })).rejects.toThrow(/no text language "klingon"/);
    // A file gone from its address: the advice is the built-in reader, not a CLIP model's import.
    const gone = chooseTextLanguageIn(library, 'gone', { dispatcher, catalog });
    await expect(gone).rejects.toThrow(/HTTP 404.*keep reading text with the recogniser that ships with Shoebox/);
    await expect(gone).rejects.not.toThrow(/model import/);
    expect((await readSettings(library))?.textLanguage).toBeUndefined();
  });

  it('downloads and checks the recogniser, and the next index reads every photo with it', async () => {
    const before = await withEngine(async (e) => (await e.query('invoice 4711')).hits);
    expect(before[0]?.matched).toContain('text');

    const chosen = await chooseTextLanguageIn(library, 'standin', { dispatcher, catalog });
    expect(chosen).toMatchObject({ language: { id: 'standin' }, alreadyInstalled: false });
    const listed = await listTextLanguages(library, catalog);
    expect(listed.find((l) => l.inUse)?.id).toBe('standin');
    expect(listed.find((l) => l.id === 'standin')?.installed).toBe(true);

    // Read again with the download's dictionary, in which 4 and 7 trade places.
    await withEngine(async (e) => {
      const status = await e.status();
      expect(status.textLanguage).toBe('standin');
      expect(formatStatus(status)).toContain('text in photos: read as standin');
      await e.index();
      const [hit] = (await e.query('invoice 7411')).hits;
      expect(hit?.matched).toContain('text');
      expect((await e.readText(hit!.path)).map((l) => l.text)).toEqual(['INVOICE7411']);
      expect((await e.query('invoice 4711')).hits.some((h) => h.matched?.includes('text'))).toBe(false);
    });

    // Back to the built-in recogniser: read again, as before.
    await chooseTextLanguageIn(library, BUILT_IN, { catalog });
    await withEngine(async (e) => {
      expect(formatStatus(await e.status())).not.toContain('text in photos');
      await e.index();
      expect((await e.query('invoice 4711')).hits[0]?.matched).toContain('text');
    });
  }, 120_000);

  it('reads with the built-in recogniser while a later list no longer offers the chosen one', async () => {
    await chooseTextLanguageIn(library, 'standin', { dispatcher, catalog });
    await withEngine(async (e) => {
      await e.index();
      expect((await e.query('invoice 7411')).hits[0]?.matched).toContain('text');
    });
    // A Shoebox whose list dropped "standin": indexing goes on with the built-in reader (the text
    // is read again with it, and faces are looked for), and everything says so.
    const later = join(tmp, 'later-text-languages.json');
    const { languages } = JSON.parse(await readFile(catalog, 'utf8')) as { languages: { id: string }[] };
    await writeFile(later, JSON.stringify({ version: 1, languages: languages.filter((l) => l.id !== 'standin') }));
    process.env[TEXT_CATALOG_ENV] = later;
    try {
      await withEngine(async (e) => {
        expect((await e.status()).textLanguage).toBe(BUILT_IN);
        expect((await e.textLanguages()).find((l) => l.inUse)?.id).toBe(BUILT_IN);
        const summary = await e.index();
        expect(summary.interrupted).toBe(false);
        expect((await e.query('invoice 4711')).hits[0]?.matched).toContain('text');
        const [hit] = (await e.query('invoice 4711')).hits;
        expect((await e.readText(hit!.path)).map((l) => l.text)).toEqual(['INVOICE4711']);
      });
      // The choice is kept: a list that offers it again brings it back.
      expect((await readSettings(library))?.textLanguage).toBe('standin');
    } finally {
      process.env[TEXT_CATALOG_ENV] = catalog;
    }
    await withEngine(async (e) => {
      expect((await e.status()).textLanguage).toBe('standin');
      await e.index();
      expect((await e.query('invoice 7411')).hits[0]?.matched).toContain('text');
    });
    await chooseTextLanguageIn(library, BUILT_IN, { catalog });
  }, 120_000);

  it('deletes a downloaded recogniser, but not the one the library reads with', async () => {
    const folder = join(textModelsDir(library), 'standin');
    await chooseTextLanguageIn(library, 'standin', { dispatcher, catalog });
    await expect(removeTextLanguageIn(library, 'standin', catalog)).rejects.toThrow(
      /reads this library's text: choose another first \(shoebox text-language built-in\)/,
    );
    expect((await stat(folder)).isDirectory()).toBe(true);
    await chooseTextLanguageIn(library, BUILT_IN, { catalog });
    expect(await removeTextLanguageIn(library, 'standin', catalog)).toMatchObject({
      language: { id: 'standin' },
      removed: true,
    });
    await expect(stat(folder)).rejects.toThrow(/ENOENT/);
    expect((await listTextLanguages(library, catalog)).find((l) => l.id === 'standin')?.installed).toBe(false);
    expect(await removeTextLanguageIn(library, 'standin', catalog)).toMatchObject({ removed: false });
    await expect(removeTextLanguageIn(library, BUILT_IN, catalog)).rejects.toThrow(/ships with Shoebox/);
    await expect(removeTextLanguageIn(library, 'klingon', catalog)).rejects.toThrow(/no text language "klingon"/);
  }, 60_000);

  it('names the dictionary when it does not fit its recogniser', async () => {
    const files = ocrModelFiles();
    await expect(
      TextReader.open(1, { model: files.recognition, dictionary: files.dictionary, characters: 10 }),
    ).rejects.toThrow(/ppocr_keys_v1\.txt holds \d+ characters where its model reads 10/);
  });
});
