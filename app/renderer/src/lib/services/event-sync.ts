// Keeps the renderer's state current from the events the main side pushes.
import { api } from '../api/index.ts';
import { library } from '../state/library.svelte.ts';
import { ui } from '../state/ui.svelte.ts';
import { throttle } from '../utils/timing.ts';
import { refreshAlbums } from './album-actions.ts';
import { refreshView } from './feed-actions.ts';
import { loadFailures, refreshStatus } from './library-actions.ts';
import { loadMemories } from './memory-actions.ts';
import { loadModels } from './model-actions.ts';
import { refreshPeople } from './people-actions.ts';

/** Subscribes to every pushed event; returns the unsubscribe. */
export function startEventSync(): () => void {
  let following = true;
  // A status read begun before the stop that lands after it is not shown either.
  const status = (): Promise<void> => refreshStatus(() => following);
  const statusSoon = throttle(() => void status(), 1500);
  // While indexing, new photos appear in the browse grid a few times a second at most; search
  // results are re-run only when the library settles, so they do not reshuffle under the user.
  const browseSoon = throttle(() => void refreshView(true), 1500);
  const viewSoon = throttle(() => void refreshView(), 1000);
  const albumsSoon = throttle(() => void (ui.screen === 'albums' ? refreshAlbums() : undefined), 1000);
  const peopleSoon = throttle(() => void (ui.screen === 'people' ? refreshPeople() : undefined), 1000);
  const memoriesSoon = throttle(() => void loadMemories(), 3000);

  const offs = [
    api.on('index.progress', (state) => {
      const before = library.index;
      library.index = state;
      if (state.done > before.done) {
        browseSoon();
        statusSoon();
      }
      // A run that ended, or one seen only once it was over (its progress came in one event).
      if (!state.running && (before.running || state.done !== before.done)) {
        statusSoon();
        viewSoon();
        memoriesSoon();
        if (ui.failuresOpen) void loadFailures();
      }
    }),
    api.on('library.changed', ({ photos }) => {
      // The total shows at once; the per-folder counts come with the next status read.
      library.photos = photos;
      statusSoon();
      viewSoon();
      albumsSoon();
      peopleSoon();
      // Memories are read from the whole library: once indexing settles, not on every batch.
      if (!library.index.running) memoriesSoon();
    }),
    api.on('root.state', ({ path, online }) => library.setRootOnline(path, online)),
    // The folders with their counts: nothing left to read back.
    api.on('roots.changed', (roots) => {
      library.setRoots(roots);
      viewSoon();
    }),
    api.on('model.state', (model) => {
      const was = library.model;
      const wasReady = was.state === 'ready';
      library.model = model;
      // A download that ended or a switch that began or finished changes what the list shows.
      if (
        (was.download?.phase ?? null) !== (model.download?.phase ?? null) ||
        was.id !== model.id ||
        (was.previous ?? null) !== (model.previous ?? null)
      ) {
        void loadModels();
      }
      if (model.state === 'ready' && !wasReady) {
        void status();
        memoriesSoon();
        void refreshView();
      }
    }),
    api.onReconnect(() => {
      void status();
      void refreshView();
    }),
  ];
  return () => {
    following = false;
    for (const off of offs) off();
    // A refresh still waiting out its throttle would otherwise run after the stop.
    for (const soon of [statusSoon, browseSoon, viewSoon, albumsSoon, peopleSoon, memoriesSoon]) soon.cancel();
  };
}
