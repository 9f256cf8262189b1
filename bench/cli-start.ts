// `node bench/cli-start.ts`: how long a CLI command takes from the process starting to its exit,
// run from the TypeScript sources (`npm run cli`) and from the bundle (`npm run build:cli`, which
// the tests run): `--help`; `status` of a library with no model, which opens the library and stops
// at the missing model; and `search` in a library of two photos, which also starts the inference
// process. Node starting alone beside them. Every `shoebox` command is a fresh process, so this
// is paid once a command; the tests pay it at every CLI run. Median of 9 runs each, the kinds
// taking turns.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../tests/support/build-cli.ts';
import { CLI_SCRIPT as BUNDLE } from '../tests/support/cli.ts';
import { makeTestModel } from '../tests/support/test-model.ts';
import { solid, writePhoto } from '../tests/support/photos.ts';
import { median } from './machine.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = path.join(ROOT, 'app', 'main', 'cli', 'main.ts');
const RUNS = 9;

/**
 * Wall time of one process from spawn to exit, in ms; a command that exits otherwise than
 * `exitCode` stops the bench (`status` without a model exits 1, having said so).
 */
function timed(args: readonly string[], exitCode = 0): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === exitCode ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')}: exit ${code}`)),
    );
  });
}

await buildCli();
const tmp = await mkdtemp(path.join(tmpdir(), 'shoebox-bench-cli-'));
try {
  const photos = path.join(tmp, 'photos');
  await mkdir(photos);
  await writePhoto(path.join(photos, 'red.jpg'), solid([220, 20, 20]));
  await writePhoto(path.join(photos, 'blue.jpg'), solid([20, 20, 220]));
  const lib = path.join(tmp, 'two');
  await timed([BUNDLE, '--library', lib, '--model', await makeTestModel(path.join(tmp, 'model')), 'add', photos]);
  await timed([BUNDLE, '--library', lib, 'index']);
  const kinds: [string, string[], number?][] = [['node -e 0 (Node alone)', ['-e', '0']]];
  for (const [from, cli] of [
    ['sources', SOURCES],
    ['bundle', BUNDLE],
  ] as const)
    kinds.push(
      [`shoebox --help, ${from}`, [cli, '--help']],
      [`shoebox status (no model), ${from}`, [cli, '--library', path.join(tmp, 'empty'), 'status'], 1],
      [`shoebox search red (two photos), ${from}`, [cli, '--library', lib, 'search', 'red']],
    );
  const times = kinds.map((): number[] => []);
  for (const [, args, code] of kinds) await timed(args, code);
  for (let r = 0; r < RUNS; r++)
    for (const [k, [, args, code]] of kinds.entries()) times[k]!.push(await timed(args, code));
  for (const [k, [name]] of kinds.entries()) console.log(`${name}: ${median(times[k]!).toFixed(0)} ms`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
