// The app's own files (resources/models, dist/renderer) are found from the folder that holds the
// project's package.json, not by a fixed number of `..` from the code: the same code runs from its
// sources (app/main/core/…) and from bundles (dist/electron/, dist/cli/), at different depths. A
// fixed path from the sources pointed the Electron bundle outside the project.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding the app's package.json: the project in a checkout, app.asar when packaged. */
export function appRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}: the app's files cannot be found`);
  }
}

/** A path under the app's root (`appFile('resources', 'models', 'catalog.json')`). */
export const appFile = (...parts: string[]): string => join(appRoot(), ...parts);
