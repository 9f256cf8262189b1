import type { z } from 'zod';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import type { LibraryService } from '../service/library-service.ts';
import { calls, isCallName } from '../../shared/contract.ts';
import { ERROR_CODES } from '../../shared/contract.ts';
import type { CallName, CallResult, Result } from '../../shared/contract.ts';

/** What differs between Electron and the web shell; everything else is the same handler. */
export interface Platform {
  /** A native folder picker, or null where there is none. */
  pickFolder(): Promise<string | null>;
  /** Shows the file in the system file manager; false where that is not possible. */
  reveal(path: string): Promise<boolean>;
}

type ParsedArgs<C extends CallName> = z.output<(typeof calls)[C]['args']>;
export type Handlers = { [C in CallName]: (args: ParsedArgs<C>) => Promise<CallResult<C>> };

/** Where there is no desktop to ask (the browser shell, tests): no folder picker, nothing to reveal in. */
export const NO_DESKTOP: Platform = { pickFolder: () => Promise.resolve(null), reveal: () => Promise.resolve(false) };

export function createHandlers(service: LibraryService, platform: Platform): Handlers {
  return {
    'app.status': () => service.status(),
    'roots.add': ({ path }) => service.addRoot(path),
    'roots.remove': ({ path }) => service.removeRoot(path),
    'roots.pick': async () => ({ path: await platform.pickFolder() }),
    'index.start': () => service.startIndex(),
    'index.pause': () => Promise.resolve(service.pause()),
    'index.resume': () => Promise.resolve(service.resume()),
    'index.failures': () => service.failures(),
    'search.text': ({ query, limit, filters }) => service.search(query, limit, filters),
    'search.query': ({ query, limit, filters, all }) => service.query(query, limit, filters, all),
    'search.prepare': () => service.prepareSearch(),
    'search.similar': ({ id, limit, filters }) => service.similar(id, limit, filters),
    'photos.list': ({ offset, limit, filters }) => service.list(offset, limit, filters),
    'photos.get': ({ id }) => service.photo(id),
    'photos.timeline': ({ filters }) => service.timeline(filters),
    'photos.places': ({ filters }) => service.mapPoints(filters),
    'photos.memories': () => service.albums.memories(),
    'photos.reveal': async ({ id }) => {
      const photo = await service.photo(id);
      const shown = await platform.reveal(photo.path);
      if (!shown) throw new ShoeboxError('BAD_REQUEST', 'showing files in the file manager needs the desktop app');
      return { shown };
    },
    'models.list': () => service.listModels(),
    'models.install': ({ id }) => service.installModel(id),
    'models.cancel': () => service.cancelModelDownload(),
    'models.use': ({ id }) => service.useModel(id),
    'models.remove': ({ id }) => service.removeModel(id),
    'albums.list': () => service.albums.list(),
    'albums.get': ({ id, offset, limit }) => service.albums.get(id, offset, limit),
    'albums.create': ({ name }) => service.albums.create(name),
    'albums.rename': ({ id, name }) => service.albums.rename(id, name),
    'albums.delete': ({ id }) => service.albums.delete(id),
    'albums.add': ({ id, photoIds }) => service.albums.add(id, photoIds),
    'albums.remove': ({ id, photoIds }) => service.albums.remove(id, photoIds),
    'albums.createSmart': ({ name, text, filters, likeIds }) =>
      service.albums.createSmart(name, { text, filters, likeIds }),
    'albums.duplicates': () => service.albums.duplicates(),
    'tags.list': () => service.albums.tagList(),
    'tags.add': ({ name, prompts }) => service.albums.addTag(name, prompts),
    'tags.rename': ({ tag, name }) => service.albums.renameTag(tag, name),
    'tags.hide': ({ tag, hidden }) => service.albums.hideTag(tag, hidden),
    'tags.remove': ({ tag }) => service.albums.removeTag(tag),
    'photos.tags': ({ id }) => service.albums.tags(id),
    'photos.decideTag': ({ id, tag, decision }) => service.albums.decideTag(id, tag, decision),
    'photos.marks': ({ id }) => service.albums.marks(id),
    'photos.setFavourite': ({ id, favourite }) => service.albums.setFavourite(id, favourite),
    'photos.setRating': ({ id, rating }) => service.albums.setRating(id, rating),
    'people.list': ({ hidden }) => service.people.list(hidden),
    'people.photos': ({ id, offset, limit }) => service.people.photos(id, offset, limit),
    'people.name': ({ id, name }) => service.people.name(id, name),
    'people.merge': ({ id, into }) => service.people.merge(id, into),
    'people.hide': ({ id, hidden }) => service.people.hide(id, hidden),
    'people.moveFace': ({ photoId, face, to }) => service.people.moveFace(photoId, face, to),
    'people.setEnabled': ({ enabled }) => service.people.setEnabled(enabled),
    'text.languages': () => service.textLanguages(),
    'text.setLanguage': ({ id }) => service.setTextLanguage(id),
    'text.removeLanguage': ({ id }) => service.removeTextLanguage(id),
  };
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/**
 * The single entry point for a call from any transport: checks the channel, validates the
 * arguments against the contract's schema, runs the handler, and turns every failure into a
 * `{ok: false, error}` value. Nothing is thrown back across the boundary.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawArgs: unknown): Promise<Result<unknown>> {
  if (!isCallName(channel))
    return {
      ok: false,
      error: { code: 'BAD_REQUEST', message: `unknown call ${JSON.stringify(String(channel)).slice(0, 80)}` },
    };
  const parsed = calls[channel].args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    return { ok: false, error: { code: 'BAD_REQUEST', message: `${channel}: ${message}` } };
  }
  try {
    const handler = handlers[channel] as (args: unknown) => Promise<unknown>;
    return { ok: true, data: await handler(parsed.data) };
  } catch (err) {
    const code = err instanceof ShoeboxError && KNOWN_CODES.has(err.code) ? err.code : 'INTERNAL';
    return { ok: false, error: { code, message: errorMessage(err) } };
  }
}
