import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { memberRole, membersAmong, primaryAmong, stemOf } from '../scan/companions.ts';
import type { MemberRow } from '../store/photo-schema.ts';
import type { WorkItem } from './photo-rows.ts';

/**
 * Pairs files of one item (Live Photo still and motion, JPEG and RAW) from their folders' names,
 * reading each folder once per run. Both sides ask: a member is never decoded, and a still
 * claims its members even when they were indexed on their own before it arrived.
 */
export class Pairing {
  readonly #folders = new Map<string, Promise<Map<string, string[]>>>();

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

  /** The primary file `item` is a member of, or null when it is an item of its own. */
  async primaryOf(item: WorkItem): Promise<MemberRow | null> {
    const role = memberRole(basename(item.path));
    if (!role) return null;
    const primary = primaryAmong(basename(item.path), await this.#sameStem(item.path));
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
    const found = membersAmong(basename(item.path), await this.#sameStem(item.path));
    const out: MemberRow[] = [];
    for (const m of found) {
      const path = join(dirname(item.path), m.name);
      const s = await stat(path).catch(() => null);
      if (s?.isFile())
        out.push({ path, root: item.root, size: s.size, mtime: s.mtimeMs, primary_path: item.path, role: m.role });
    }
    return out;
  }
}
