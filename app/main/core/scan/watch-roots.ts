import type { Stats } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { watch } from 'chokidar';
import { isIgnoredName, isPhotoFile } from './photo-files.ts';

export type Change = { kind: 'add' | 'change' | 'unlink'; path: string } | { kind: 'unlinkDir'; path: string };

export interface WatchOptions {
  /** Quiet time before a batch is delivered (default 300 ms). */
  debounceMs?: number;
  /** How long a file's size must hold still before it counts as written (default 1000 ms). */
  writeFinishMs?: number;
  /** Stat polling instead of native events, for network shares where fs.watch is blind. */
  usePolling?: boolean;
  /** How often polling looks at each file (default 2000 ms). */
  pollIntervalMs?: number;
  /** Watcher failures, and exceptions thrown by `onChanges`; without it they are warnings. */
  onError?: (err: Error) => void;
  onReady?: () => void;
}

export interface RootWatcher {
  /** Stops watching and drops any batch not yet delivered; nothing is reported afterwards. */
  close(): Promise<void>;
  /** Settles once the roots are being watched (or the watcher was closed first). */
  ready: Promise<void>;
}

type FileKind = 'add' | 'change' | 'unlink';

// A copy of thousands of photos keeps resetting the quiet-time timer; after this many debounce
// periods the batch goes out anyway so the library fills in while the copy runs.
const MAX_WAIT_FACTOR = 10;

/**
 * Watches photo roots for changes after the initial scan (`scanRoot` does that pass) and
 * delivers them in coalesced batches: per path within one window, add+unlink cancels out,
 * add+change stays add, unlink+add becomes change. `unlinkDir` means "forget everything
 * under this folder"; chokidar usually also reports the files, but the caller must not rely
 * on that.
 */
export function watchRoots(
  roots: string[],
  onChanges: (batch: Change[]) => void,
  opts: WatchOptions = {},
): RootWatcher {
  const absRoots = roots.map((r) => resolve(r)).sort((a, b) => b.length - a.length);
  const report = (err: unknown): void => {
    const error = err instanceof Error ? err : new Error(String(err));
    if (opts.onError) opts.onError(error);
    else process.emitWarning(error);
  };
  const batcher = createBatcher(opts.debounceMs ?? 300, (batch) => {
    try {
      onChanges(batch);
    } catch (err) {
      report(err);
    }
  });
  const watcher = watch(absRoots, {
    ignoreInitial: true,
    followSymlinks: true,
    persistent: true,
    ...(opts.usePolling ? { backend: 'polling' as const, pollingInterval: opts.pollIntervalMs ?? 2000 } : {}),
    awaitWriteFinish: { stabilityThreshold: opts.writeFinishMs ?? 1000, pollInterval: 100 },
    ignored: (path: string, stats?: Stats) => isExcluded(absRoots, path, stats),
  });

  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((res) => (markReady = res));
  const onFile =
    (kind: FileKind) =>
    (path: string): void => {
      if (isPhotoFile(path) && !isExcluded(absRoots, path)) batcher.push(kind, path);
    };
  watcher
    .on('add', onFile('add'))
    .on('change', onFile('change'))
    .on('unlink', onFile('unlink'))
    .on('unlinkDir', (path) => {
      if (!isExcluded(absRoots, path)) batcher.pushDirRemoval(path);
    })
    .on('error', report)
    .on('ready', () => {
      markReady();
      try {
        opts.onReady?.();
      } catch (err) {
        report(err);
      }
    });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Stop the timer before chokidar's async close: events that land meanwhile are dropped.
      batcher.stop();
      markReady();
      await watcher.close();
    })();
    return closing;
  };
  return { close, ready };
}

/**
 * The chokidar `ignored` test, also applied again to every event (chokidar asks without stats
 * for unlinks, when it cannot tell a file from a folder). Folders above a root are never
 * excluded, only what lies below it.
 */
function isExcluded(roots: readonly string[], path: string, stats?: Stats): boolean {
  const rel = relativeToRoot(roots, path);
  if (rel === undefined || rel === '') return false;
  if (rel.split(/[\\/]/).some(isIgnoredName)) return true;
  // Without stats this may be a folder called `trip.2019`: keep it so its photos are seen.
  return stats?.isFile() === true && !isPhotoFile(path);
}

/** `path` relative to the innermost root holding it (roots are sorted longest first). */
function relativeToRoot(roots: readonly string[], path: string): string | undefined {
  for (const root of roots) {
    const rel = relative(root, path);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return rel;
  }
  return undefined;
}

interface Batcher {
  push(kind: FileKind, path: string): void;
  pushDirRemoval(dir: string): void;
  stop(): void;
}

function createBatcher(debounceMs: number, deliver: (batch: Change[]) => void): Batcher {
  // Insertion order is delivery order, which matters only around folder removals (see below).
  // Keyed by kind of entry too: a folder `a.jpg` removed and a file `a.jpg` added are two facts.
  const pending = new Map<string, Change>();
  const fileKey = (path: string): string => `f:${path}`;
  const dirKey = (path: string): string => `d:${path}`;
  let timer: NodeJS.Timeout | undefined;
  let windowStart = 0;
  let stopped = false;

  const flush = (): void => {
    timer = undefined;
    if (stopped || pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    deliver(batch);
  };
  const schedule = (): void => {
    const now = Date.now();
    if (timer === undefined) windowStart = now;
    else if (now - windowStart >= debounceMs * MAX_WAIT_FACTOR) return;
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  return {
    push(kind, path) {
      if (stopped) return;
      const key = fileKey(path);
      const prev = pending.get(key)?.kind;
      const merged = mergeKinds(prev === 'unlinkDir' ? undefined : prev, kind);
      if (merged === null) pending.delete(key);
      else pending.set(key, { kind: merged, path });
      schedule();
    },
    pushDirRemoval(dir) {
      if (stopped) return;
      // Pending entries below the folder are void: the caller drops the whole subtree. Moving
      // the removal to the end keeps a recreated folder's new files ordered after it.
      for (const [key, change] of pending) if (isInside(dir, change.path)) pending.delete(key);
      pending.delete(dirKey(dir));
      pending.set(dirKey(dir), { kind: 'unlinkDir', path: dir });
      schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** What one path amounts to after `prev` then `next` inside one window; null: nothing. */
function mergeKinds(prev: FileKind | undefined, next: FileKind): FileKind | null {
  switch (prev) {
    case undefined:
      return next;
    case 'add':
      // Created and written inside the window is still new; created and deleted never was.
      return next === 'unlink' ? null : 'add';
    case 'change':
      return next === 'unlink' ? 'unlink' : 'change';
    case 'unlink':
      // Deleted then back (an editor's save-by-rename): the file the caller knows changed.
      return next === 'unlink' ? 'unlink' : 'change';
  }
}
