import { chmod, mkdir, mkdtemp, readdir, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ShoeboxError } from '#core/errors.ts';
import { scanRoot } from '#core/scan/scan-root.ts';
import type { FoundFile, ScanOptions } from '#core/scan/scan-root.ts';

let base: string;
let root: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'shoebox-scan-'));
  root = join(base, 'photos');
  await mkdir(root);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function put(rel: string, content = 'x'): Promise<void> {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

async function collect(opts?: ScanOptions, from = root): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  for await (const file of scanRoot(from, opts)) out.push(file);
  return out;
}

/** Paths relative to the root, sorted, so assertions do not depend on walk order. */
function rels(files: FoundFile[], from = root): string[] {
  return files.map((f) => f.path.slice(from.length + 1)).sort();
}

describe('scanRoot', () => {
  it('walks nested folders and matches photo extensions case-insensitively', async () => {
    await put('top.jpeg');
    await put('a/IMG_1.JPG');
    await put('a/b/c/a.Png');
    await put('a/b/d.HEIC');
    await put('a/b/notes.txt');
    await put('a/b/clip.MP4');
    await put('a/b/song.mp3');
    await put('a/noext');
    await put('a/jpg');

    expect(rels(await collect())).toEqual(['a/IMG_1.JPG', 'a/b/c/a.Png', 'a/b/clip.MP4', 'a/b/d.HEIC', 'top.jpeg']);
  });

  it('reports absolute paths with the size and mtime of each file', async () => {
    await put('x/one.jpg', '12345');
    const [file] = await collect();
    const expected = await stat(join(root, 'x/one.jpg'));
    expect(file).toEqual({ path: join(root, 'x/one.jpg'), size: 5, mtimeMs: expected.mtimeMs });
  });

  it('skips hidden and system files and folders', async () => {
    await put('ok.jpg');
    await put('.hidden.jpg');
    await put('._ok.jpg'); // AppleDouble companion
    await put('.cache/x.jpg');
    await put('.Trashes/x.jpg');
    await put('@eaDir/ok.jpg/SYNOPHOTO_THUMB_XL.jpg');
    await put('$RECYCLE.BIN/x.jpg');
    await put('System Volume Information/x.jpg');
    await put('__MACOSX/x.jpg');
    await put('lost+found/x.jpg');
    await put('sub/Thumbs.db');
    await put('sub/.DS_Store');
    await put('sub/real.png');

    expect(rels(await collect())).toEqual(['ok.jpg', 'sub/real.png']);
  });

  it('terminates on a symlink loop and yields each file once', async () => {
    await put('y.jpg');
    await put('dir/x.jpg');
    await symlink('..', join(root, 'dir/link'));
    await symlink('.', join(root, 'dir/self'));

    expect(rels(await collect())).toEqual(['dir/x.jpg', 'y.jpg']);
  });

  it('prefers the direct path when a link points at a folder inside the root', async () => {
    await put('real/x.jpg');
    // Named so it sorts (and would be listed) before the folder it points to.
    await symlink(join(root, 'real'), join(root, 'alias'));
    expect(rels(await collect())).toEqual(['real/x.jpg']);
  });

  it('follows symlinks to folders and files outside the root', async () => {
    const outside = join(base, 'elsewhere');
    await mkdir(join(outside, 'deep'), { recursive: true });
    await writeFile(join(outside, 'deep/o.jpg'), 'o');
    await writeFile(join(outside, 'single.webp'), 's');
    await symlink(outside, join(root, 'linked'));
    await symlink(join(outside, 'single.webp'), join(root, 'pic.webp'));

    expect(rels(await collect())).toEqual(['linked/deep/o.jpg', 'linked/single.webp', 'pic.webp']);
  });

  it('does not follow links that lead outside the folders given as `within`', async () => {
    const outside = join(base, 'private');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'secret.jpg'), 's');
    await writeFile(join(root, 'inside.jpg'), 'i');
    await mkdir(join(root, 'real'), { recursive: true });
    await writeFile(join(root, 'real/r.jpg'), 'r');
    await symlink(outside, join(root, 'to-private'));
    await symlink(join(outside, 'secret.jpg'), join(root, 'secret-link.jpg'));
    await symlink(join(root, 'real/r.jpg'), join(root, 'r-link.jpg'));
    const found: string[] = [];
    for await (const f of scanRoot(root, { within: [await realpath(root)] })) found.push(f.path.slice(root.length + 1));
    expect(found.sort()).toEqual(['inside.jpg', 'r-link.jpg', 'real/r.jpg']);
  });

  it('reports broken symlinks through onError and carries on', async () => {
    await put('ok.jpg');
    await symlink(join(base, 'gone.jpg'), join(root, 'dangling.jpg'));
    await symlink('looped', join(root, 'looped')); // ELOOP on stat
    const errors: { path: string; code: unknown }[] = [];

    const found = await collect({
      onError: (path, err) => errors.push({ path, code: (err as NodeJS.ErrnoException).code }),
    });

    expect(rels(found)).toEqual(['ok.jpg']);
    expect(errors.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: join(root, 'dangling.jpg'), code: 'ENOENT' },
      { path: join(root, 'looped'), code: 'ELOOP' },
    ]);
  });

  it('reports an unreadable subfolder through onError and carries on', async () => {
    await put('ok.jpg');
    await put('locked/inside.jpg');
    await chmod(join(root, 'locked'), 0o000);
    const errors: { path: string; code: unknown }[] = [];
    const onError = (path: string, err: Error): void => {
      errors.push({ path, code: (err as NodeJS.ErrnoException).code });
    };

    try {
      const { found, lockWorks } = await withoutRootPrivileges(async () => ({
        found: await collect({ onError }),
        lockWorks: await readdir(join(root, 'locked')).then(
          () => false,
          () => true,
        ),
      }));
      if (lockWorks) {
        expect(rels(found)).toEqual(['ok.jpg']);
        expect(errors).toEqual([{ path: join(root, 'locked'), code: 'EACCES' }]);
      } else {
        // Privileges could not be dropped (root with no way to switch users): mode 000 does
        // not stop this process, so the folder is simply read. The broken-symlink test above
        // still covers the error path.
        expect(rels(found)).toEqual(['locked/inside.jpg', 'ok.jpg']);
        expect(errors).toEqual([]);
      }
    } finally {
      await chmod(join(root, 'locked'), 0o755);
    }
  });

  it('throws ROOT_MISSING for a root that does not exist or is not a folder', async () => {
    await expect(collect(undefined, join(base, 'nope'))).rejects.toMatchObject({ code: 'ROOT_MISSING' });
    await put('file.jpg');
    const err: unknown = await collect(undefined, join(root, 'file.jpg')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShoeboxError);
    expect(err).toMatchObject({ code: 'ROOT_MISSING' });
  });

  it('stops when the signal aborts', async () => {
    for (let d = 0; d < 10; d++) {
      for (let f = 0; f < 10; f++) await put(`d${d}/f${f}.jpg`);
    }
    const controller = new AbortController();
    const seen: FoundFile[] = [];
    const walk = async (): Promise<void> => {
      for await (const file of scanRoot(root, { signal: controller.signal })) {
        seen.push(file);
        if (seen.length === 5) controller.abort();
      }
    };

    await expect(walk()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(5);
    await expect(collect({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/**
 * Tests run as root in CI containers, where mode 000 blocks nothing. Drop the effective uid
 * to `nobody` for the duration (reversible because the real uid stays 0) so the permission
 * check is real; elsewhere just run `fn`.
 */
async function withoutRootPrivileges<T>(fn: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0 || !process.seteuid) return fn();
  await chmod(base, 0o755); // mkdtemp makes it 0700: nobody could not even reach the root
  try {
    process.seteuid(65534);
  } catch {
    return fn();
  }
  try {
    return await fn();
  } finally {
    process.seteuid(0);
  }
}
