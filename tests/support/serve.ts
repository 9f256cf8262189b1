// `shoebox serve` as the e2e tests and the idle benchmark run it: the real CLI on port 0, its
// address read from what it prints.
import { eventually, startCli } from './cli.ts';
import type { RunningCli } from './cli.ts';

export interface Serve {
  cli: RunningCli;
  /** What `shoebox serve` printed: the page's address with the session token in its hash. */
  url: string;
}

export interface ServeOptions {
  library: string;
  /** Left out, the server starts with no model, as a new user's does. */
  model?: string;
  /** Added to the server's environment. */
  env?: Record<string, string>;
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
  const cli = startCli(args, { timeoutMs: opts.timeoutMs ?? 180_000, env: opts.env });
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
    return { cli, url };
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
  serve.cli.child.kill('SIGTERM');
  await serve.cli.done;
}
