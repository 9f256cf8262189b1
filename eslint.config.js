// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of app/main, lowest first (docs/architecture.md draws them). A file may import from
 * its own layer and those below, never from one above: each layer gets a rule that names every
 * folder above it. Inside core a name is a folder of app/main/core (or a file at its top); above
 * core, a folder of app/main.
 */
const CORE_LAYERS = [
  [
    'errors.ts',
    'vectors.ts',
    'int16-dots.ts',
    'pixels.ts',
    'asar-path.ts',
    'app-files.ts',
    'child-process.ts',
    'no-telemetry.ts',
  ],
  ['library', 'scan', 'decode', 'model', 'places', 'ocr', 'faces'],
  ['embed', 'store', 'model-store'],
  ['index', 'search', 'browse'],
  ['albums'],
  ['engine'],
];
const APP_LAYERS = [['core'], ['service'], ['ipc'], ['server'], ['cli', 'electron']];

const FRONT_ENDS = ['**/renderer/**', '**/preload/**'];

function restrict(files, forbidden, message) {
  const patterns = [{ group: forbidden, message }];
  return { files, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

function layerRules() {
  const above = (layers, k) => layers.slice(k + 1).flat();
  const appAbove = (k) => above(APP_LAYERS, k).map((name) => `**/${name}/**`);
  const core = CORE_LAYERS.map((layer, k) => {
    const files = layer.map((name) =>
      name.endsWith('.ts') ? `app/main/core/${name}` : `app/main/core/${name}/**/*.ts`,
    );
    // A file at core's top sees folders as `./name/…`.
    const forbidden = above(CORE_LAYERS, k).flatMap((name) =>
      name.endsWith('.ts') ? [`**/${name}`] : [`**/${name}/**`, `./${name}/**`],
    );
    const message = `app/main/core layer ${k} (${layer.join(', ')}) must not import a layer above it: see docs/architecture.md.`;
    return restrict(
      files,
      [...new Set([...forbidden, ...appAbove(0), ...FRONT_ENDS, 'electron', 'electron/*'])],
      message,
    );
  });
  const app = APP_LAYERS.slice(1).flatMap((layer, i) =>
    layer.map((name) => {
      // The service runs under `shoebox serve` as well as Electron: only app/main/electron imports electron.
      const electron = name === 'electron' ? [] : ['electron', 'electron/*'];
      const message = `app/main/${name} must not import a layer above it: see docs/architecture.md.`;
      return restrict([`app/main/${name}/**/*.ts`], [...appAbove(i + 1), ...FRONT_ENDS, ...electron], message);
    }),
  );
  return [...core, ...app];
}

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'artifacts/', 'bin/', '.cache/', '**/.cache/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  ...layerRules(),
  {
    files: ['app/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '**/main/**', '**/renderer/**'],
              message: 'app/shared is imported by every side: no node, no electron, no side-specific code.',
            },
          ],
        },
      ],
    },
  },
);
