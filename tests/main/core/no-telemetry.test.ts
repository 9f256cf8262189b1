// onnxruntime's telemetry uploader stays off in every process that loads the runtime: the
// variable is set before the runtime loads (the privacy test watches the result at the
// system-call level; this pins the order that makes it so, which that test sees only by chance).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MODULE = new URL('../../../app/main/core/no-telemetry.ts', import.meta.url).pathname;
const imports = (file: string): string[] =>
  [...readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8').matchAll(/^import\s.*$/gm)].map((m) => m[0]);

describe('onnxruntime telemetry', () => {
  it('is switched off by importing the module, whatever the environment said', () => {
    const script = `await import(${JSON.stringify(MODULE)}); process.stdout.write(process.env.ORT_DISABLE_TELEMETRY ?? 'unset');`;
    const run = (env: NodeJS.ProcessEnv): string =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
    const env = { ...process.env };
    delete env.ORT_DISABLE_TELEMETRY;
    expect(run(env)).toBe('1');
    expect(run({ ...env, ORT_DISABLE_TELEMETRY: '0' })).toBe('1');
  });

  it('is switched off before anything loads the runtime, in each entry point', () => {
    expect(imports('app/main/core/embed/inference-process.ts')[0]).toBe("import '../no-telemetry.ts';");
    for (const entry of ['app/main/cli/main.ts', 'app/main/electron/main.ts', 'bench/task.ts']) {
      const [first, second] = imports(entry);
      // Second only to the thread-pool size, which must come first and loads nothing.
      expect(first, entry).toMatch(/thread-pool\.ts';$/);
      expect(second, entry).toMatch(/^import '[./]+(?:app\/main\/)?core\/no-telemetry\.ts';$/);
    }
  });
});
