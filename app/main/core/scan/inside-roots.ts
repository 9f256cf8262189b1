import { realpath, stat } from 'node:fs/promises';
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
