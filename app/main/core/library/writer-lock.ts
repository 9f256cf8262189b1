import { hostname } from 'node:os';
import { open, readFile, rm } from 'node:fs/promises';
import { readFileSync, rmSync } from 'node:fs';
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

// Linux reports process start times in clock ticks since boot; USER_HZ is 100 on every
// architecture Linux exports to user space.
const TICKS_PER_SECOND = 100;
// A lock's `since` is written just after its process started; allow for a slow start.
const START_SLACK_MS = 5000;

/**
 * What /proc says of `pid` on Linux: whether it is a zombie (dead, only waiting for its parent to
 * reap it; a container whose first process never reaps keeps it so for ever) and when it started;
 * null elsewhere or when it cannot be read.
 */
function procState(pid: number): { zombie: boolean; startedAt: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces or parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const startTicks = Number(fields[19]);
    if (!Number.isFinite(bootTime) || !Number.isFinite(startTicks)) return null;
    return {
      zombie: fields[0] === 'Z' || fields[0] === 'X',
      startedAt: (bootTime + startTicks / TICKS_PER_SECOND) * 1000,
    };
  } catch {
    return null;
  }
}

/**
 * Whether the process that wrote a lock still runs: its pid answers, is not a zombie, and did not
 * start after the lock was written (then the pid was reused by another process).
 */
function isAlive(owner: LockOwner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM means the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const proc = procState(owner.pid);
  if (!proc) return true;
  const since = Date.parse(owner.since);
  return !proc.zombie && !(Number.isFinite(since) && proc.startedAt > since + START_SLACK_MS);
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
    const stale = owner === null ? attempt > 0 : owner.host === me.host && !isAlive(owner);
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
