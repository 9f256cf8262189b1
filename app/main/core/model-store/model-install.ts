// Installing a catalogue model: every file is downloaded (resumably, verified) into
// <models>/.installing-<id>/, then the folder is finished and renamed to <models>/<id>. An
// interrupted install leaves its verified files and .partial files there for the next run.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Dispatcher } from 'undici';
import { ShoeboxError } from '../errors.ts';
import type { CatalogEntry, CatalogFile } from './catalog.ts';
import { downloadFile } from './download.ts';
import type { FileTarget } from './download.ts';
import { ModelDownloadError } from './download-errors.ts';
import { acquireInstallLock } from './install-lock.ts';
import { finishModelFolder } from './model-finalize.ts';
import { exists } from '../scan/inside-roots.ts';
import type { InstalledModel } from './model-finalize.ts';
import { RateMeter } from './progress-meter.ts';

export interface InstallProgress {
  /**
   * downloading: bytes arriving; verifying: hashing a complete file; verified: a file passed;
   * resuming: the connection dropped and the file resumes after a pause; finishing: the last checks.
   */
  phase: 'downloading' | 'verifying' | 'verified' | 'resuming' | 'finishing';
  file: string;
  fileIndex: number;
  fileCount: number;
  fileBytes: number;
  fileTotal: number | null;
  /** All files, including bytes kept from an earlier, interrupted run. */
  bytes: number;
  totalBytes: number;
  /** Always false now that every catalogue file is pinned to its exact size; kept for the progress contract. */
  totalIsEstimate: boolean;
  /** Bytes per second over the last few seconds. */
  rate: number;
  etaSeconds: number | null;
  /** How a file that passed was checked: against the catalogue's sha256 (and exact size). */
  verifiedBy?: 'sha256';
  /** Why a resume was needed (phase resuming). */
  reason?: string;
}

export interface InstallOptions {
  onProgress?: (p: InstallProgress) => void;
  signal?: AbortSignal;
  /** Automatic resumes after a dropped connection before giving up (default 3). */
  retries?: number;
  /** First pause before a resume, doubled each time (default 1000 ms). */
  retryDelayMs?: number;
}

export function stagingDir(modelsDir: string, id: string): string {
  return join(modelsDir, `.installing-${id}`);
}

export function lockPath(modelsDir: string, id: string): string {
  return join(modelsDir, `.installing-${id}.lock`);
}

const EMIT_EVERY_MS = 200;

/** Keeps the running totals and turns them into throttled progress reports. */
class Tally {
  readonly sizes: number[];
  readonly known: boolean[];
  readonly done: number[];
  readonly meter = new RateMeter();
  #lastEmit = 0;
  readonly #files: readonly CatalogFile[];
  readonly #onProgress: ((p: InstallProgress) => void) | undefined;

  constructor(files: readonly CatalogFile[], onProgress?: (p: InstallProgress) => void) {
    this.#files = files;
    this.#onProgress = onProgress;
    this.sizes = files.map((f) => f.bytes);
    this.known = files.map(() => true);
    this.done = files.map(() => 0);
  }

  emit(i: number, phase: InstallProgress['phase'], extra: Partial<InstallProgress> = {}, force = true): void {
    const now = Date.now();
    if (!this.#onProgress || (!force && now - this.#lastEmit < EMIT_EVERY_MS)) return;
    this.#lastEmit = now;
    const bytes = this.done.reduce((a, b) => a + b, 0);
    const totalBytes = Math.max(
      bytes,
      this.sizes.reduce((a, b) => a + b, 0),
    );
    const rate = this.meter.rate();
    this.#onProgress({
      phase,
      file: this.#files[i]!.path,
      fileIndex: i,
      fileCount: this.#files.length,
      fileBytes: this.done[i]!,
      fileTotal: this.known[i] ? this.sizes[i]! : null,
      bytes,
      totalBytes,
      totalIsEstimate: this.known.includes(false),
      rate,
      etaSeconds: rate > 0 ? (totalBytes - bytes) / rate : null,
      ...extra,
    });
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function fetchOne(
  target: FileTarget,
  i: number,
  tally: Tally,
  dispatcher: Dispatcher,
  opts: InstallOptions,
): Promise<void> {
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await downloadFile(target, {
        dispatcher,
        signal: opts.signal,
        onStart: (_total, resumedFrom) => {
          tally.done[i] = resumedFrom;
          tally.emit(i, 'downloading');
        },
        onData: (n) => {
          tally.done[i]! += n;
          tally.meter.add(n);
          tally.emit(i, 'downloading', {}, false);
        },
        onVerify: () => tally.emit(i, 'verifying'),
      });
      [tally.sizes[i], tally.known[i], tally.done[i]] = [result.bytes, true, result.bytes];
      tally.emit(i, 'verified', { verifiedBy: 'sha256' });
      return;
    } catch (err) {
      const resumable = err instanceof ModelDownloadError && err.failure === 'interrupted';
      if (!resumable || attempt >= retries || opts.signal?.aborted) throw err;
      tally.emit(i, 'resuming', { reason: err.message });
      await pause((opts.retryDelayMs ?? 1000) * 2 ** attempt, opts.signal);
    }
  }
}

/**
 * Every file into `staging` at its path, each verified against its pins; a file already there was
 * verified by an earlier, interrupted run (only a checked file is renamed from .partial).
 */
export async function fetchFiles(
  files: readonly CatalogFile[],
  staging: string,
  dispatcher: Dispatcher,
  opts: InstallOptions = {},
  /** What else the user can do when a file cannot be fetched (download-errors.ts). */
  hint?: string,
): Promise<void> {
  const tally = new Tally(files, opts.onProgress);
  for (const [i, f] of files.entries()) {
    const dest = join(staging, f.path);
    await mkdir(dirname(dest), { recursive: true });
    const kept = await stat(dest).catch(() => null);
    if (kept?.isFile()) {
      [tally.sizes[i], tally.known[i], tally.done[i]] = [kept.size, true, kept.size];
      tally.emit(i, 'verified');
      continue;
    }
    const target: FileTarget = { url: f.url, dest, label: f.path, sha256: f.sha256, bytes: f.bytes, hint };
    await fetchOne(target, i, tally, dispatcher, opts);
  }
  tally.emit(files.length - 1, 'finishing');
}

export async function installEntry(
  entry: CatalogEntry,
  modelsDir: string,
  dispatcher: Dispatcher,
  opts: InstallOptions = {},
): Promise<InstalledModel> {
  const final = join(modelsDir, entry.id);
  if (await exists(final)) return { id: entry.id, dir: final, alreadyInstalled: true, dim: entry.dim };
  await mkdir(modelsDir, { recursive: true });
  const release = await acquireInstallLock(lockPath(modelsDir, entry.id), entry.id);
  try {
    const staging = stagingDir(modelsDir, entry.id);
    await fetchFiles(entry.files, staging, dispatcher, opts);
    for (const [rel, content] of Object.entries(entry.settings ?? {})) {
      const dest = join(staging, rel);
      await mkdir(dirname(dest), { recursive: true });
      await writeFile(dest, JSON.stringify(content, null, 2) + '\n');
    }
    try {
      return await finishModelFolder(staging, final, {
        id: entry.id,
        name: entry.name,
        source: { kind: 'catalog', from: entry.repo, layout: entry.layout },
      });
    } catch (err) {
      // The files passed their checks, so fetching them again would not help: keep them, say so.
      const message = `${entry.id} was downloaded but cannot be used: ${(err as Error).message}. The files are kept in ${staging}; \`shoebox model remove ${entry.id}\` deletes them`;
      throw new ShoeboxError(err instanceof ShoeboxError ? err.code : 'MODEL_INVALID', message, { cause: err });
    }
  } finally {
    await release();
  }
}
