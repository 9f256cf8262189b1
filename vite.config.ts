// Builds the Svelte renderer into dist/renderer. The same output is loaded by Electron (from its
// shoebox://app/ protocol) and by `shoebox serve` (from http://127.0.0.1:PORT/), so every asset
// URL is relative (base './').
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import type { ProxyOptions } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * `SHOEBOX_SERVE=http://127.0.0.1:47000 npm run dev:renderer` proxies the API and media of a
 * running `shoebox serve` so the renderer can be developed with hot reload. The server refuses
 * foreign origins, so the browser's Origin header is dropped on the way through.
 */
function apiProxy(target: string | undefined): Record<string, ProxyOptions> | undefined {
  if (!target) return undefined;
  const base: ProxyOptions = {
    target,
    changeOrigin: true,
    configure: (proxy) => {
      proxy.on('proxyReq', (req) => req.removeHeader('origin'));
      proxy.on('proxyReqWs', (req) => req.removeHeader('origin'));
    },
  };
  return { '/api/events': { ...base, ws: true }, '/api': base, '/media': base };
}

export default defineConfig({
  root: here('./app/renderer'),
  base: './',
  // Svelte options live here, not in a svelte.config.js: TypeScript in components needs no preprocessor.
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // One small app: a single chunk loads fastest from a local protocol.
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: apiProxy(process.env.SHOEBOX_SERVE) },
});
