// `npm run dev`: the renderer from Vite's dev server (hot reload) inside the real Electron shell.
// The built main process loads SHOEBOX_DEV_SERVER_URL instead of shoebox://app, which it honours
// only while unpackaged and only for a loopback address. Main or preload changes need a restart.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'vite';

const require = createRequire(import.meta.url);
// Under plain Node the electron package exports the path of its executable.
const electronPath: unknown = require('electron');
if (typeof electronPath !== 'string') throw new Error('the electron package did not give its executable path');

const server = await createServer({ configFile: 'vite.config.ts', server: { host: '127.0.0.1', strictPort: false } });
await server.listen();
const url = server.resolvedUrls?.local[0];
if (url === undefined) throw new Error('the Vite dev server did not report its address');
process.stdout.write(`Shoebox dev: renderer at ${url}, starting Electron…\n`);

const child = spawn(electronPath, ['.', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, SHOEBOX_DEV_SERVER_URL: url },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => {
  void server.close().finally(() => process.exit(code ?? 1));
});
