import { stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { errorMessage } from '../errors.ts';
import type { Indexer } from './indexer.ts';
import type { IndexCounts, IndexSummary } from './index-types.ts';
import type { WorkItem } from './photo-rows.ts';
import { exists, isDirectory, resolvesInside } from '../scan/inside-roots.ts';
import { isNetworkDrive, isWatchLimitError } from '../scan/network-drive.ts';
import { watchRoots } from '../scan/watch-roots.ts';
import type { Change, RootWatcher } from '../scan/watch-roots.ts';
import type { PhotoStore } from '../store/photo-store.ts';

export interface WatchEvents {
  onIndexed?: (summary: IndexSummary) => void;
  onReady?: () => void;
  /** After each batch of file-system changes has been applied to the index. */
  onApplied?: (counts: IndexCounts) => void;
  /** After a run of reading text in photos that found some (searches may now find more). */
  onTextRead?: (summary: { checked: number; withText: number }) => void;
  /** After a run of looking for faces that found some (People may now show more). */
  onFacesFound?: (summary: { scanned: number; faces: number }) => void;
  onError?: (err: Error) => void;
}

interface WatchLibraryOptions {
  roots: string[];
  indexer: Indexer;
  store: PhotoStore;
  signal: AbortSignal;
  events: WatchEvents;
  /**
   * The first index, run once the watchers are ready: a photo added while it runs (or while it
   * builds indexes and tags after its scan) is a change applied after it, never one that falls
   * between the index and the watching. Its error ends the watch.
   */
  first?: () => Promise<void>;
}

const MAINTAIN_EVERY_MS = 30 * 60 * 1000;

function rootOf(roots: readonly string[], path: string): string | undefined {
  return roots.find((r) => path.startsWith(r + sep));
}

/** Applies one debounced batch of changes: adds and changes are indexed, deletions dropped. */
async function applyChanges(batch: Change[], o: WatchLibraryOptions): Promise<IndexCounts> {
  const counts: IndexCounts = { indexed: 0, reused: 0, unchanged: 0, failed: 0, removed: 0 };
  const work: WorkItem[] = [];
  const gone: string[] = [];
  for (const change of batch) {
    const root = rootOf(o.roots, change.path);
    if (root === undefined) continue;
    if (change.kind === 'add' || change.kind === 'change') {
      const s = await stat(change.path).catch(() => null);
      if (s?.isFile() && (await resolvesInside(change.path, o.roots)))
        work.push({ path: change.path, root, size: s.size, mtime: s.mtimeMs });
    } else if ((await isDirectory(root)) && !(await exists(change.path))) {
      // A deletion counts only while its root is there (an unplugged drive looks like a mass
      // delete) and only for what is still gone when its batch is applied: a batch can wait
      // behind the first index, and a folder renamed away and back is there again.
      if (change.kind === 'unlink') gone.push(change.path);
      else await o.store.deleteUnder(change.path, sep);
    }
  }
  await o.indexer.process(work, counts, o.signal);
  await o.indexer.remove(gone, counts, o.signal);
  return counts;
}

/** Keeps the index current until the signal aborts; changes are applied one batch at a time. */
export async function watchLibrary(o: WatchLibraryOptions): Promise<void> {
  // Changes wait behind the first index: two runs never write the index at once.
  let firstDone = (): void => undefined;
  let chain = o.first ? new Promise<void>((resolve) => (firstDone = resolve)) : Promise.resolve();
  const enqueue = (job: () => Promise<void>): void => {
    chain = chain
      .then(job)
      .catch((err: unknown) => o.events.onError?.(new Error(`could not apply changes: ${errorMessage(err)}`)));
  };
  const onBatch = (batch: Change[]): void => enqueue(async () => o.events.onApplied?.(await applyChanges(batch, o)));
  const watchers = new Map<string, { watcher: RootWatcher; polling: boolean }>();

  const start = async (root: string, polling: boolean): Promise<void> => {
    const watcher = watchRoots([root], onBatch, { usePolling: polling, onError: (err) => onRootError(root, err) });
    watchers.set(root, { watcher, polling });
    await watcher.ready;
  };
  // Out of inotify watches (ENOSPC) or file handles (EMFILE): say so, poll that root instead,
  // and rescan it, since changes may have been missed while native watching was failing.
  const onRootError = (root: string, err: Error): void => {
    const current = watchers.get(root);
    if (!current || current.polling || !isWatchLimitError(err) || o.signal.aborted) {
      o.events.onError?.(err);
      return;
    }
    current.polling = true;
    o.events.onError?.(
      new Error(
        `the system ran out of file watches for ${root} (${(err as NodeJS.ErrnoException).code ?? err.message}); watching it by polling instead. On Linux, raising fs.inotify.max_user_watches restores instant updates.`,
      ),
    );
    enqueue(async () => {
      await current.watcher.close();
      if (o.signal.aborted) return;
      await start(root, true);
      const { indexed, reused, unchanged, failed, removed } = await o.indexer.run([root], o.signal);
      o.events.onApplied?.({ indexed, reused, unchanged, failed, removed });
    });
  };

  const closeAll = (): Promise<unknown> => Promise.all([...watchers.values()].map((w) => w.watcher.close()));
  try {
    for (const root of o.roots) await start(root, await isNetworkDrive(root));
    await o.first?.();
  } catch (err) {
    // The changes queued behind a failed first index are never applied: the watch ends here.
    await closeAll();
    throw err;
  }
  firstDone();
  // Each batch of changes is a LanceDB commit; compaction and old-version cleanup run on a
  // schedule so a long-running watch does not grow the library without bound.
  const maintenance = setInterval(
    () =>
      enqueue(async () => {
        await o.store.maintain();
      }),
    MAINTAIN_EVERY_MS,
  );
  maintenance.unref();
  o.events.onReady?.();
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    else o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(maintenance);
  await closeAll();
  await chain;
  // A fallback that was switching when the abort came may have started a new watcher.
  await closeAll();
}
