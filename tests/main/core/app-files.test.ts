import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { appFile, appRoot } from '#core/app-files.ts';

describe('appFile', () => {
  it('finds the project from the sources: its package.json and the shipped catalogues', async () => {
    expect(JSON.parse(await readFile(appFile('package.json'), 'utf8'))).toMatchObject({ name: 'shoebox' });
    expect(existsSync(appFile('resources', 'models', 'catalog.json'))).toBe(true);
    expect(existsSync(appFile('resources', 'models', 'text-languages.json'))).toBe(true);
    expect(appFile('dist', 'renderer').startsWith(appRoot())).toBe(true);
  });
});
