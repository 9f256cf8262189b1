import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireWriterLock } from '#core/library/writer-lock.ts';
import { until } from '#support/processes.ts';

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

  /** Writes a lock as a process `pid` would have at `since`. */
  const lockAs = async (pid: number, since: Date): Promise<void> =>
    writeFile(
      join(dir, 'writer.lock'),
      JSON.stringify({ pid, host: hostname(), command: 'shoebox index', since: since.toISOString() }),
    );

  /**
   * A process that never reaps its child: the child exits at once and stays a zombie while the
   * parent runs. Perl (which exiftool brings) reaps nothing unless asked, whatever the timing; a
   * shell may reap a background job itself before it gets to exec.
   */
  async function zombie(): Promise<{ pid: number; stop: () => void }> {
    const code = 'my $pid = fork(); exit 0 if $pid == 0; $| = 1; print "$pid\n"; sleep 60;';
    const parent = spawn('perl', ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    await until(
      async () => /^\d+ \(.*\) Z/.test(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')),
      'the child to become a zombie',
    );
    return { pid, stop: () => parent.kill('SIGKILL') };
  }

  it.runIf(process.platform === 'linux')(
    'takes over at once from a writer that is a zombie (killed, not yet reaped)',
    async () => {
      const held = await zombie();
      try {
        // The pid still answers kill(pid, 0): only its state says it is dead.
        expect(() => process.kill(held.pid, 0)).not.toThrow();
        await lockAs(held.pid, new Date());
        const lock = await acquireWriterLock(dir, 'shoebox index');
        expect((JSON.parse(await readFile(join(dir, 'writer.lock'), 'utf8')) as { pid: number }).pid).toBe(process.pid);
        await lock.release();
      } finally {
        held.stop();
      }
    },
  );

  it.runIf(process.platform === 'linux')(
    'takes over when the pid now belongs to a process started after the lock was written',
    async () => {
      const later = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        await until(
          async () => (await readFile(`/proc/${later.pid}/stat`, 'utf8').catch(() => '')) !== '',
          'the process to start',
        );
        // A lock an hour old naming a pid a process took a moment ago: its writer is long gone.
        await lockAs(later.pid!, new Date(Date.now() - 3_600_000));
        const lock = await acquireWriterLock(dir, 'shoebox index');
        await lock.release();
        // The same process named by a lock written after it started is a live writer.
        await lockAs(later.pid!, new Date());
        await expect(acquireWriterLock(dir, 'shoebox index')).rejects.toMatchObject({ code: 'LIBRARY_LOCKED' });
      } finally {
        later.kill('SIGKILL');
      }
    },
  );
});
