// The library's models: <library>/models/<id>/, each a folder openModelFolder reads. Catalogue
// models are downloaded into it, others imported; `useModel` makes one the library's model
// (library.json's modelDir, which the engine opens).
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { ShoeboxError } from '../errors.ts';
import { Library } from '../library/library.ts';
import { readSettings } from '../library/settings.ts';
import { openModelFolder } from '../model/model-folder.ts';
import { defaultCatalogPath, defaultModelId, entrySize, loadCatalog } from './catalog.ts';
import type { Catalog, CatalogEntry } from './catalog.ts';
import { lockHolder } from './install-lock.ts';
import type { InstalledModel } from './model-finalize.ts';
import { importFolder } from './model-import.ts';
import type { ImportOptions } from './model-import.ts';
import { installEntry, lockPath, stagingDir } from './model-install.ts';
import { proxyAgent } from './download.ts';
import type { InstallOptions } from './model-install.ts';
import { readManifest } from '../model/model-manifest.ts';

export type { InstalledModel } from './model-finalize.ts';
export type { InstallOptions, InstallProgress } from './model-install.ts';

/** The bundled catalogue's default (a test holds the two together). */
export const DEFAULT_MODEL_ID = 'vit-b-32-laion2b';

/** What to tell someone who has no model yet (for the engine's MODEL_MISSING message). */
export const MODEL_SETUP_HINT = `run \`shoebox model install ${DEFAULT_MODEL_ID}\` to download the default model (about 600 MB), or \`shoebox model import <folder>\` / --model DIR for a model folder you already have`;

/** The system's language as a BCP 47-ish tag: the POSIX locale variables first, then the runtime's. */
export function systemLanguage(env: NodeJS.ProcessEnv = process.env): string {
  for (const key of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const v = env[key];
    if (v !== undefined && v !== '' && v !== 'C' && v !== 'POSIX' && !v.startsWith('C.')) return v;
  }
  return Intl.DateTimeFormat().resolvedOptions().locale;
}

export interface ModelStoreOptions {
  libraryDir: string;
  /** Default: $SHOEBOX_MODEL_CATALOG, else the bundled resources/models/catalog.json. */
  catalogPath?: string;
  /** HTTP dispatcher for downloads; default: a new EnvHttpProxyAgent per install (HTTPS_PROXY, NO_PROXY…). */
  dispatcher?: Dispatcher;
  /** The system language, which picks the model offered first (default: systemLanguage()). */
  language?: string;
}

export interface ModelListing {
  id: string;
  name: string;
  source: 'catalog' | 'imported';
  installed: boolean;
  inUse: boolean;
  isDefault: boolean;
  /** The model's folder, once installed. */
  dir: string | null;
  /** Bytes an interrupted install has already fetched (it resumes from them). */
  downloaded: number;
  /** Download size (catalogue) or size on disk (imported). */
  bytes: number | null;
  approximate: boolean;
  dim: number | null;
  contextLength: number | null;
  licence: string | null;
  languages: string[];
  note: string | null;
  /** False where the catalogue's pins come from published listings but the model was not run end to end. */
  verified: boolean | null;
}

export interface ModelList {
  library: string;
  modelsDir: string;
  /** The library's model folder (library.json), which may lie outside modelsDir (--model DIR). */
  current: string | null;
  models: ModelListing[];
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name)).catch(() => null))?.size ?? 0;
  }
  return total;
}

export class ModelStore {
  readonly libraryDir: string;
  readonly modelsDir: string;
  readonly catalog: Catalog;
  /** The model offered first for this system's language. */
  readonly defaultId: string;
  readonly #dispatcher: Dispatcher | undefined;

  private constructor(libraryDir: string, catalog: Catalog, dispatcher: Dispatcher | undefined, language: string) {
    this.libraryDir = libraryDir;
    this.modelsDir = join(libraryDir, 'models');
    this.catalog = catalog;
    this.defaultId = defaultModelId(catalog, language);
    this.#dispatcher = dispatcher;
  }

  static async open(opts: ModelStoreOptions): Promise<ModelStore> {
    const catalog = await loadCatalog(opts.catalogPath ?? defaultCatalogPath());
    return new ModelStore(resolve(opts.libraryDir), catalog, opts.dispatcher, opts.language ?? systemLanguage());
  }

  entry(id: string): CatalogEntry {
    const entry = this.catalog.models.find((m) => m.id === id);
    if (!entry)
      throw new ShoeboxError(
        'NOT_FOUND',
        `there is no model "${id}" in the catalogue: \`shoebox model list\` shows the ones you can install`,
      );
    return entry;
  }

  async currentModelDir(): Promise<string | null> {
    const dir = (await readSettings(this.libraryDir))?.modelDir;
    return dir !== undefined ? resolve(dir) : null;
  }

  async #installedIds(): Promise<string[]> {
    const entries = await readdir(this.modelsDir, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  }

  async listModels(): Promise<ModelList> {
    const current = await this.currentModelDir();
    const installed = new Set(await this.#installedIds());
    const base = async (id: string): Promise<Pick<ModelListing, 'installed' | 'inUse' | 'dir' | 'downloaded'>> => {
      const dir = join(this.modelsDir, id);
      const isInstalled = installed.has(id);
      return {
        installed: isInstalled,
        inUse: current === dir,
        dir: isInstalled ? dir : null,
        downloaded: await folderBytes(stagingDir(this.modelsDir, id)),
      };
    };
    const models: ModelListing[] = [];
    // The model offered first comes first.
    const ordered = [...this.catalog.models].sort(
      (a, b) => Number(b.id === this.defaultId) - Number(a.id === this.defaultId),
    );
    for (const e of ordered) {
      models.push({
        id: e.id,
        name: e.name,
        source: 'catalog',
        ...(await base(e.id)),
        isDefault: e.id === this.defaultId,
        bytes: entrySize(e),
        approximate: false,
        dim: e.dim,
        contextLength: e.contextLength,
        licence: e.licence,
        languages: e.languages,
        note: e.note,
        verified: e.verified,
      });
    }
    for (const id of [...installed].filter((i) => !this.catalog.models.some((m) => m.id === i)).sort()) {
      const manifest = await readManifest(join(this.modelsDir, id)).catch(() => null);
      models.push({
        id,
        name: manifest?.name ?? id,
        source: 'imported',
        ...(await base(id)),
        isDefault: false,
        bytes: await folderBytes(join(this.modelsDir, id)),
        approximate: false,
        dim: manifest?.dim ?? null,
        contextLength: manifest?.contextLength ?? null,
        licence: null,
        languages: [],
        note: manifest?.source ? `imported from ${manifest.source.from}` : null,
        verified: null,
      });
    }
    return { library: this.libraryDir, modelsDir: this.modelsDir, current, models };
  }

  /** Downloads a catalogue model; resumes an interrupted install; a no-op when it is installed. */
  async installModel(id: string, opts: InstallOptions = {}): Promise<InstalledModel> {
    const entry = this.entry(id);
    const dispatcher = this.#dispatcher ?? (await proxyAgent());
    try {
      return await installEntry(entry, this.modelsDir, dispatcher, opts);
    } finally {
      if (!this.#dispatcher) await dispatcher.close();
    }
  }

  async importModel(folder: string, opts: ImportOptions = {}): Promise<InstalledModel> {
    return importFolder(folder, this.modelsDir, opts);
  }

  /** Makes an installed model the library's; its photos are indexed afresh for it on the next index. */
  async useModel(id: string): Promise<string> {
    const dir = join(this.modelsDir, id);
    if (!(await this.#installedIds()).includes(id)) {
      const how = this.catalog.models.some((m) => m.id === id)
        ? `install it first: shoebox model install ${id}`
        : '`shoebox model list` shows the installed ones';
      throw new ShoeboxError('NOT_FOUND', `model "${id}" is not installed: ${how}`);
    }
    await openModelFolder(dir);
    const library = await Library.open(this.libraryDir, { write: true, command: 'shoebox model use' });
    try {
      await library.update((s) => ({ ...s, modelDir: dir }));
    } finally {
      await library.close();
    }
    return dir;
  }

  /** Deletes an installed model, or what an interrupted install left; never the model in use. */
  async removeModel(id: string): Promise<void> {
    const dir = join(this.modelsDir, id);
    const staging = stagingDir(this.modelsDir, id);
    const installed = (await this.#installedIds()).includes(id);
    const partial = (await stat(staging).catch(() => null)) !== null;
    if (!installed && !partial) throw new ShoeboxError('NOT_FOUND', `model "${id}" is not installed`);
    if ((await this.currentModelDir()) === dir) {
      throw new ShoeboxError(
        'BAD_REQUEST',
        `"${id}" is the model this library uses: switch to another first (shoebox model use <id>)`,
      );
    }
    const holder = await lockHolder(lockPath(this.modelsDir, id));
    if (holder !== null)
      throw new ShoeboxError(
        'LIBRARY_LOCKED',
        `another Shoebox process (pid ${holder}) is installing ${id}; stop it first`,
      );
    await rm(staging, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}
