// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // The engine runs under plain Node and in Electron's utility process: it must never import
    // electron or anything from the front ends that sit on top of it.
    files: ['app/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'app/main/core runs under plain Node: no electron.' },
          { group: ['**/cli/**', '**/renderer/**', '**/preload/**'], message: 'core must not depend on its front ends.' },
        ],
      }],
    },
  },
  {
    files: ['app/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['node:*', 'electron', '**/main/**', '**/renderer/**'], message: 'app/shared is imported by every side: no node, no electron, no side-specific code.' }],
      }],
    },
  },
);
