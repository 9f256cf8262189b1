// `npm start` and `npm run dev` run this first (Node 22.18+ runs it as TypeScript directly).
// The electron package downloads its binary in a postinstall step that installs may skip
// (ignore-scripts, allowScripts, offline caches); this fetches it on first run with electron's
// own installer, or says clearly why it could not.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string };

/** The test electron's install.js makes: this version's executable is on disk. */
function installed(): boolean {
  try {
    const distVersion = readFileSync(join(electronDir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '');
    const executable = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    return distVersion === version && existsSync(join(electronDir, 'dist', executable));
  } catch {
    return false;
  }
}

if (!installed()) {
  process.stdout.write(
    `Shoebox: downloading Electron ${version} for ${process.platform}-${process.arch} (first run only)…\n`,
  );
  const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (run.status !== 0 || !installed()) {
    process.stderr.write(`
Shoebox: could not download Electron ${version}.
  Electron's binary comes from GitHub (or $ELECTRON_MIRROR) on first run. Check your network or
  proxy, or set ELECTRON_MIRROR to a mirror you can reach, and try again. To retry by hand:
    node ${join(electronDir, 'install.js')}
  The command line (npm run cli) and the browser shell (npm run serve) work without Electron.
`);
    process.exit(1);
  }
}
