// The desktop app's command line: where the library and the CLIP model are. Pure, for tests.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveLibraryDir } from '../core/library/library-dir.ts';

export interface LaunchOptions {
  libraryDir: string;
  /** Undefined: the model folder the library last used. */
  modelDir?: string;
}

/**
 * `--library DIR` / SHOEBOX_LIBRARY / the OS default, and `--model DIR` / SHOEBOX_MODEL / the
 * library's own setting, as in the CLI. `args` are the user's arguments (Electron's argv minus
 * the executable and, unpackaged, the app path); Chromium switches among them are ignored.
 */
export function launchOptions(args: readonly string[], env: NodeJS.ProcessEnv = process.env): LaunchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: { library: { type: 'string' }, model: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const library = typeof values.library === 'string' ? values.library : undefined;
  const model = typeof values.model === 'string' && values.model !== '' ? values.model : env.SHOEBOX_MODEL;
  const libraryDir = resolveLibraryDir(library, env);
  return model !== undefined && model !== '' ? { libraryDir, modelDir: resolve(model) } : { libraryDir };
}
