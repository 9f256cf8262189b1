// Builds the Electron bundles with the project's own vite.electron.config.ts into a throwaway
// folder under dist/ (inside the repo, so bundled code still finds node_modules), for tests.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Built {
  dir: string;
  remove(): Promise<void>;
}

/** `mode` as in `npm run build:electron`: 'production' (main + worker) or 'preload'. */
export async function buildElectron(mode: 'production' | 'preload'): Promise<Built> {
  const parent = join(ROOT, 'dist');
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `.test-electron-${mode}-`));
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.electron.config.ts'),
    mode,
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
