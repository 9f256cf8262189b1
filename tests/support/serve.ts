// `shoebox serve` as the e2e tests and the idle benchmark run it: the real CLI on port 0, its
// address read from what it prints.
import { CLI_SCRIPT, eventually, startCli } from './cli.ts';
import { childPids } from './processes.ts';
import type { RunningCli } from './cli.ts';

export interface Serve {
  cli: RunningCli;
  /** What `shoebox serve` printed: the page's address with the session token in its hash. */
  url: string;
  /** Started under a wrapper command (ServeOptions.wrap). */
  wrapped: boolean;
}

export interface ServeOptions {
  library: string;
  /** Left out, the server starts with no model, as a new user's does. */
  model?: string;
  /** Added to the server's environment. */
  env?: Record<string, string>;
  /** A command the server runs under (`strace … --`); stopServe then stops the server inside it. */
  wrap?: string[];
  /** The CLI is killed after this long, so a hung server cannot outlive the run; default 180 s. */
  timeoutMs?: number;
}

export async function startServe(opts: ServeOptions): Promise<Serve> {
  const args = [
    '--library',
    opts.library,
    ...(opts.model !== undefined ? ['--model', opts.model] : []),
    'serve',
    '--port',
    '0',
  ];
  const command = opts.wrap
    ? ([...opts.wrap, process.execPath, CLI_SCRIPT, ...args] as [string, ...string[]])
    : undefined;
  const cli = startCli(args, { timeoutMs: opts.timeoutMs ?? 180_000, env: opts.env, ...(command ? { command } : {}) });
  try {
    // Port 0 lets the OS pick a free port, so the address is only known once the server prints it.
    const url = await eventually(
      () => {
        if (cli.child.exitCode !== null || cli.child.signalCode !== null)
          return Promise.reject(
            new Error(`shoebox serve exited (${String(cli.child.exitCode ?? cli.child.signalCode)}): ${cli.stderr()}`),
          );
        return Promise.resolve(/http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(cli.stdout())?.[0]);
      },
      20_000,
      'shoebox serve to print its URL',
      100,
    );
    return { cli, url, wrapped: command !== undefined };
  } catch (err) {
    // Not left running (up to its timeout) by a set-up that failed.
    cli.child.kill('SIGKILL');
    await cli.done.catch(() => undefined);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- stderr ---\n${cli.stderr()}`, {
      cause: err,
    });
  }
}

/** Undefined when the set-up failed before starting it. */
export async function stopServe(serve: Serve | undefined): Promise<void> {
  if (!serve) return;
  // Under a wrapper, the server is its child: stopped itself, it ends as it would alone, and
  // the wrapper (strace) with it.
  if (serve.wrapped) for (const pid of childPids(serve.cli.child.pid ?? 0)) process.kill(pid, 'SIGTERM');
  else serve.cli.child.kill('SIGTERM');
  await serve.cli.done;
}
