import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadBuffers } from '#core/index/read-buffers.ts';

describe('ReadBuffers (real files)', () => {
  let dir: string;
  const files = new Map<string, Buffer>();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-read-'));
    for (const [name, size] of [
      ['small', 1000],
      ['big', 3_500_000],
      ['empty', 0],
      ['mid', 200_000],
    ] as const) {
      const bytes = randomBytes(size);
      files.set(name, bytes);
      await writeFile(join(dir, name), bytes);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads each file whole, byte for byte, into a buffer it reuses once released', async () => {
    const buffers = new ReadBuffers();
    const small = await buffers.read(join(dir, 'small'));
    expect(small.bytes.equals(files.get('small')!)).toBe(true);
    const storage = small.bytes.buffer;
    small.release();
    // A bigger file than the free buffer holds: a new one, and the contents are its own.
    const big = await buffers.read(join(dir, 'big'));
    expect(big.bytes.equals(files.get('big')!)).toBe(true);
    big.release();
    const mid = await buffers.read(join(dir, 'mid'));
    expect(mid.bytes.equals(files.get('mid')!)).toBe(true);
    expect(mid.bytes.buffer).toBe(big.bytes.buffer);
    expect(mid.bytes.buffer).not.toBe(storage);
    // Held buffers are never handed out twice.
    const other = await buffers.read(join(dir, 'small'));
    expect(other.bytes.buffer).not.toBe(mid.bytes.buffer);
    expect(mid.bytes.equals(files.get('mid')!)).toBe(true);
    expect((await buffers.read(join(dir, 'empty'))).bytes).toHaveLength(0);
  });

  it('passes on the system error of a file it cannot read', async () => {
    await expect(new ReadBuffers().read(join(dir, 'gone'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(new ReadBuffers().read(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
