// Vitest's global setup: builds the command line (`npm run build:cli`, into dist/cli) before any
// test file runs, so the CLI the tests start is always the one the sources make now. The tests
// run that bundle, not the sources: each command starts in about half the time (no type
// stripping, one module graph), and tests start the CLI several hundred times.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `npm run build:cli`: the CLI and its worker entries into dist/cli (tests' CLI_SCRIPT, benches). */
export async function buildCli(): Promise<void> {
  await build({ root: ROOT, configFile: join(ROOT, 'vite.electron.config.ts'), mode: 'cli', logLevel: 'warn' });
}

export default buildCli;
