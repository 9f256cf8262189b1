#!/usr/bin/env node
import '../core/decode/thread-pool.ts';
import '../core/no-telemetry.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../core/engine/engine.ts';
import type { EngineOptions } from '../core/engine/engine.ts';
import { ShoeboxError, errorMessage } from '../core/errors.ts';
import { resolveLibraryDir } from '../core/library/library-dir.ts';
import { DEVICES, isDevice } from '../core/embed/providers.ts';
import type { SearchFilters, SearchOptions } from '../core/search/search.ts';
import {
  ALBUM_COMMANDS,
  ALBUMS_USAGE,
  AlbumsUsageError,
  checkAlbumsCommand,
  runAlbumsCommand,
} from './albums-commands.ts';
import {
  explained,
  formatExplained,
  formatHits,
  formatStatus,
  formatSummary,
  formatTextLines,
  roundedLine,
} from './format.ts';
import { MODEL_USAGE, ModelUsageError, runModelCommand } from './model-commands.ts';
import {
  checkPeopleCommand,
  PEOPLE_COMMANDS,
  PEOPLE_USAGE,
  PeopleUsageError,
  runPeopleCommand,
} from './people-commands.ts';
import { progressReporter } from './progress.ts';
import { runTextLanguageCommand, TEXT_LANGUAGE_USAGE, TextLanguageUsageError } from './text-language-commands.ts';
import { writeErr, writeOut } from './terminal-text.ts';

const USAGE = `usage: shoebox [--library DIR] [--model DIR] <command> [options]

commands:
  add <folder>             add a photo folder to the library
  remove <folder>          forget a folder and its photos' entries (files are never touched)
  index [--json]           index new and changed photos in every folder
  watch                    index, then keep the index current as files change
  search "<text>" [--limit N] [--json] [--all] [--explain] [--person NAME]... [--folder DIR] [--from DATE] [--to DATE] [--type EXT]...
  similar <photo> [--limit N] [--json] [filters as for search]
  status [--json]          folders, counts, failed files, model and execution provider
  text <photo> [--json]    the text in a photo: each line with its confidence and box
  serve [--port N] [--host H]  the app in your browser: a local server (127.0.0.1 by default)
${ALBUMS_USAGE}${PEOPLE_USAGE}${MODEL_USAGE}${TEXT_LANGUAGE_USAGE}
options:
  --library DIR            library folder (default: $SHOEBOX_LIBRARY, else the OS app-data folder)
  --model DIR              CLIP model folder, Hugging Face ONNX or Immich layout (remembered by the library)
  --device NAME            auto (default), cpu, cuda, dml, coreml or webgpu (remembered by the library)
`;

const OPTIONS = {
  library: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  explain: { type: 'boolean' },
  limit: { type: 'string' },
  folder: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  type: { type: 'string', multiple: true },
  person: { type: 'string', multiple: true },
  threads: { type: 'string' },
  port: { type: 'string' },
  device: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number above 0, not "${value}"`);
  return n;
}

function dateOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--${name} needs a date such as 2024-06-30, not "${value}"`);
  return t;
}

function filters(v: Values): SearchFilters {
  const f: SearchFilters = {};
  if (v.folder !== undefined) f.folder = resolve(v.folder);
  const from = dateOption('from', v.from);
  const to = dateOption('to', v.to);
  if (from !== undefined) f.from = from;
  if (to !== undefined) f.to = to;
  if (v.type !== undefined) f.types = v.type;
  return f;
}

function one(args: string[], what: string): string {
  if (args.length !== 1 || args[0] === undefined || args[0] === '') throw new UsageError(`expected one ${what}`);
  return args[0];
}

const WRITES = new Set(['add', 'remove', 'index', 'watch', 'serve']);
const COMMANDS = new Set([
  ...WRITES,
  'search',
  'similar',
  'status',
  'text',
  ...ALBUM_COMMANDS,
  ...PEOPLE_COMMANDS,
  'model',
  'text-language',
]);

async function run(command: string, args: string[], v: Values, signal: AbortSignal): Promise<void> {
  const threads = intOption('threads', v.threads);
  if (v.device !== undefined && !isDevice(v.device))
    throw new UsageError(`--device must be one of ${DEVICES.join(', ')}, not "${v.device}"`);
  const device = v.device !== undefined && isDevice(v.device) ? v.device : undefined;
  // Options are checked before the library is opened, so a typo is a usage error (exit 2).
  const limit = intOption('limit', v.limit);
  const opts = { filters: filters(v), limit };
  const engineOptions: EngineOptions = { libraryDir: resolveLibraryDir(v.library), modelDir: v.model, threads, device };
  if (command === 'model') {
    await runModelCommand(args, v, signal);
    return;
  }
  if (command === 'text-language') {
    await runTextLanguageCommand(args, v, signal);
    return;
  }
  if (command === 'serve') {
    const port = v.port === undefined ? 0 : Number(v.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port needs a port number, not "${String(v.port)}"`);
    // The web server and the app's service load only for `serve` (ws alone took 0.08 s of each start).
    const { serve } = await import('./serve.ts');
    await serve(engineOptions, port, v.host, signal);
    return;
  }
  const engine = await Engine.open(engineOptions, {
    write:
      WRITES.has(command) ||
      checkAlbumsCommand(command, args).write ||
      (PEOPLE_COMMANDS.has(command) && checkPeopleCommand(command, args).write),
    command: `shoebox ${command}`,
  });
  try {
    await runOnEngine(engine, command, args, v, opts, signal);
  } finally {
    await engine.close();
  }
}

/** The commands that work on an open library: add, remove, index, watch, search, status, albums. */
async function runOnEngine(
  engine: Engine,
  command: string,
  args: string[],
  v: Values,
  opts: SearchOptions,
  signal: AbortSignal,
): Promise<void> {
  const out = (text: string): boolean => writeOut(text, v.json === true);
  switch (command) {
    case 'add': {
      const root = await engine.addRoot(one(args, 'folder'));
      out(`added ${root}\nrun "shoebox index" to index its photos\n`);
      break;
    }
    case 'remove': {
      const r = await engine.removeRoot(one(args, 'folder'));
      out(`removed ${r.root} (${r.removed} photo entries; no files were touched)\n`);
      break;
    }
    case 'index': {
      const progress = progressReporter(process.stderr);
      const summary = await engine.index({ signal, onProgress: progress.update });
      progress.end();
      const { indexed, reused, unchanged, failed, removed } = summary;
      out(v.json ? JSON.stringify({ indexed, reused, unchanged, failed, removed }) + '\n' : formatSummary(summary));
      break;
    }
    case 'watch': {
      const progress = progressReporter(process.stderr);
      await engine.watch({
        signal,
        onProgress: progress.update,
        events: {
          onIndexed: (s) => {
            progress.end();
            process.stderr.write(formatSummary(s));
          },
          onReady: () => process.stderr.write('watching for changes (Ctrl-C to stop)\n'),
          onApplied: (c) =>
            process.stderr.write(
              `${c.indexed + c.reused} added or changed, ${c.failed} failed, ${c.removed} removed\n`,
            ),
          onError: (e) => writeErr(`warning: ${e.message}\n`),
        },
      });
      break;
    }
    case 'search': {
      const text = v.person !== undefined && args.length === 0 ? '' : one(args, 'search text');
      const result = await engine.query(text, {
        ...opts,
        all: v.all === true,
        ...(v.person !== undefined ? { withPeople: v.person } : {}),
      });
      if (v.explain === true) out(v.json ? JSON.stringify(explained(result)) + '\n' : formatExplained(result));
      else out(v.json ? JSON.stringify(result.hits) + '\n' : formatHits(result.hits, result.more));
      break;
    }
    case 'similar': {
      const hits = await engine.similar(resolve(one(args, 'photo path')), opts);
      out(v.json ? JSON.stringify(hits) + '\n' : formatHits(hits));
      break;
    }
    case 'text': {
      const lines = (await engine.readText(resolve(one(args, 'photo path')))).map(roundedLine);
      out(v.json ? JSON.stringify(lines) + '\n' : formatTextLines(lines));
      break;
    }
    case 'status': {
      const status = await engine.status();
      out(v.json ? JSON.stringify(status) + '\n' : formatStatus(status));
      break;
    }
    default:
      if (ALBUM_COMMANDS.has(command)) out(await runAlbumsCommand(engine, command, args, v.json === true));
      else if (PEOPLE_COMMANDS.has(command)) out(await runPeopleCommand(engine, command, args, v.json === true));
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    writeErr(`shoebox: ${errorMessage(err)}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  if (!COMMANDS.has(command)) {
    writeErr(`shoebox: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const controller = new AbortController();
  // First Ctrl-C: finish the batch in flight, save, exit. Second: leave at once.
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after the current batch…\n');
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  try {
    await run(command, args, parsed.values, controller.signal);
    return 0;
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof AlbumsUsageError ||
      err instanceof PeopleUsageError ||
      err instanceof ModelUsageError ||
      err instanceof TextLanguageUsageError
    ) {
      writeErr(`shoebox ${command}: ${err.message}\n`);
      return 2;
    }
    const code = err instanceof ShoeboxError ? ` [${err.code}]` : '';
    writeErr(`shoebox ${command}: ${errorMessage(err)}${code}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
