import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { poolSizeFor } from '#core/decode/thread-pool.ts';

const MODULE = new URL('../../../../app/main/core/decode/thread-pool.ts', import.meta.url).pathname;

function poolSizeInFreshNode(env: NodeJS.ProcessEnv): string {
  const script = `await import(${JSON.stringify(MODULE)}); process.stdout.write(process.env.UV_THREADPOOL_SIZE ?? 'unset');`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
}

describe('libuv thread pool size', () => {
  it('gives every core a decode thread, never fewer than libuv’s own 4', () => {
    expect(poolSizeFor(1)).toBe(4);
    expect(poolSizeFor(2)).toBe(4);
    expect(poolSizeFor(16)).toBe(18);
    expect(poolSizeFor(4096)).toBe(1024);
  });

  it('is set by importing the module, before the pool starts', () => {
    const env = { ...process.env };
    delete env.UV_THREADPOOL_SIZE;
    expect(poolSizeInFreshNode(env)).toBe(String(poolSizeFor(availableParallelism())));
  });

  it('leaves a size the user chose alone', () => {
    expect(poolSizeInFreshNode({ ...process.env, UV_THREADPOOL_SIZE: '7' })).toBe('7');
  });

  // Importing sharp starts libuv's pool, after which the size can no longer change: the module
  // only works where it is evaluated before anything that imports sharp.
  it.each([
    'app/main/cli/main.ts',
    'app/main/electron/main.ts',
    'app/main/core/decode/decode-process.ts',
    'bench/task.ts',
  ])('is the first import of %s', (file) => {
    const source = readFileSync(new URL(`../../../../${file}`, import.meta.url), 'utf8');
    const firstImport = /^import\s.*$/m.exec(source)?.[0];
    expect(firstImport).toMatch(/^import '(?:[./]+(?:app\/main\/)?core\/decode\/|\.\/)thread-pool\.ts';$/);
  });
});
