// The one IPC contract between the renderer and the main process (Electron IPC or the local web
// server). Every call and pushed event is listed here once; handlers, the preload and the
// renderer's client are typed from it, and no channel string appears anywhere else.
import { z } from 'zod';
import type {
  AlbumPage,
  AlbumSummary,
  AppStatus,
  DuplicateGroup,
  FailedFile,
  IndexState,
  MapPoint,
  Memory,
  ModelEntry,
  ModelState,
  PersonEntry,
  PhotoDetails,
  PhotoFace,
  TextLanguageEntry,
  PhotoHit,
  PhotoMarks,
  PhotoPage,
  PhotoTag,
  RootStatus,
  SearchResult,
  TagEntry,
  Timeline,
} from './types.ts';

const path = z.string().min(1, 'a folder path is required').max(4096, 'path too long');
const id = z.string().regex(/^[0-9a-f]{8,64}$/, 'not a photo id');
const limit = z.number().int().min(1).max(1000).optional();
/** A model's id: also its folder's name under the library's models/, so nothing that could leave it. */
export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const modelArgs = z.object({ id: z.string().regex(MODEL_ID, 'not a model id') }).strict();
/** A text language's id: also its recogniser's folder name under the library's models/text/. */
const textLanguageId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'a text language id is lower-case letters, digits or "-"');

export const filtersSchema = z
  .object({
    folder: path.optional(),
    from: z.number().optional(),
    to: z.number().optional(),
    types: z
      .array(z.string().regex(/^[a-z0-9]{1,5}$/i, 'not a file type'))
      .max(20)
      .optional(),
    area: z
      .object({
        south: z.number().min(-90).max(90),
        west: z.number().min(-360).max(360),
        north: z.number().min(-90).max(90),
        east: z.number().min(-360).max(360),
      })
      .strict()
      .refine((a) => a.south <= a.north, 'an area needs south <= north')
      .optional(),
  })
  .strict();

const empty = z.object({}).strict();

// Named people are p1, p2…; a group nobody has named yet is g-<content hash prefix>-<face>.
const personId = z.string().regex(/^(p[0-9]{1,9}|g-[0-9a-f]{6,64}-[0-9]{1,2})$/, 'not a person id');
const personName = z.string().trim().min(1, 'a name cannot be empty').max(100, 'a name is at most 100 characters');

// User albums have hex ids; automatic ones are named like "tag:red", "event:…" or "duplicates".
const albumId = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,119}$/, 'not an album id');
const albumName = z
  .string()
  .trim()
  .min(1, 'an album needs a name')
  .max(200, 'an album name can be at most 200 characters');
const photoIds = z.array(id).min(1, 'name at least one photo').max(1000, 'at most 1000 photos at a time');
const tag = z.string().trim().min(1, 'name a tag').max(120, 'tag too long');
const tagName = z.string().trim().min(1, 'a tag needs a name').max(100, 'a tag name can be at most 100 characters');
const prompts = z
  .array(z.string().trim().min(1, 'a prompt cannot be empty').max(300, 'a prompt can be at most 300 characters'))
  .min(1, 'a tag needs 1 to 20 prompts')
  .max(20, 'a tag needs 1 to 20 prompts');

/** Curried so the argument schema is inferred while the result type is named. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- R exists only to carry the result type
function call<R>() {
  return <A extends z.ZodType>(args: A): { args: A; result: R } => ({ args, result: undefined as R });
}

export const calls = {
  'app.status': call<AppStatus>()(empty),
  'roots.add': call<RootStatus[]>()(z.object({ path }).strict()),
  'roots.remove': call<{ removed: number }>()(z.object({ path }).strict()),
  /** Native folder picker; resolves to null where there is none (the web shell) or on cancel. */
  'roots.pick': call<{ path: string | null }>()(empty),
  'index.start': call<IndexState>()(empty),
  'index.pause': call<IndexState>()(empty),
  'index.resume': call<IndexState>()(empty),
  'index.failures': call<FailedFile[]>()(empty),
  'search.text': call<PhotoHit[]>()(
    z
      .object({ query: z.string().max(2000, 'search text too long'), limit, filters: filtersSchema.optional() })
      .strict(),
  ),
  /** The search box: parsed into filters (dates, kinds, exclusions, quoted names), cut to what matches. */
  'search.query': call<SearchResult>()(
    z
      .object({
        query: z.string().max(2000, 'search text too long'),
        limit,
        filters: filtersSchema.optional(),
        all: z.boolean().optional(),
      })
      .strict(),
  ),
  /** The search field got focus: the text encoder starts (after an idle exit) while the user types. */
  'search.prepare': call<{ ready: true }>()(empty),
  'search.similar': call<PhotoHit[]>()(z.object({ id, limit, filters: filtersSchema.optional() }).strict()),
  'photos.list': call<PhotoPage>()(
    z
      .object({
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        filters: filtersSchema.optional(),
      })
      .strict(),
  ),
  'photos.get': call<PhotoDetails>()(z.object({ id }).strict()),
  /** How many items each day holds, newest first: the timeline's headers and scrubber. */
  'photos.timeline': call<Timeline>()(z.object({ filters: filtersSchema.optional() }).strict()),
  /** Every item with a GPS position, for the map. */
  'photos.places': call<MapPoint[]>()(z.object({ filters: filtersSchema.optional() }).strict()),
  /** "On this day" and trips, for the Photos screen. */
  'photos.memories': call<Memory[]>()(empty),
  /** Shows the file in the system file manager (Electron only). */
  'photos.reveal': call<{ shown: boolean }>()(z.object({ id }).strict()),
  /** The catalogue's models and the installed ones, with which is in use. */
  'models.list': call<ModelEntry[]>()(empty),
  /** Starts downloading a catalogue model and answers at once; progress comes in model.state events. */
  'models.install': call<ModelEntry[]>()(modelArgs),
  /** Stops the running download; what arrived is kept, and installing again resumes from it. */
  'models.cancel': call<ModelEntry[]>()(empty),
  /** Makes an installed model the library's; photos are re-indexed for it in the background. */
  'models.use': call<ModelEntry[]>()(modelArgs),
  /** Deletes a model's files and its vectors; refused for the model in use. */
  'models.remove': call<ModelEntry[]>()(modelArgs),
  /** Every album: the user's, smart ones, tags, events and (when there are any) duplicates. */
  'albums.list': call<AlbumSummary[]>()(empty),
  'albums.get': call<AlbumPage>()(
    z.object({ id: albumId, offset: z.number().int().min(0).optional(), limit }).strict(),
  ),
  'albums.create': call<AlbumSummary>()(z.object({ name: albumName }).strict()),
  /** Albums the user made and smart albums can be renamed and deleted; only the user's own are added to or taken from. */
  'albums.rename': call<AlbumSummary>()(z.object({ id: albumId, name: albumName }).strict()),
  /** The album goes; its photos stay. */
  'albums.delete': call<{ deleted: string }>()(z.object({ id: albumId }).strict()),
  'albums.add': call<{ added: number }>()(z.object({ id: albumId, photoIds }).strict()),
  'albums.remove': call<{ removed: number }>()(z.object({ id: albumId, photoIds }).strict()),
  /**
   * Saves a search as an album whose photos are found again whenever it is read, so photos
   * indexed later join it. Needs text, example photos or filters.
   */
  'albums.createSmart': call<AlbumSummary>()(
    z
      .object({
        name: albumName,
        text: z.string().max(2000, 'search text too long').optional(),
        filters: filtersSchema.optional(),
        likeIds: z.array(id).max(20, 'at most 20 example photos').optional(),
      })
      .strict(),
  ),
  /** Groups of copies for review, the suggested one to keep in each; nothing is deleted. */
  'albums.duplicates': call<DuplicateGroup[]>()(empty),
  /** The tag vocabulary, hidden tags included; every tags.* change answers with it. */
  'tags.list': call<TagEntry[]>()(empty),
  /** A new tag (or a removed built-in one back); photos are tagged for it in the background. */
  'tags.add': call<TagEntry[]>()(z.object({ name: tagName, prompts: prompts.optional() }).strict()),
  /** The id stays, so photos' tags, the user's decisions and the tag's album follow the new name. */
  'tags.rename': call<TagEntry[]>()(z.object({ tag, name: tagName }).strict()),
  /** Hidden: off photos and albums, still scored; un-hiding brings it back with its decisions. */
  'tags.hide': call<TagEntry[]>()(z.object({ tag, hidden: z.boolean() }).strict()),
  /** Off the vocabulary; photos are tagged again without it in the background. */
  'tags.remove': call<TagEntry[]>()(z.object({ tag }).strict()),
  'photos.tags': call<PhotoTag[]>()(z.object({ id }).strict()),
  /** null takes the user's decision back, leaving the model's. */
  'photos.decideTag': call<PhotoTag[]>()(
    z.object({ id, tag, decision: z.enum(['accept', 'reject']).nullable() }).strict(),
  ),
  'photos.marks': call<PhotoMarks>()(z.object({ id }).strict()),
  /** Everyone in the photos, named first; hidden people only when asked for. */
  'people.list': call<PersonEntry[]>()(z.object({ hidden: z.boolean().optional() }).strict()),
  /** A person's photos, newest first. */
  'people.photos': call<PhotoPage>()(
    z.object({ id: personId, offset: z.number().int().min(0).optional(), limit }).strict(),
  ),
  /** Names a person; naming a group of unnamed faces makes it a person (a new id). */
  'people.name': call<PersonEntry>()(z.object({ id: personId, name: personName }).strict()),
  /** Every face of `id` becomes `into`'s; `id` is gone. */
  'people.merge': call<PersonEntry>()(z.object({ id: personId, into: personId }).strict()),
  /** Hidden: off the People screen and out of search by name; shown again with hidden: false. */
  'people.hide': call<PersonEntry[]>()(z.object({ id: personId, hidden: z.boolean() }).strict()),
  /** Puts one face with a person, or (to: null) says it is not the person it is with. */
  'people.moveFace': call<PhotoFace[]>()(
    z.object({ photoId: id, face: z.number().int().min(0).max(99), to: personId.nullable() }).strict(),
  ),
  /** The scripts text in photos can be read in, and the one in use. */
  'text.languages': call<TextLanguageEntry[]>()(empty),
  /**
   * Reads text with that script's recogniser (downloaded and checked first, a few MB) or the
   * built-in one; every photo is read again for text at the next index.
   */
  'text.setLanguage': call<TextLanguageEntry[]>()(z.object({ id: textLanguageId }).strict()),
  /** Deletes a downloaded recogniser; the one in use (and the built-in one) is refused. */
  'text.removeLanguage': call<TextLanguageEntry[]>()(z.object({ id: textLanguageId }).strict()),
  /** Whether faces are found; turning it off deletes every face, name and correction. */
  'people.setEnabled': call<{ enabled: boolean }>()(z.object({ enabled: z.boolean() }).strict()),
  'photos.setFavourite': call<PhotoMarks>()(z.object({ id, favourite: z.boolean() }).strict()),
  'photos.setRating': call<PhotoMarks>()(
    z
      .object({
        id,
        rating: z
          .number()
          .int('a rating is a whole number of stars')
          .min(1, 'a rating is 1 to 5 stars')
          .max(5, 'a rating is 1 to 5 stars')
          .nullable(),
      })
      .strict(),
  ),
} as const;

export type CallName = keyof typeof calls;
export type CallArgs<C extends CallName> = z.input<(typeof calls)[C]['args']>;
export type CallResult<C extends CallName> = (typeof calls)[C]['result'];

/** Events the main side pushes to every window. */
export interface Events {
  'index.progress': IndexState;
  'library.changed': { photos: number };
  'root.state': { path: string; online: boolean };
  /** Folders were added or removed (from any window, the menu, or another front end). */
  'roots.changed': RootStatus[];
  'model.state': ModelState;
}
export type EventName = keyof Events;

/** Every error code a call can answer with; the engine throws these and the IPC passes them on. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'NOT_FOUND',
  'UNSUPPORTED',
  'MODEL_MISSING',
  'MODEL_INVALID',
  'LIBRARY_LOCKED',
  'LIBRARY_UNREADABLE',
  'ROOT_MISSING',
  'ROOT_UNKNOWN',
  'DECODE_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface CallError {
  code: ErrorCode;
  message: string;
}

/** Errors cross the boundary as values, never as thrown exceptions. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: CallError };

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

/**
 * What the renderer sees as `window.shoebox` in Electron and what the web client implements
 * over HTTP: the renderer cannot tell the two apart.
 */
export interface ShoeboxBridge {
  call<C extends CallName>(channel: C, args: CallArgs<C>): Promise<Result<CallResult<C>>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  thumbUrl(id: string): string;
  photoUrl(id: string): string;
  /** The movie of a Live Photo or motion photo (PhotoHit.kind 'live'). */
  motionUrl(id: string): string;
  readonly transport: 'electron' | 'web';
}
