import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stillContentId } from '../decode/apple-maker-note.ts';
import { probeVideo } from '../decode/video/video-probe.ts';
import { memberRole, membersAmong, primaryAmong, stemOf, stillOf } from '../scan/companions.ts';
import type { MemberRow } from '../store/photo-schema.ts';
import type { WorkItem } from './photo-rows.ts';

/**
 * Content identifiers read in this process, by file, size and mtime: the watcher pairs each batch
 * afresh, and a folder of hundreds of videos must not be probed again for every photo that lands.
 */
const identifiers = new Map<string, Promise<string | null>>();
const MAX_IDENTIFIERS = 100_000;

async function identifierOf(path: string, read: (path: string) => Promise<string | null>): Promise<string | null> {
  const s = await stat(path).catch(() => null);
  if (!s?.isFile()) return null;
  const key = `${path}\0${s.size}\0${s.mtimeMs}`;
  let id = identifiers.get(key);
  if (!id) {
    if (identifiers.size >= MAX_IDENTIFIERS) identifiers.clear();
    id = read(path);
    identifiers.set(key, id);
  }
  return id;
}

/** A movie's identifier; one ffprobe cannot read pairs with nothing (indexing it says what is wrong). */
const movieIdentifier = (path: string): Promise<string | null> =>
  probeVideo(path).then(
    (info) => info.contentId,
    () => null,
  );

/**
 * Pairs files of one item (Live Photo still and motion, JPEG and RAW) from their folders' names,
 * reading each folder once per run. Both sides ask: a member is never decoded, and a still
 * claims its members even when they were indexed on their own before it arrived.
 *
 * A movie with no same-named still is paired by Apple's content identifier, which a Live Photo's
 * still and motion share however they were renamed. Only then are identifiers read (the still's
 * header, ffprobe for the movie), each once per run.
 */
export class Pairing {
  readonly #folders = new Map<string, Promise<Map<string, string[]>>>();
  readonly #stillIds = new Map<string, Promise<Map<string, string>>>();

  /** Names in `dir` grouped by stem; a folder that cannot be read pairs nothing. */
  #groups(dir: string): Promise<Map<string, string[]>> {
    let groups = this.#folders.get(dir);
    if (!groups) {
      groups = readdir(dir)
        .catch(() => [] as string[])
        .then((names) => {
          const out = new Map<string, string[]>();
          for (const n of names) {
            const stem = stemOf(n);
            out.set(stem, [...(out.get(stem) ?? []), n]);
          }
          return out;
        });
      this.#folders.set(dir, groups);
    }
    return groups;
  }

  async #sameStem(path: string): Promise<string[]> {
    return (await this.#groups(dirname(path))).get(stemOf(basename(path))) ?? [];
  }

  /** Movies in `dir` with no same-named still: the only ones paired by content identifier. */
  async #loneMovies(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const group of (await this.#groups(dir)).values()) {
      if (stillOf(group) === null) out.push(...group.filter((n) => memberRole(n) === 'motion'));
    }
    return out;
  }

  #movieId(path: string): Promise<string | null> {
    return identifierOf(path, movieIdentifier);
  }

  /** The stills of `dir` by content identifier (the first of two that share one). */
  #stillsById(dir: string): Promise<Map<string, string>> {
    let ids = this.#stillIds.get(dir);
    if (!ids) {
      ids = (async () => {
        const out = new Map<string, string>();
        for (const group of (await this.#groups(dir)).values()) {
          const still = stillOf(group);
          if (still === null) continue;
          const id = await identifierOf(join(dir, still), stillContentId);
          if (id !== null && !out.has(id)) out.set(id, still);
        }
        return out;
      })();
      this.#stillIds.set(dir, ids);
    }
    return ids;
  }

  /** The primary file `item` is a member of, or null when it is an item of its own. */
  async primaryOf(item: WorkItem): Promise<MemberRow | null> {
    const role = memberRole(basename(item.path));
    if (!role) return null;
    let primary = primaryAmong(basename(item.path), await this.#sameStem(item.path));
    if (primary === null && role === 'motion') {
      const id = await this.#movieId(item.path);
      primary = id === null ? null : ((await this.#stillsById(dirname(item.path))).get(id) ?? null);
    }
    if (primary === null) return null;
    return {
      path: item.path,
      root: item.root,
      size: item.size,
      mtime: item.mtime,
      primary_path: join(dirname(item.path), primary),
      role,
    };
  }

  /** The member files beside a still (that are still there). */
  async membersOf(item: WorkItem): Promise<MemberRow[]> {
    const name = basename(item.path);
    const sameStem = await this.#sameStem(item.path);
    const found = membersAmong(name, sameStem);
    if (stillOf(sameStem) === name && !found.some((m) => m.role === 'motion')) {
      const motion = await this.#motionById(item.path);
      if (motion !== null) found.push({ name: motion, role: 'motion' });
    }
    const out: MemberRow[] = [];
    for (const m of found) {
      const path = join(dirname(item.path), m.name);
      const s = await stat(path).catch(() => null);
      if (s?.isFile())
        out.push({ path, root: item.root, size: s.size, mtime: s.mtimeMs, primary_path: item.path, role: m.role });
    }
    return out;
  }

  /** The lone movie beside a still that shares its content identifier, or null. */
  async #motionById(stillPath: string): Promise<string | null> {
    const dir = dirname(stillPath);
    const movies = await this.#loneMovies(dir);
    if (movies.length === 0) return null;
    // This still's own identifier only: most stills have none (not Live Photos), and reading
    // every still of a big folder for each new one would be the watcher's bottleneck.
    const id = await identifierOf(stillPath, stillContentId);
    if (id === null) return null;
    for (const movie of movies) if ((await this.#movieId(join(dir, movie))) === id) return movie;
    return null;
  }
}
