import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Whether the file really lives inside one of the roots once symlinks are resolved: what keeps
 * a link in a photo folder from making Shoebox read or serve a file from elsewhere.
 */
export async function resolvesInside(path: string, roots: readonly string[]): Promise<boolean> {
  const real = await realpath(path).catch(() => null);
  return real !== null && roots.some((r) => isInside(real, r));
}

/** A folder that is there now: how a root is told online from unplugged or unmounted. */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/**
 * Opens a file for reading only if the file opened is the one that lives inside a root. Checking
 * a path and opening it afterwards is a race (a folder swapped for a link in between), so the
 * check is made again after the open, against the open file itself: its device and inode must be
 * those of the checked path, which must still be its own real path. The last component is opened
 * with O_NOFOLLOW where the platform has it. Null when the file is not there or not inside.
 */
export async function openInside(path: string, roots: readonly string[]): Promise<FileHandle | null> {
  const real = await realpath(path).catch(() => null);
  if (real === null || !roots.some((r) => isInside(real, r))) return null;
  const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => null);
  if (!handle) return null;
  try {
    const opened = await handle.stat();
    const stillReal = (await realpath(real).catch(() => null)) === real;
    const now = stillReal ? await stat(real).catch(() => null) : null;
    if (opened.isFile() && now !== null && now.dev === opened.dev && now.ino === opened.ino) return handle;
  } catch {
    // Treated as not inside.
  }
  await handle.close();
  return null;
}
