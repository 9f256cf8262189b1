import { resolve } from 'node:path';
import type { AlbumDetails, AlbumSummary, PhotoTag } from '../core/albums/albums.ts';
import type { Engine } from '../core/engine/engine.ts';

/** The albums commands main.ts dispatches here. */
export const ALBUM_COMMANDS: ReadonlySet<string> = new Set(['albums', 'album', 'tags']);

export const ALBUMS_USAGE = `  albums [--json]          every album: yours, smart ones, tags, events, duplicates
  album show <name|id> [--json]              the album's photos
  album create <name>                        a new, empty album of your own
  album add <name|id> <photo>...             add photos (by path) to your album
  album remove <name|id> <photo>...          take photos out of it (the files stay)
  album rename <name|id> <new name>
  album delete <name|id>                     delete your album (its photos stay)
  tags <photo> [--json]    the photo's tags: the model's, and your accepted or rejected ones
`;

/** A malformed albums command line: main.ts prints it with the usage and exits 2. */
export class AlbumsUsageError extends Error {}

/** Each `album` subcommand: how many arguments, and whether it changes the library. */
const SUBCOMMANDS: Record<string, { args: number; atLeast?: boolean; what: string; write: boolean }> = {
  show: { args: 1, what: 'an album name or id', write: false },
  create: { args: 1, what: 'one album name (quote it if it has spaces)', write: true },
  add: { args: 2, atLeast: true, what: 'an album and at least one photo path', write: true },
  remove: { args: 2, atLeast: true, what: 'an album and at least one photo path', write: true },
  rename: { args: 2, what: 'an album and its new name', write: true },
  delete: { args: 1, what: 'an album name or id', write: true },
};

/**
 * Checks the command line before the library is opened (a typo is a usage error, exit 2) and
 * says whether the command changes the library, and so must take the writer lock.
 */
export function checkAlbumsCommand(command: string, args: readonly string[]): { write: boolean } {
  if (command === 'albums') need(args, 0, 'no arguments');
  if (command === 'tags') need(args, 1, 'one photo path');
  if (command !== 'album') return { write: false };
  const [sub, ...rest] = args;
  const spec = SUBCOMMANDS[sub ?? ''];
  if (!spec)
    throw new AlbumsUsageError(
      `expected one of: ${Object.keys(SUBCOMMANDS).join(', ')}${sub === undefined ? '' : `, not "${sub}"`}`,
    );
  need(rest, spec.args, spec.what, spec.atLeast);
  return { write: spec.write };
}

function need(args: readonly string[], count: number, what: string, atLeast = false): string[] {
  const ok = atLeast ? args.length >= count : args.length === count;
  if (!ok || args.some((a) => a === '')) throw new AlbumsUsageError(`expected ${what}`);
  return [...args];
}

export function formatAlbums(list: readonly AlbumSummary[]): string {
  if (list.length === 0) return 'no albums yet (index some photos, or: shoebox album create <name>)\n';
  return list.map((a) => `${String(a.count).padStart(6)}  ${a.kind.padEnd(10)} ${a.name}  [${a.id}]`).join('\n') + '\n';
}

export function formatAlbum(a: AlbumDetails): string {
  const lines = [`${a.name} (${a.kind}, ${a.count} photo${a.count === 1 ? '' : 's'}) [${a.id}]`];
  for (const p of a.photos) {
    const marks = [
      p.favourite ? '♥' : '',
      p.rating !== null ? '★'.repeat(p.rating) : '',
      p.sensitive ? '(sensitive)' : '',
    ].filter((m) => m !== '');
    lines.push(`  ${p.path}${marks.length > 0 ? '  ' + marks.join(' ') : ''}`);
  }
  return lines.join('\n') + '\n';
}

export function formatTags(tags: readonly PhotoTag[]): string {
  if (tags.length === 0) return 'no tags\n';
  return (
    tags
      .map((t) => {
        const score = t.score === null ? '  -  ' : t.score.toFixed(3);
        const note = t.decision === 'reject' ? 'rejected by you' : t.decision === 'accept' ? 'accepted by you' : 'auto';
        return `${t.applied ? ' ' : '-'} ${t.name.padEnd(20)} ${score}  ${note}${t.sensitive ? ', sensitive' : ''}`;
      })
      .join('\n') + '\n'
  );
}

async function album(engine: Engine, args: readonly string[], json: boolean): Promise<string> {
  const albums = await engine.albums();
  const [sub, ...rest] = args;
  const result = (value: unknown, text: string): string => (json ? JSON.stringify(value) + '\n' : text);
  switch (sub) {
    case 'show': {
      const a = await albums.show(rest[0]!);
      return result(a, formatAlbum(a));
    }
    case 'create': {
      const a = await albums.create(rest[0]!);
      return result(a, `created album "${a.name}" [${a.id}]\n`);
    }
    case 'add':
    case 'remove': {
      const [ref, ...photos] = rest;
      const refs = photos.map((p) => resolve(p));
      const r = sub === 'add' ? (await albums.add(ref!, refs)).added : (await albums.remove(ref!, refs)).removed;
      return result(
        sub === 'add' ? { added: r } : { removed: r },
        `${sub === 'add' ? 'added' : 'removed'} ${r} photo${r === 1 ? '' : 's'}\n`,
      );
    }
    case 'rename': {
      const a = await albums.rename(rest[0]!, rest[1]!);
      return result(a, `renamed to "${a.name}"\n`);
    }
    case 'delete': {
      await albums.delete(rest[0]!);
      return result({ deleted: rest[0] }, `deleted album "${rest[0]!}" (no photos were touched)\n`);
    }
    default:
      throw new AlbumsUsageError(`unknown album command "${String(sub)}"`);
  }
}

/** Runs `albums`, `album …` or `tags …` (checked by checkAlbumsCommand) and returns what to print. */
export async function runAlbumsCommand(
  engine: Engine,
  command: string,
  args: readonly string[],
  json: boolean,
): Promise<string> {
  checkAlbumsCommand(command, args);
  if (command === 'albums') {
    const list = await (await engine.albums()).list();
    return json ? JSON.stringify(list) + '\n' : formatAlbums(list);
  }
  if (command === 'tags') {
    const tags = await (await engine.albums()).tagsOf(resolve(args[0]!));
    return json ? JSON.stringify(tags) + '\n' : formatTags(tags);
  }
  return album(engine, args, json);
}
