// The layers docs/architecture.md draws, held by the lint and by the import graph itself.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './support/import-graph.ts';

const ROOT = join(import.meta.dirname, '..');

/** Lints `code` as if it were the file at `path` (relative to the repo), with the import rules alone. */
async function importErrors(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    // Type information needs a real file in the project; the import rules need none.
    overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
    ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).map((m) => m.message);
}

// One file of each layer, importing a module of the layer above it (must fail) and one of the
// layer below or beside it (must pass).
const CASES: { file: string; upward: string; allowed: string }[] = [
  { file: 'app/main/core/vectors.ts', upward: './library/library.ts', allowed: './errors.ts' },
  { file: 'app/main/core/decode/x.ts', upward: '../embed/embedder.ts', allowed: '../model/model-folder.ts' },
  { file: 'app/main/core/model/x.ts', upward: '../model-store/catalog.ts', allowed: '../errors.ts' },
  { file: 'app/main/core/store/x.ts', upward: '../index/indexer.ts', allowed: '../library/library.ts' },
  { file: 'app/main/core/model-store/x.ts', upward: '../search/search.ts', allowed: '../model/model-folder.ts' },
  { file: 'app/main/core/search/x.ts', upward: '../albums/albums.ts', allowed: '../index/thumbs.ts' },
  { file: 'app/main/core/albums/tagging/x.ts', upward: '../../engine/engine.ts', allowed: '../../search/search.ts' },
  { file: 'app/main/core/engine/x.ts', upward: '../../service/library-service.ts', allowed: '../albums/albums.ts' },
  { file: 'app/main/service/x.ts', upward: '../ipc/handlers.ts', allowed: '../core/engine/engine.ts' },
  { file: 'app/main/ipc/x.ts', upward: '../server/web-server.ts', allowed: '../service/library-service.ts' },
  { file: 'app/main/server/x.ts', upward: '../cli/main.ts', allowed: '../ipc/handlers.ts' },
];

describe('architecture', () => {
  it.each(CASES)('$file may not import $upward, may import $allowed', async ({ file, upward, allowed }) => {
    const code = (from: string): string => `import { x } from '${from}';\nexport const y = x;\n`;
    const refused = await importErrors(file, code(upward));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/must not import a layer above it/);
    expect(await importErrors(file, code(allowed))).toEqual([]);
  });

  it('keeps electron out of everything but app/main/electron', async () => {
    const code = "import { app } from 'electron';\nexport const y = app;\n";
    expect(await importErrors('app/main/service/x.ts', code)).toHaveLength(1);
    expect(await importErrors('app/main/core/embed/x.ts', code)).toHaveLength(1);
    expect(await importErrors('app/main/electron/x.ts', code)).toEqual([]);
  });

  it('has no import cycle between files in app/', () => {
    const graph = importGraph(join(ROOT, 'app'), ROOT);
    expect(graph.size).toBeGreaterThan(150);
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
