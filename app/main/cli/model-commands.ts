// `shoebox model …`: the library's CLIP models (list, install, import, use, remove). Runs
// without opening the engine, so it works before any model is set up.
import { resolve } from 'node:path';
import { ShoeboxError } from '../core/errors.ts';
import { resolveLibraryDir } from '../core/library/library-dir.ts';
import { removeModelAndVectors } from '../core/engine/remove-model.ts';
import { ModelStore } from '../core/model-store/model-store.ts';
import type { InstallProgress, InstalledModel, ModelList, ModelListing } from '../core/model-store/model-store.ts';
import { formatBytes, formatDuration } from '../core/model-store/progress-meter.ts';
import { writeOut } from './terminal-text.ts';

export const MODEL_USAGE = `  model list [--json]      the CLIP models you can install, those installed, and the one in use
  model install <id>       download a catalogue model (verified; resumes if interrupted)
  model import <folder> [name]  copy in a model folder you have (Hugging Face or Immich layout)
  model use <id>           make an installed model the library's model (photos are indexed again for it)
  model remove <id>        delete an installed model, or what an interrupted install left
                           (SHOEBOX_MODEL_CATALOG=FILE: use another catalogue than the bundled one)
`;

export class ModelUsageError extends Error {}

export interface ModelCliValues {
  library?: string | undefined;
  json?: boolean | undefined;
}

type Write = (text: string) => void;

function size(m: ModelListing): string {
  return m.bytes === null ? '' : `${m.approximate ? '~' : ''}${formatBytes(m.bytes)}`;
}

function state(m: ModelListing): string {
  if (m.installed) return m.inUse ? 'installed, in use' : 'installed';
  if (m.downloaded > 0) return `interrupted (${formatBytes(m.downloaded)} fetched): install again to resume`;
  return 'not installed';
}

export function formatModelList(list: ModelList): string {
  const out = [`models in ${list.modelsDir}:`];
  const width = Math.max(
    ...list.models.map((m) => m.id.length + (m.isDefault ? 10 : 0) + (m.source === 'imported' ? 11 : 0)),
  );
  for (const m of list.models) {
    const label = `${m.id}${m.isDefault ? ' (default)' : ''}${m.source === 'imported' ? ' (imported)' : ''}`;
    out.push(`${m.inUse ? '*' : ' '} ${label.padEnd(width)}  ${size(m).padStart(10)}  ${state(m)}`);
    const facts = [
      m.name,
      m.dim !== null ? `${m.dim}-d` : null,
      m.languages.length > 0 ? m.languages.join(', ') : null,
      m.licence,
    ].filter((f) => f !== null);
    out.push(`    ${facts.join(' · ')}`);
    if (m.note !== null) out.push(`    ${m.note}`);
  }
  if (list.current !== null && !list.models.some((m) => m.inUse))
    out.push(`in use: ${list.current} (a folder outside the library's models)`);
  if (list.current === null) out.push('no model in use yet: shoebox model install <id>');
  return out.join('\n') + '\n';
}

/** A redrawn bar on a terminal; otherwise a plain line every few seconds and one per large file. */
export function installReporter(stream: NodeJS.WriteStream): { update: (p: InstallProgress) => void; end: () => void } {
  const line = (p: InstallProgress): string => {
    const total = `${p.totalIsEstimate ? '~' : ''}${formatBytes(p.totalBytes)}`;
    return `${formatBytes(p.bytes)} / ${total} · ${formatBytes(Math.round(p.rate))}/s · ETA ${formatDuration(p.etaSeconds)} · ${p.file}`;
  };
  let drawn = false;
  if (stream.isTTY) {
    return {
      update: (p) => {
        const width = 24;
        const filled = p.totalBytes > 0 ? Math.min(width, Math.round((p.bytes / p.totalBytes) * width)) : 0;
        if (p.phase === 'resuming') {
          stream.write(`\r\x1b[2K${p.reason ?? 'the connection dropped'}; resuming…\n`);
          return;
        }
        const text = p.phase === 'finishing' ? 'checking the model…' : line(p);
        stream.write(
          `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`.slice(
            0,
            Math.max(40, (stream.columns || 100) - 1),
          ),
        );
        drawn = true;
      },
      end: () => {
        if (drawn) stream.write('\n');
      },
    };
  }
  let last = Date.now();
  return {
    update: (p) => {
      const now = Date.now();
      if (p.phase === 'resuming') {
        stream.write(`${p.reason ?? 'the connection dropped'}; resuming…\n`);
      } else if (p.phase === 'verified' && p.fileBytes >= 10_000_000) {
        stream.write(
          `fetched ${p.file} (${formatBytes(p.fileBytes)}${p.verifiedBy !== undefined ? `, checked by ${p.verifiedBy}` : ''})\n`,
        );
      } else if (p.phase === 'finishing') {
        stream.write('checking the model…\n');
      } else if (p.phase === 'downloading' && now - last >= 5000) {
        last = now;
        stream.write(`${line(p)}\n`);
      }
    },
    end: () => undefined,
  };
}

function one(args: string[], what: string): string {
  if (args.length !== 1 || args[0] === undefined || args[0] === '') throw new ModelUsageError(`expected one ${what}`);
  return args[0];
}

/** After an install or import: make it the library's model when the library has none. */
async function adoptIfNone(store: ModelStore, m: InstalledModel, out: Write): Promise<boolean> {
  const current = await store.currentModelDir();
  if (current === m.dir) return true;
  if (current === null) {
    try {
      await store.useModel(m.id);
    } catch (err) {
      // A running `shoebox watch` or app holds the library: the model is installed all the same.
      if (!(err instanceof ShoeboxError && err.code === 'LIBRARY_LOCKED')) throw err;
      out(`the library is busy (${err.message}); once it is free: shoebox model use ${m.id}\n`);
      return false;
    }
    out(`${m.id} is now the library's model: run \`shoebox index\` to index your photos with it\n`);
    return true;
  }
  out(`this library uses ${current}; to switch: shoebox model use ${m.id} (photos are then indexed again for it)\n`);
  return false;
}

async function install(
  store: ModelStore,
  id: string,
  v: ModelCliValues,
  signal: AbortSignal,
  out: Write,
): Promise<void> {
  const entry = store.entry(id);
  const progress = installReporter(process.stderr);
  let started = false;
  const onProgress = (p: InstallProgress): void => {
    if (!started && !v.json) process.stderr.write(`installing ${entry.name} (${id}) into ${store.modelsDir}\n`);
    started = true;
    progress.update(p);
  };
  let m: InstalledModel;
  try {
    m = await store.installModel(id, { signal, onProgress });
  } finally {
    progress.end();
  }
  if (!v.json) out(m.alreadyInstalled ? `${id} is already installed in ${m.dir}\n` : `installed ${id} in ${m.dir}\n`);
  const inUse = await adoptIfNone(store, m, v.json ? () => undefined : out);
  if (v.json) out(JSON.stringify({ ...m, inUse }) + '\n');
}

export async function runModelCommand(args: string[], v: ModelCliValues, signal: AbortSignal): Promise<void> {
  const [sub, ...rest] = args;
  const out: Write = (text) => writeOut(text, v.json === true);
  const store = await ModelStore.open({ libraryDir: resolveLibraryDir(v.library) });
  switch (sub) {
    case 'list': {
      const list = await store.listModels();
      out(v.json ? JSON.stringify(list) + '\n' : formatModelList(list));
      return;
    }
    case 'install':
      await install(store, one(rest, 'model id (see shoebox model list)'), v, signal, out);
      return;
    case 'import': {
      if (rest.length < 1 || rest.length > 2 || rest[0] === '')
        throw new ModelUsageError('expected a folder and, optionally, a name for the model');
      const m = await store.importModel(resolve(rest[0]!), rest[1] !== undefined ? { id: rest[1] } : {});
      if (!v.json) out(`imported ${m.id} into ${m.dir}\n`);
      const inUse = await adoptIfNone(store, m, v.json ? () => undefined : out);
      if (v.json) out(JSON.stringify({ ...m, inUse }) + '\n');
      return;
    }
    case 'use': {
      const dir = await store.useModel(one(rest, 'model id'));
      out(
        v.json
          ? JSON.stringify({ id: rest[0], dir }) + '\n'
          : `now using ${rest[0]!} (${dir}): run \`shoebox index\` to index your photos for it\n`,
      );
      return;
    }
    case 'remove': {
      const id = one(rest, 'model id');
      const vectors = await removeModelAndVectors(store, id);
      out(
        v.json
          ? JSON.stringify({ removed: id, vectorsRemoved: vectors }) + '\n'
          : `removed ${id}${vectors ? ' and its vectors' : ''}\n`,
      );
      return;
    }
    default:
      throw new ModelUsageError(
        sub === undefined
          ? 'expected list, install, import, use or remove'
          : `unknown model command "${sub}": expected list, install, import, use or remove`,
      );
  }
}
