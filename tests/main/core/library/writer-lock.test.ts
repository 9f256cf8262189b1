import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireWriterLock } from '#core/library/writer-lock.ts';

const lockModule = new URL('../../../../app/main/core/library/writer-lock.ts', import.meta.url).pathname;

/** Another real process that takes the lock and then waits to be killed. */
function holdLockInChild(dir: string): Promise<{ pid: number; kill: (signal: NodeJS.Signals) => Promise<void> }> {
  const code = `import { acquireWriterLock } from ${JSON.stringify(lockModule)}; await acquireWriterLock(${JSON.stringify(dir)}, 'shoebox watch'); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) {
        resolve({
          pid: child.pid!,
          kill: (signal) =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill(signal);
            }),
        });
      }
    });
    child.once('exit', (c) => reject(new Error(`child exited early (${String(c)})`)));
  });
}

describe('acquireWriterLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-lock-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuses a second writer, naming the first, and frees the lock on release', async () => {
    const first = await acquireWriterLock(dir, 'shoebox index');
    await expect(acquireWriterLock(dir, 'shoebox add')).rejects.toThrow(
      /being changed by another Shoebox process \(pid \d+ .*"shoebox index"/,
    );
    await first.release();
    const again = await acquireWriterLock(dir, 'shoebox add');
    await again.release();
    await expect(stat(join(dir, 'writer.lock'))).rejects.toThrow();
  });

  it('refuses while another live process holds it, and takes over after that process is killed -9', async () => {
    const child = await holdLockInChild(dir);
    const owner = JSON.parse(await readFile(join(dir, 'writer.lock'), 'utf8')) as { pid: number };
    expect(owner.pid).toBe(child.pid);
    await expect(acquireWriterLock(dir, 'shoebox index')).rejects.toMatchObject({ code: 'LIBRARY_LOCKED' });
    await child.kill('SIGKILL');
    const lock = await acquireWriterLock(dir, 'shoebox index');
    const now = JSON.parse(await readFile(join(dir, 'writer.lock'), 'utf8')) as { pid: number };
    expect(now.pid).toBe(process.pid);
    await lock.release();
  });
});
