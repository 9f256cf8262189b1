// Text in photos in more scripts than the built-in Chinese and Latin recogniser reads: PaddleOCR's
// recognisers for other scripts as downloads (resources/models/text-languages.json), each file
// pinned by commit, size and sha256 like the CLIP catalogue's. A library reads with one
// recogniser at a time (library.json's textLanguage): reading every line with several would
// multiply the cost of the slowest stage of indexing.
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { appFile } from '../app-files.ts';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ShoeboxError } from '../errors.ts';
import { Library } from '../library/library.ts';
import { readSettings } from '../library/settings.ts';
import type { TextRecogniserFiles } from '../ocr/ocr-models.ts';
import type { TextLanguageEntry } from '../../../shared/types.ts';
import { entrySize, fileSchema, readJson } from './catalog.ts';
import { acquireInstallLock } from './install-lock.ts';
import { fetchFiles } from './model-install.ts';
import { proxyAgent } from './download.ts';
import type { InstallOptions } from './model-install.ts';

/** Points Shoebox at another list (tests, a mirror). */
export const TEXT_CATALOG_ENV = 'SHOEBOX_TEXT_CATALOG';

/** The two files a recogniser needs, at these paths in its folder. */
const MODEL = 'rec.onnx';
const DICTIONARY = 'dict.txt';

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits or "-"'),
    name: z.string().min(1),
    version: z.string().min(1),
    /** ISO 639-1 codes of the languages it reads. */
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1),
    files: z.array(fileSchema).length(2),
    /** The dictionary's characters: the model's classes are these, a blank before and a space after. */
    characters: z.number().int().positive(),
    licence: z.string().min(1),
    /** False where the pins were read from the repository but the model was not run end to end. */
    verified: z.boolean(),
  })
  .superRefine((e, ctx) => {
    const paths = e.files.map((f) => f.path).sort();
    if (paths[0] !== DICTIONARY || paths[1] !== MODEL)
      ctx.addIssue({ code: 'custom', message: `files must be ${MODEL} and ${DICTIONARY}` });
  });

const catalogSchema = z
  .object({ version: z.literal(1), note: z.string().optional(), languages: z.array(entrySchema) })
  .superRefine((c, ctx) => {
    const ids = c.languages.map((l) => l.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'an id appears twice' });
    if (ids.includes(BUILT_IN)) ctx.addIssue({ code: 'custom', message: `"${BUILT_IN}" names the built-in reader` });
  });

export type TextLanguage = z.infer<typeof entrySchema>;

/** What library.json holds when no download is chosen: the recogniser that ships with the app. */
export const BUILT_IN = 'built-in';

export function defaultTextCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[TEXT_CATALOG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return appFile('resources', 'models', 'text-languages.json');
}

export async function loadTextLanguages(path: string = defaultTextCatalogPath()): Promise<TextLanguage[]> {
  const parsed = catalogSchema.safeParse(await readJson(path, 'list of text languages'));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new ShoeboxError('MODEL_INVALID', `the list of text languages ${path} is not valid: ${issues}`);
  }
  return parsed.data.languages;
}

/** Where the recognisers live: <library>/models/text/<id>. */
export function textModelsDir(libraryDir: string): string {
  return join(libraryDir, 'models', 'text');
}

/** An installed recogniser's files, or an error that names the file that is missing. */
export async function recogniserFiles(
  libraryDir: string,
  language: TextLanguage,
): Promise<TextRecogniserFiles & { reader: string }> {
  const dir = join(textModelsDir(libraryDir), language.id);
  const files = { model: join(dir, MODEL), dictionary: join(dir, DICTIONARY) };
  for (const path of [files.model, files.dictionary]) {
    if (!(await stat(path).catch(() => null))?.isFile())
      throw new ShoeboxError(
        'MODEL_MISSING',
        `the ${language.name} text recogniser is missing ${path}: install it again with shoebox text-language ${language.id}`,
      );
  }
  return { ...files, characters: language.characters, reader: readerFor(language) };
}

/**
 * Which reader read a photo's text: the built-in detector with this recogniser. A photo read by
 * another is read again.
 */
export function readerFor(language: TextLanguage): string {
  return `pp-ocrv4+${language.id}-${language.files.find((f) => f.path === MODEL)!.sha256.slice(0, 12)}`;
}

export async function isInstalled(libraryDir: string, language: TextLanguage): Promise<boolean> {
  return recogniserFiles(libraryDir, language).then(
    () => true,
    () => false,
  );
}

/**
 * Downloads a recogniser (verified, resumable) into <text models>/.installing-<id>, then renames
 * it into place: a folder under its own name always holds both files, checked.
 */
export async function installTextLanguage(
  libraryDir: string,
  language: TextLanguage,
  opts: InstallOptions & { dispatcher?: Dispatcher } = {},
): Promise<{ dir: string; alreadyInstalled: boolean }> {
  const root = textModelsDir(libraryDir);
  const dir = join(root, language.id);
  if (await isInstalled(libraryDir, language)) return { dir, alreadyInstalled: true };
  await mkdir(root, { recursive: true });
  const release = await acquireInstallLock(join(root, `.installing-${language.id}.lock`), language.id);
  const dispatcher = opts.dispatcher ?? (await proxyAgent());
  try {
    // Another process may have finished it while this one waited for the lock.
    if (await isInstalled(libraryDir, language)) return { dir, alreadyInstalled: true };
    const staging = join(root, `.installing-${language.id}`);
    await fetchFiles(
      language.files,
      staging,
      dispatcher,
      opts,
      `or keep reading text with the recogniser that ships with Shoebox (${BUILT_IN})`,
    );
    // A folder left by a broken install (a file deleted by hand) makes way for the checked one.
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
    return { dir, alreadyInstalled: false };
  } finally {
    if (!opts.dispatcher) await dispatcher.close();
    await release();
  }
}

/** The list entry of this id, or an error that says which ids there are. */
export function findTextLanguage(languages: readonly TextLanguage[], id: string): TextLanguage {
  const found = languages.find((l) => l.id === id);
  if (!found)
    throw new ShoeboxError(
      'NOT_FOUND',
      `no text language "${id}": choose ${[BUILT_IN, ...languages.map((l) => l.id)].join(', ')}`,
    );
  return found;
}

/**
 * The recogniser a library reads with: its choice, or the built-in one (null) where the list no
 * longer offers that choice (a later Shoebox dropped it). The choice stays in library.json, so a
 * list that offers it again brings it back; meanwhile text is read, and faces found, as without
 * a download, rather than every index ending in an error.
 */
export function readingWith(languages: readonly TextLanguage[], chosenId: string | undefined): TextLanguage | null {
  return chosenId === undefined || chosenId === BUILT_IN ? null : (languages.find((l) => l.id === chosenId) ?? null);
}

/**
 * The download `library` reads text with; null for the built-in reader (readingWith). The
 * built-in choice is answered without reading the list.
 */
export async function libraryTextLanguage(library: Library): Promise<TextLanguage | null> {
  const id = library.settings.textLanguage;
  return id === undefined || id === BUILT_IN ? null : readingWith(await loadTextLanguages(), id);
}

/** The recogniser of `library`'s text language (a download); undefined for the built-in one. */
export async function libraryRecogniser(
  library: Library,
): Promise<(TextRecogniserFiles & { reader: string }) | undefined> {
  const language = await libraryTextLanguage(library);
  return language ? recogniserFiles(library.dir, language) : undefined;
}

type ChooseOptions = InstallOptions & { dispatcher?: Dispatcher; catalog?: string };

/** The list's entry for `id`, or null for the built-in reader; an unknown id names the choices. */
async function chosen(id: string, catalog: string | undefined): Promise<TextLanguage | null> {
  return id === BUILT_IN ? null : findTextLanguage(await loadTextLanguages(catalog), id);
}

/** Installs `language` (null: the built-in reader, nothing to fetch) and makes it the library's. */
async function apply(
  library: Library,
  language: TextLanguage | null,
  opts: ChooseOptions,
): Promise<{ language: TextLanguage | null; alreadyInstalled: boolean }> {
  const installed = language ? await installTextLanguage(library.dir, language, opts) : { alreadyInstalled: true };
  await library.update((s) => ({ ...s, textLanguage: language?.id }));
  return { language, alreadyInstalled: installed.alreadyInstalled };
}

/**
 * Makes `id` the library's text language (installing it first) or goes back to the built-in
 * recogniser. Photos read by another recogniser are read again at the next index.
 */
export async function chooseTextLanguage(
  library: Library,
  id: string,
  opts: ChooseOptions = {},
): Promise<{ language: TextLanguage | null; alreadyInstalled: boolean }> {
  return apply(library, await chosen(id, opts.catalog), opts);
}

/** The same, for a library no process holds open (the CLI): taken for writing for the change. */
export async function chooseTextLanguageIn(
  libraryDir: string,
  id: string,
  opts: ChooseOptions = {},
): Promise<{ language: TextLanguage | null; alreadyInstalled: boolean }> {
  // The id is checked before the library is taken (or created).
  const language = await chosen(id, opts.catalog);
  const library = await Library.open(libraryDir, { write: true, command: 'shoebox text-language' });
  try {
    return await apply(library, language, opts);
  } finally {
    await library.close();
  }
}

/** The list's entry for `id`, to remove; the built-in reader and an unknown id are refused. */
async function removable(id: string, catalog: string | undefined): Promise<TextLanguage> {
  if (id === BUILT_IN) throw new ShoeboxError('BAD_REQUEST', 'the built-in recogniser ships with Shoebox and stays');
  return findTextLanguage(await loadTextLanguages(catalog), id);
}

/** Deletes `language`'s download unless the library reads with it. */
async function removeFrom(
  library: Library,
  language: TextLanguage,
): Promise<{ language: TextLanguage; removed: boolean }> {
  if (library.settings.textLanguage === language.id)
    throw new ShoeboxError(
      'BAD_REQUEST',
      `${language.name} (${language.id}) reads this library's text: choose another first (shoebox text-language ${BUILT_IN})`,
    );
  const dir = join(textModelsDir(library.dir), language.id);
  const removed = (await stat(dir).catch(() => null)) !== null;
  await rm(dir, { recursive: true, force: true });
  return { language, removed };
}

/**
 * Deletes a downloaded recogniser. The library's own choice is refused: it would leave the next
 * index without its reader.
 */
export async function removeTextLanguage(
  library: Library,
  id: string,
  catalog?: string,
): Promise<{ language: TextLanguage; removed: boolean }> {
  return removeFrom(library, await removable(id, catalog));
}

/** The same, for a library no process holds open (the CLI): taken for writing, so no app chooses it meanwhile. */
export async function removeTextLanguageIn(
  libraryDir: string,
  id: string,
  catalog?: string,
): Promise<{ language: TextLanguage; removed: boolean }> {
  // The id is checked before the library is taken (or created).
  const language = await removable(id, catalog);
  const library = await Library.open(libraryDir, { write: true, command: 'shoebox text-language remove' });
  try {
    return await removeFrom(library, language);
  } finally {
    await library.close();
  }
}

/** The built-in reader and every text language, installed or not, and the library's choice. */
export async function listTextLanguages(
  libraryDir: string,
  catalog?: string,
  /** The library's choice, where it is open already; else read from library.json. */
  chosenId?: string,
): Promise<TextLanguageEntry[]> {
  const languages = await loadTextLanguages(catalog);
  const chosen = readingWith(languages, chosenId ?? (await readSettings(libraryDir))?.textLanguage)?.id ?? BUILT_IN;
  const builtIn: TextLanguageEntry = {
    id: BUILT_IN,
    name: 'Chinese and Latin script (ships with Shoebox)',
    version: 'PP-OCRv4 mobile',
    languages: ['zh', 'en'],
    bytes: 0,
    installed: true,
    inUse: chosen === BUILT_IN,
    verified: true,
  };
  const others = await Promise.all(
    languages.map(async (l) => ({
      id: l.id,
      name: l.name,
      version: l.version,
      languages: l.languages,
      bytes: entrySize(l),
      installed: await isInstalled(libraryDir, l),
      inUse: chosen === l.id,
      verified: l.verified,
    })),
  );
  return [builtIn, ...others];
}
