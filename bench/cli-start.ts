// `node bench/cli-start.ts`: how long a CLI command takes from the process starting to its exit,
// for commands that do little besides starting (`--help`; `status` of a library with no model,
// which opens the library and stops at the missing model), beside Node starting alone. Every
// `shoebox` command is a fresh process, so this is paid once a command; the tests pay it at every
// CLI run. Median of 9 runs each, the kinds taking turns.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './machine.ts';

const CLI = fileURLToPath(new URL('../app/main/cli/main.ts', import.meta.url));
const RUNS = 9;

/** Wall time of one process from spawn to exit, in ms. */
function timed(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

const tmp = await mkdtemp(path.join(tmpdir(), 'shoebox-bench-cli-'));
try {
  const kinds: [string, string[]][] = [
    ['node -e 0 (Node alone)', ['-e', '0']],
    ['shoebox --help', [CLI, '--help']],
    ['shoebox status (no model)', [CLI, '--library', path.join(tmp, 'lib'), 'status']],
  ];
  const times = kinds.map((): number[] => []);
  for (const [, args] of kinds) await timed(args);
  for (let r = 0; r < RUNS; r++) for (const [k, [, args]] of kinds.entries()) times[k]!.push(await timed(args));
  for (const [k, [name]] of kinds.entries()) console.log(`${name}: ${median(times[k]!).toFixed(0)} ms`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
