// What the library looks like from the renderer: folders, counts, the model and indexing. Fed by
// app.status and kept current by pushed events (see services/event-sync.ts).
import type { AppStatus, FailedFile, IndexState, ModelState, RootStatus } from '../../../../shared/types.ts';

export function idleIndex(): IndexState {
  return {
    running: false,
    paused: false,
    phase: 'idle',
    total: 0,
    done: 0,
    rate: 0,
    etaSeconds: null,
    indexed: 0,
    reused: 0,
    failed: 0,
    removed: 0,
    error: null,
  };
}

class LibraryState {
  loaded = $state(false);
  dir = $state('');
  photos = $state(0);
  failed = $state(0);
  roots = $state.raw<RootStatus[]>([]);
  model = $state.raw<ModelState>({ state: 'loading', message: null, id: null, provider: null });
  index = $state.raw<IndexState>(idleIndex());
  failures = $state.raw<FailedFile[]>([]);

  readonly hasRoots = $derived(this.roots.length > 0);
  readonly modelReady = $derived(this.model.state === 'ready');
  /**
   * Scanning or indexing right now (watching for changes does not count). A batch the watcher
   * applied reports phase 'indexing' with nothing left and no 'done' after it, so a finished
   * count also ends the work.
   */
  readonly working = $derived(
    this.index.running &&
      (this.index.phase === 'scanning' ||
        (this.index.phase === 'indexing' && (this.index.total === 0 || this.index.done < this.index.total))),
  );

  applyStatus(s: AppStatus): void {
    this.dir = s.library;
    this.photos = s.photos;
    this.failed = s.failed;
    this.roots = s.roots;
    this.model = s.model;
    this.index = s.indexing;
    this.loaded = true;
  }

  setRoots(roots: RootStatus[]): void {
    this.roots = roots;
    this.photos = roots.reduce((n, r) => n + r.photos, 0);
    this.failed = roots.reduce((n, r) => n + r.failed, 0);
  }

  setRootOnline(path: string, online: boolean): void {
    this.roots = this.roots.map((r) => (r.path === path ? { ...r, online } : r));
  }
}

export const library = new LibraryState();
