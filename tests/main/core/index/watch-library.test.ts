import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkDrive, isWatchLimitError } from '#core/scan/network-drive.ts';
import { CLI_SCRIPT, cliFor, eventually, jsonOutput, startCli } from '#support/cli.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

describe('watching when the OS runs out of file watches', () => {
  let tmp: string;
  let model: string;
  let cli: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-enospc-'));
    model = await makeTestModel(join(tmp, 'model'));
    // More folders than the watch limit set below: native watching cannot cover them all.
    for (let i = 0; i < 40; i++) await mkdir(join(tmp, 'photos', `d${i}`), { recursive: true });
    await writePhoto(join(tmp, 'photos', 'd0', 'red.jpg'), solid(COLOURS.red!));
    await writePhoto(join(tmp, 'spare-blue.jpg'), solid(COLOURS.blue!, 90, 70));
    cli = cliFor(join(tmp, 'library'), model);
    expect((await cli('add', join(tmp, 'photos'))).code).toBe(0);
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('says so, falls back to polling for that root and keeps indexing new photos', async () => {
    // A user namespace gets its own inotify limit, so this test lowers it for the watcher alone
    // (the real kernel limit, not a simulated error) without touching the rest of the machine.
    execFileSync('unshare', ['-U', '-r', 'true']);
    const script = `echo 20 > /proc/sys/user/max_inotify_watches && exec "${process.execPath}" "${CLI_SCRIPT}" --library "${join(tmp, 'library')}" --model "${model}" watch`;
    // unshare and sh exec in place, so the signal below reaches the CLI itself.
    const run = startCli([], { command: ['unshare', '-U', '-r', 'sh', '-c', script], timeoutMs: 90_000 });
    try {
      await run.waitForStderr(
        /ran out of file watches for .*photos \(ENOSPC\); watching it by polling instead/,
        30_000,
      );
      await run.waitForStderr(/watching for changes/, 30_000);
      await copyFile(join(tmp, 'spare-blue.jpg'), join(tmp, 'photos', 'd33', 'blue.jpg'));
      const hit = await eventually(
        async () => {
          const hits = jsonOutput(await cli('search', 'blue', '--json', '--limit', '1')) as { path: string }[];
          return hits[0]?.path.endsWith('d33/blue.jpg') ? hits[0] : undefined;
        },
        30_000,
        'the new photo to be indexed through polling',
      );
      expect(hit.path).toBe(join(tmp, 'photos', 'd33', 'blue.jpg'));
    } finally {
      run.child.kill('SIGINT');
      await run.done;
    }
  }, 90_000);
});

describe('watch limits and network drives', () => {
  it('recognises the errors of running out of watches or handles', () => {
    expect(isWatchLimitError(Object.assign(new Error('watch failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isWatchLimitError(new Error('EMFILE: too many open files, watch'))).toBe(true);
    expect(isWatchLimitError(Object.assign(new Error('nope'), { code: 'EACCES' }))).toBe(false);
  });

  it('treats a local disk as local', async () => {
    expect(await isNetworkDrive(tmpdir())).toBe(false);
  });
});
