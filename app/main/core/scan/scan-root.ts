import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ShoeboxError } from '../errors.ts';
import { isInside } from './inside-roots.ts';
import { isIgnoredName, isPhotoFile } from './photo-files.ts';

export interface FoundFile {
  /** Absolute path as reached under the root (through symlinks, not their resolved targets). */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanOptions {
  /** Aborting makes the generator throw `signal.reason` at its next step. */
  signal?: AbortSignal;
  /** Folders that cannot be listed and entries that cannot be stat'ed; the walk goes on. */
  onError?: (path: string, err: Error) => void;
  /**
   * Real paths of the folders links may lead into (the library's roots). A link whose target
   * lies outside them is not followed, so no file outside the library is read. Unset: follow all.
   */
  within?: readonly string[];
}

type Report = (path: string, err: unknown) => void;

interface Listing {
  files: FoundFile[];
  dirs: string[];
  linkedDirs: string[];
}

// Stats run on libuv's thread pool; a few dozen in flight keeps it busy without queueing a
// whole 100k-file folder at once.
const STAT_CONCURRENCY = 32;

/**
 * Walks `root` recursively and yields every photo file under it. Symlinks to folders and
 * files are followed; each real folder is entered at most once (keyed by its device and
 * inode), so link loops terminate and a folder reachable both directly and through a link is
 * listed under its direct path. Problems below the root go to `onError` and are skipped.
 *
 * @throws ShoeboxError ROOT_MISSING when the root does not exist or is not a folder.
 */
export async function* scanRoot(root: string, opts: ScanOptions = {}): AsyncGenerator<FoundFile> {
  const { signal } = opts;
  const report: Report = (path, err) => opts.onError?.(path, toError(err));
  const start = resolve(root);
  signal?.throwIfAborted();
  await checkRoot(start);

  const visited = new Set<string>();
  const dirs: string[] = [start];
  // Folders reached through symlinks wait until every directly reachable folder is done, so
  // a link pointing back inside the root never claims a folder before its real path does.
  const linkedDirs: string[] = [];
  for (let dir = dirs.pop() ?? linkedDirs.pop(); dir !== undefined; dir = dirs.pop() ?? linkedDirs.pop()) {
    signal?.throwIfAborted();
    if (!(await enterOnce(dir, visited, report))) continue;
    const listing = await listDir(dir, report, opts.within);
    if (!listing) continue;
    for (const file of listing.files) {
      signal?.throwIfAborted();
      yield file;
    }
    // Reversed so the stack pops subfolders in listing order.
    dirs.push(...listing.dirs.reverse());
    linkedDirs.push(...listing.linkedDirs.reverse());
  }
}

async function checkRoot(root: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(root);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ShoeboxError('ROOT_MISSING', `Photo folder not found: ${root}`, { cause: err });
    }
    // Exists but cannot be examined (a locked parent folder): the walk reports it below.
    return;
  }
  if (!stats.isDirectory()) throw new ShoeboxError('ROOT_MISSING', `Not a folder: ${root}`);
}

/** Marks the real folder behind `dir` as visited; false if it already was (or is gone). */
async function enterOnce(dir: string, visited: Set<string>, report: Report): Promise<boolean> {
  try {
    // bigint: 64-bit inode numbers (NTFS file ids, some network filesystems) lose precision
    // as doubles, and two folders colliding would silently drop one of them.
    const { dev, ino } = await stat(dir, { bigint: true });
    const key = `${dev}:${ino}`;
    if (visited.has(key)) return false;
    visited.add(key);
    return true;
  } catch (err) {
    report(dir, err);
    return false;
  }
}

async function listDir(dir: string, report: Report, within?: readonly string[]): Promise<Listing | null> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    report(dir, err);
    return null;
  }
  const photos: string[] = [];
  const dirs: string[] = [];
  // Symlinks, plus entries whose type the filesystem did not say: only a stat tells.
  const unresolved: string[] = [];
  for (const entry of entries) {
    if (isIgnoredName(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) dirs.push(path);
    else if (entry.isFile()) {
      if (isPhotoFile(entry.name)) photos.push(path);
    } else if (entry.isSymbolicLink() || !isSpecial(entry)) unresolved.push(path);
  }
  const files: FoundFile[] = [];
  const linkedDirs: string[] = [];
  const photoStats = await mapLimit(photos, STAT_CONCURRENCY, (path) => statOrReport(path, report, false));
  photoStats.forEach((stats, i) => {
    if (stats?.isFile()) files.push(found(photos[i]!, stats));
  });
  const allowed = within === undefined ? unresolved : await keepInside(unresolved, within);
  const linkStats = await mapLimit(allowed, STAT_CONCURRENCY, (path) => statOrReport(path, report, true));
  linkStats.forEach((stats, i) => {
    const path = allowed[i]!;
    if (stats?.isDirectory()) linkedDirs.push(path);
    else if (stats?.isFile() && isPhotoFile(path)) files.push(found(path, stats));
  });
  return { files, dirs, linkedDirs };
}

/** Entries whose real location is inside one of `within`; dangling links go on to be reported. */
async function keepInside(paths: string[], within: readonly string[]): Promise<string[]> {
  const real = await mapLimit(paths, STAT_CONCURRENCY, (p) => realpath(p).catch(() => p));
  return paths.filter((_, i) => within.some((root) => isInside(real[i]!, root)));
}

function isSpecial(entry: Dirent): boolean {
  return entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();
}

async function statOrReport(path: string, report: Report, isLink: boolean): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (err) {
    // A plain file gone between listing and stat is a user tidying up, not a problem; a link
    // whose target is missing (or that loops on itself) is worth telling about.
    if (isLink || errnoCode(err) !== 'ENOENT') report(path, err);
    return null;
  }
}

function found(path: string, stats: Stats): FoundFile {
  return { path, size: stats.size, mtimeMs: stats.mtimeMs };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
