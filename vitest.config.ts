import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Tests spawn the CLI and the inference process from TypeScript sources, which needs Node 22's type
// stripping. npm scripts put node_modules/.bin (the `node` devDependency) first on PATH.
if (Number(process.versions.node.split('.')[0]) < 22) {
  throw new Error(
    `Shoebox tests need Node 22+, this is ${process.version}: run them with "npm test" or put node_modules/.bin first on PATH`,
  );
}

export default defineConfig({
  // Renderer state is Svelte rune classes (*.svelte.ts); tests of renderer services import them.
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['tests/**/*.test.ts'],
    // The CLI the tests start, bundled from the sources now (tests/support/build-cli.ts).
    globalSetup: ['tests/support/build-cli.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files that spawn onnxruntime sessions and sharp pools contend, so cap parallelism.
    maxWorkers: 2,
    pool: 'forks',
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
