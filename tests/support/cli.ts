// Runs the real `shoebox` CLI (app/main/cli/main.ts) as a child process, with pipes rather than a
// terminal, exactly as a script or CI job would.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The CLI as `npm run build:cli` bundles it from app/main/cli/main.ts, built before the tests
 * (build-cli.ts); `npm run cli` runs the same sources unbundled.
 */
export const CLI_SCRIPT = fileURLToPath(new URL('../../dist/cli/shoebox.js', import.meta.url));

export interface CliResult {
  /** Exit code; null when the process was ended by a signal (then `signal` says which). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when runCli's timeout killed it. */
  timedOut: boolean;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment (SHOEBOX_LIBRARY is always removed, so --library is never bypassed). */
  env?: Record<string, string>;
  /** Killed with SIGKILL after this long; default 30 s. */
  timeoutMs?: number;
  /** Run this command line instead (e.g. the CLI inside `unshare`); `args` are then ignored. */
  command?: readonly [string, ...string[]];
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited and its pipes are drained. */
  readonly done: Promise<CliResult>;
  /** Resolves with the first match of `pattern` in stderr; rejects if the process ends first or on timeout. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function describeRun(args: readonly string[], r: Pick<CliResult, 'code' | 'signal' | 'stdout' | 'stderr'>): string {
  return `shoebox ${args.join(' ')} → code ${String(r.code)}, signal ${String(r.signal)}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Starts the CLI and returns at once; see RunningCli. */
export function startCli(args: readonly string[], opts: CliOptions = {}): RunningCli {
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  delete env.SHOEBOX_LIBRARY;
  // process.execPath is the Node running the tests (22+).
  const [file, ...argv] = opts.command ?? [process.execPath, CLI_SCRIPT, ...args];
  const child = spawn(file, argv, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (s: string) => {
    out += s;
  });
  child.stderr.on('data', (s: string) => {
    err += s;
    for (const w of watchers) w();
  });

  let timedOut = false;
  let closed = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? 30_000);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', (e) => {
      clearTimeout(timer);
      closed = true;
      for (const w of watchers) w();
      reject(e);
    });
    // 'close' (not 'exit') waits for stdout and stderr to end, so nothing written is missed.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      closed = true;
      for (const w of watchers) w();
      resolve({ code, signal, stdout: out, stderr: err, timedOut });
    });
  });

  const waitForStderr = (pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = pattern.exec(err);
        if (m) {
          finish();
          resolve(m);
        } else if (closed) {
          finish();
          reject(
            new Error(
              `process ended before stderr matched ${String(pattern)}\n${describeRun(args, { code: child.exitCode, signal: child.signalCode, stdout: out, stderr: err })}`,
            ),
          );
        }
      };
      const t = setTimeout(() => {
        finish();
        reject(
          new Error(
            `stderr did not match ${String(pattern)} within ${timeoutMs} ms\n${describeRun(args, { code: child.exitCode, signal: child.signalCode, stdout: out, stderr: err })}`,
          ),
        );
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(t);
        watchers.delete(check);
      };
      watchers.add(check);
      check();
    });

  return { child, stdout: () => out, stderr: () => err, done, waitForStderr };
}

/** Runs the CLI to completion. Never rejects for a non-zero exit: the result says how it ended. */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/**
 * The one JSON value a `--json` command printed. Throws (showing the whole run) unless the
 * process exited 0 and stdout is exactly one line holding one JSON document.
 */
export function jsonOutput(r: CliResult, args: readonly string[] = []): unknown {
  if (r.code !== 0) throw new Error(`expected exit 0\n${describeRun(args, r)}`);
  if (!r.stdout.endsWith('\n') || r.stdout.slice(0, -1).includes('\n')) {
    throw new Error(`expected stdout to be exactly one line of JSON\n${describeRun(args, r)}`);
  }
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    throw new Error(`stdout is not JSON\n${describeRun(args, r)}`);
  }
}

/** A CLI bound to one library (and model): `sb('index', '--json')`. */
export function cliFor(library: string, model?: string): (...args: string[]) => Promise<CliResult> {
  const base = ['--library', library, ...(model !== undefined ? ['--model', model] : [])];
  return (...args) => runCli([...base, ...args]);
}

/** Polls `probe` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
