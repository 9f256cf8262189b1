import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ShoeboxError } from '../errors.ts';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface WriterLock {
  release(): Promise<void>;
}

const LOCK_FILE = 'writer.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/**
 * One writer per library. LanceDB lets readers see consistent snapshots while one process
 * writes, but two writers could interleave their own bookkeeping (settings, index builds), so a
 * second writer is refused with a message naming the first. A lock left by a process that died
 * (kill -9, power loss) on this host is taken over.
 */
export async function acquireWriterLock(libraryDir: string, command: string): Promise<WriterLock> {
  const path = join(libraryDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      const onExit = (): void => rmSync(path, { force: true });
      process.once('exit', onExit);
      return {
        release: async () => {
          process.off('exit', onExit);
          await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(path);
    const stale = owner === null ? attempt > 0 : owner.host === me.host && !isAlive(owner.pid);
    if (!stale) {
      const who =
        owner === null
          ? 'another Shoebox process'
          : `another Shoebox process (pid ${owner.pid} on ${owner.host}, "${owner.command}", since ${owner.since})`;
      throw new ShoeboxError(
        'LIBRARY_LOCKED',
        `the library at ${libraryDir} is being changed by ${who}. Searching still works; try again when it has finished, or stop it first.`,
      );
    }
    await rm(path, { force: true });
    // A lock file still being written by its owner reads as empty: wait a moment before taking it.
    if (owner === null) await new Promise((r) => setTimeout(r, 100));
  }
  throw new ShoeboxError('LIBRARY_LOCKED', `could not take the writer lock of ${libraryDir}`);
}
