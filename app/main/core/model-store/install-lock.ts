// One install or import per model at a time: two processes writing one staging folder would
// interleave bytes into the same .partial files.
import { open, readFile, rm } from 'node:fs/promises';
import { ShoeboxError } from '../errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the lock at `path`, when that process is still running. */
export async function lockHolder(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
}

/** Takes the lock (a file holding our pid); a lock left by a process that died is taken over. */
export async function acquireInstallLock(path: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await lockHolder(path);
      if (holder !== null)
        throw new ShoeboxError(
          'LIBRARY_LOCKED',
          `another Shoebox process (pid ${holder}) is installing ${what}; wait for it to finish or stop it`,
        );
      await rm(path, { force: true });
    }
  }
  throw new ShoeboxError('LIBRARY_LOCKED', `cannot take the install lock ${path}`);
}
