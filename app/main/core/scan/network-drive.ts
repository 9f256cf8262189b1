import { statfs } from 'node:fs/promises';

// Linux statfs(2) magic numbers of file systems whose changes fs.watch cannot see: changes
// made by another machine on a network share, and most FUSE mounts.
const NETWORK_FS = new Set<number>([
  0x6969, // NFS
  0x517b, // SMB
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x65735546, // FUSE (sshfs, rclone, ...)
  0x01021997, // 9P
  0x564c, // NCP
  0x73757245, // Coda
  0x47504653, // GPFS
  0x0bd00bd0, // Lustre
]);

/** Whether a folder lives on a network or FUSE mount, where only polling notices changes. */
export async function isNetworkDrive(path: string): Promise<boolean> {
  try {
    const { type } = await statfs(path);
    return NETWORK_FS.has(type >>> 0);
  } catch {
    return false;
  }
}

/** Errors that mean the OS ran out of file watches or handles, not that the folder is bad. */
export function isWatchLimitError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EMFILE' || code === 'ENFILE' || /ENOSPC|EMFILE|ENFILE/.test(err.message);
}
