// openInside on real files and links: what is opened must be the file inside a root, checked
// after the open against the open file's own device and inode.
import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInside } from '#core/scan/inside-roots.ts';

describe('openInside', () => {
  let tmp = '';
  let root = '';
  let outside = '';
  const read = async (path: string): Promise<string | null> => {
    const handle = await openInside(path, [root]);
    if (!handle) return null;
    try {
      return (await handle.readFile()).toString();
    } finally {
      await handle.close();
    }
  };

  beforeAll(async () => {
    tmp = await realpath(await mkdtemp(join(tmpdir(), 'shoebox-inside-')));
    root = join(tmp, 'photos');
    outside = join(tmp, 'elsewhere');
    await mkdir(join(root, 'album'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(root, 'album', 'a.jpg'), 'inside');
    await writeFile(join(outside, 'secret.jpg'), 'secret');
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('opens a file inside, and a link that leads inside', async () => {
    expect(await read(join(root, 'album', 'a.jpg'))).toBe('inside');
    await symlink(join(root, 'album', 'a.jpg'), join(root, 'link-in.jpg'));
    expect(await read(join(root, 'link-in.jpg'))).toBe('inside');
  });

  it('opens nothing through a link out, a folder swapped for a link out, a folder or a missing file', async () => {
    await symlink(join(outside, 'secret.jpg'), join(root, 'link-out.jpg'));
    expect(await read(join(root, 'link-out.jpg'))).toBeNull();
    // The folder a photo was indexed in is replaced by a link to somewhere else of the same shape.
    await mkdir(join(outside, 'album'));
    await writeFile(join(outside, 'album', 'b.jpg'), 'secret');
    await mkdir(join(root, 'swapped'));
    await writeFile(join(root, 'swapped', 'b.jpg'), 'inside');
    expect(await read(join(root, 'swapped', 'b.jpg'))).toBe('inside');
    await rename(join(root, 'swapped'), join(tmp, 'moved-away'));
    await symlink(join(outside, 'album'), join(root, 'swapped'));
    expect(await read(join(root, 'swapped', 'b.jpg'))).toBeNull();
    expect(await read(join(root, 'album'))).toBeNull();
    expect(await read(join(root, 'nothing.jpg'))).toBeNull();
  });
});
