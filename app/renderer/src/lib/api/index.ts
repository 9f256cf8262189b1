// The renderer's only way to the main side. Everything else imports `api` from here and never
// sees a bridge, a channel transport or a raw `{ok: false}` value.
import type { CallArgs, CallName, CallResult, EventName, Events, ShoeboxBridge } from '../../../../shared/contract.ts';
import { notifications } from '../state/notifications.svelte.ts';
import { ApiError } from './api-error.ts';
import type { Outcome } from './api-error.ts';
import { electronBridge } from './electron-bridge.ts';
import { WebBridge, openSession, takeToken } from './web-bridge.ts';

export { ApiError } from './api-error.ts';
export type { Outcome } from './api-error.ts';

function createBridge(): { bridge: ShoeboxBridge; onReconnect: (listener: () => void) => () => void } {
  const electron = electronBridge();
  if (electron) return { bridge: electron, onReconnect: () => () => undefined };
  const web = new WebBridge(openSession(takeToken()));
  return { bridge: web, onReconnect: (l) => web.onReconnect(l) };
}

const { bridge, onReconnect } = createBridge();

const FAILED_TO: Partial<Record<CallName, string>> = {
  'app.status': 'Could not read the library status',
  'roots.add': 'Could not add the folder',
  'roots.remove': 'Could not remove the folder',
  'roots.pick': 'Could not open the folder picker',
  'index.start': 'Could not start indexing',
  'index.pause': 'Could not pause indexing',
  'index.resume': 'Could not resume indexing',
  'index.failures': 'Could not list the failed files',
  'search.text': 'Search failed',
  'search.query': 'Search failed',
  'search.similar': 'Could not find similar photos',
  'photos.list': 'Could not load photos',
  'photos.get': 'Could not load the photo',
  'photos.reveal': 'Could not show the file',
  'models.list': 'Could not list the models',
  'models.install': 'Could not start the download',
  'models.cancel': 'Could not stop the download',
  'models.use': 'Could not switch models',
  'models.remove': 'Could not remove the model',
  'albums.list': 'Could not list the albums',
  'albums.get': 'Could not open the album',
  'albums.create': 'Could not create the album',
  'albums.rename': 'Could not rename the album',
  'albums.delete': 'Could not delete the album',
  'albums.add': 'Could not add the photo to the album',
  'albums.remove': 'Could not take the photo out of the album',
  'albums.createSmart': 'Could not save the smart album',
  'albums.duplicates': 'Could not look for duplicates',
  'tags.list': 'Could not list the tags',
  'tags.add': 'Could not add the tag',
  'tags.rename': 'Could not rename the tag',
  'tags.hide': 'Could not change whether the tag is hidden',
  'tags.remove': 'Could not remove the tag',
  'photos.tags': 'Could not read the photo’s tags',
  'photos.decideTag': 'Could not change the tag',
  'photos.marks': 'Could not read the photo’s favourite and rating',
  'people.list': 'Could not list the people',
  'people.photos': 'Could not open the person’s photos',
  'people.name': 'Could not name the person',
  'people.merge': 'Could not merge the people',
  'people.hide': 'Could not change whether the person is hidden',
  'people.moveFace': 'Could not change who the face is',
  'people.setEnabled': 'Could not change face recognition',
  'text.languages': 'Could not list the text languages',
  'text.setLanguage': 'Could not change the text language',
  'text.removeLanguage': 'Could not remove the text language',
  'photos.setFavourite': 'Could not change the favourite',
  'photos.setRating': 'Could not change the rating',
};

/** The single error handler: every failed call the caller did not handle becomes a toast. */
export function reportError(error: ApiError): void {
  notifications.error(FAILED_TO[error.channel] ?? 'Something went wrong', error.message);
}

async function attempt<C extends CallName>(channel: C, args: CallArgs<C>): Promise<Outcome<CallResult<C>>> {
  try {
    const result = await bridge.call(channel, args);
    return result.ok ? result : { ok: false, error: new ApiError(channel, result.error) };
  } catch (err) {
    // A bridge should never throw, but a broken preload or IPC channel must not crash the UI.
    return { ok: false, error: new ApiError(channel, { code: 'INTERNAL', message: String(err) }) };
  }
}

export const api = {
  transport: bridge.transport,

  /** Never throws: for callers that handle particular error codes themselves. */
  attempt,

  /** The answer, or undefined once the failure has been reported to the user. */
  async call<C extends CallName>(channel: C, args: CallArgs<C>): Promise<CallResult<C> | undefined> {
    const outcome = await attempt(channel, args);
    if (outcome.ok) return outcome.data;
    reportError(outcome.error);
    return undefined;
  },

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    return bridge.on(event, listener);
  },

  /** Events pushed while the connection was down are lost: listeners re-read what they show. */
  onReconnect,

  thumbUrl: (id: string): string => bridge.thumbUrl(id),
  photoUrl: (id: string): string => bridge.photoUrl(id),
  motionUrl: (id: string): string => bridge.motionUrl(id),
};
