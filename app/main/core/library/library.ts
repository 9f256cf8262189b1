import { mkdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ShoeboxError } from '../errors.ts';
import { emptySettings, readSettings, writeSettings } from './settings.ts';
import type { LibrarySettings, RootEntry } from './settings.ts';
import { acquireWriterLock } from './writer-lock.ts';
import type { WriterLock } from './writer-lock.ts';

/**
 * One folder holds everything Shoebox knows: `library.json` (roots, settings), `db/` (LanceDB
 * tables), `thumbs/` (WebP thumbnails by content hash) and `display/` (viewable copies of HEIC,
 * RAW and TIFF photos). Opening it for writing takes the writer lock; readers never wait.
 */
export class Library {
  readonly dir: string;
  readonly dbDir: string;
  readonly thumbsDir: string;
  /** Viewable copies of photos browsers cannot show (HEIC, RAW, TIFF), made on first view. */
  readonly displayCopiesDir: string;
  #settings: LibrarySettings;
  readonly #lock: WriterLock | null;

  private constructor(dir: string, settings: LibrarySettings, lock: WriterLock | null) {
    this.dir = dir;
    this.dbDir = join(dir, 'db');
    this.thumbsDir = join(dir, 'thumbs');
    this.displayCopiesDir = join(dir, 'display');
    this.#settings = settings;
    this.#lock = lock;
  }

  static async open(dirArg: string, mode: { write: false } | { write: true; command: string }): Promise<Library> {
    const dir = resolve(dirArg);
    if (mode.write) {
      try {
        await mkdir(join(dir, 'db'), { recursive: true });
        await mkdir(join(dir, 'thumbs'), { recursive: true });
      } catch (err) {
        throw new ShoeboxError('LIBRARY_UNREADABLE', `cannot create the library at ${dir}: ${(err as Error).message}`);
      }
      const lock = await acquireWriterLock(dir, mode.command);
      try {
        const settings = (await readSettings(dir)) ?? emptySettings();
        await writeSettings(dir, settings);
        return new Library(dir, settings, lock);
      } catch (err) {
        await lock.release();
        throw err;
      }
    }
    const s = await stat(dir).catch(() => null);
    if (s && !s.isDirectory())
      throw new ShoeboxError('LIBRARY_UNREADABLE', `the library path ${dir} is a file, not a folder`);
    if (!s)
      throw new ShoeboxError(
        'LIBRARY_UNREADABLE',
        `there is no Shoebox library at ${dir} yet: add a folder first (shoebox add <folder>)`,
      );
    return new Library(dir, (await readSettings(dir)) ?? emptySettings(), null);
  }

  get writable(): boolean {
    return this.#lock !== null;
  }

  get settings(): Readonly<LibrarySettings> {
    return this.#settings;
  }

  roots(): string[] {
    return this.#settings.roots.map((r) => r.path);
  }

  async update(change: (s: LibrarySettings) => LibrarySettings): Promise<void> {
    if (!this.#lock) throw new ShoeboxError('INTERNAL', 'library opened read-only');
    const next = change(structuredClone(this.#settings));
    await writeSettings(this.dir, next);
    this.#settings = next;
  }

  /** Registers a folder; nested or duplicate roots are refused so no photo is indexed twice. */
  async addRoot(folder: string): Promise<RootEntry> {
    const s = await stat(folder).catch(() => null);
    if (!s?.isDirectory()) throw new ShoeboxError('ROOT_MISSING', `${resolve(folder)} is not a folder`);
    const path = await realpath(folder);
    for (const r of this.#settings.roots) {
      if (r.path === path) throw new ShoeboxError('BAD_REQUEST', `${path} is already in the library`);
      if (path.startsWith(r.path + '/') || path.startsWith(r.path + '\\'))
        throw new ShoeboxError('BAD_REQUEST', `${path} is inside ${r.path}, which is already in the library`);
      if (r.path.startsWith(path + '/') || r.path.startsWith(path + '\\'))
        throw new ShoeboxError(
          'BAD_REQUEST',
          `${path} contains ${r.path}, which is already in the library: remove that one first`,
        );
    }
    const entry: RootEntry = { path, addedAt: new Date().toISOString() };
    await this.update((st) => ({ ...st, roots: [...st.roots, entry] }));
    return entry;
  }

  /** Finds a root by the path the user typed, which may no longer exist (an unplugged drive). */
  async findRoot(folder: string): Promise<string> {
    const candidates = [resolve(folder), await realpath(folder).catch(() => resolve(folder))];
    const hit = this.#settings.roots.find((r) => candidates.includes(r.path));
    if (!hit)
      throw new ShoeboxError('ROOT_UNKNOWN', `${resolve(folder)} is not a folder of this library (see shoebox status)`);
    return hit.path;
  }

  async removeRoot(root: string): Promise<void> {
    await this.update((st) => ({ ...st, roots: st.roots.filter((r) => r.path !== root) }));
  }

  async close(): Promise<void> {
    await this.#lock?.release();
  }
}
