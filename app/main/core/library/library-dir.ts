import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The OS's per-user application-data folder for Shoebox, as a desktop app is expected to use. */
export function defaultLibraryDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Shoebox');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Shoebox');
  const dataHome =
    env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(home, '.local', 'share');
  return join(dataHome, 'shoebox');
}

/** `--library DIR` wins, then SHOEBOX_LIBRARY, then the OS default. */
export function resolveLibraryDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  if (env.SHOEBOX_LIBRARY !== undefined && env.SHOEBOX_LIBRARY !== '') return resolve(env.SHOEBOX_LIBRARY);
  return defaultLibraryDir();
}
