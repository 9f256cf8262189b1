// `node bench/decode-ipc.ts`: what handing a photo to the decode process costs, by its bytes over
// IPC or by naming the file for the decode process to read itself (decode/file-source.ts, what the
// indexer does). 30 of the bench's 12 MP JPEGs, all in flight at once, three rounds alternating;
// CPU of this process (read, hash-free) and of the decode process (from /proc), per photo. Linux.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecodeClient } from '../app/main/core/decode/decoder.ts';
import type { DecodeOptions } from '../app/main/core/decode/decode-photo.ts';
import { sourceOf } from '../app/main/core/decode/file-source.ts';
import { ensurePhotos, photoFiles } from './photos.ts';

const COUNT = 30;
const files = photoFiles(await ensurePhotos(COUNT), COUNT);
const tmp = await mkdtemp(join(tmpdir(), 'shoebox-bench-decode-ipc-'));
/** utime + stime of a process in ms (the kernel counts 100 ticks a second). */
const cpuMs = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const opts = (i: number): DecodeOptions => ({
  preprocess: {
    resize: { mode: 'shortest_edge', shortestEdge: 224 },
    crop: { width: 224, height: 224 },
    resample: 'cubic',
    rescaleFactor: null,
    mean: null,
    std: null,
  },
  inputSize: { width: 224, height: 224 },
  thumbFile: join(tmp, `${i}.webp`),
});

for (let round = 0; round < 3; round++) {
  for (const mode of ['bytes', 'file'] as const) {
    const client = new DecodeClient();
    await client.photo(await readFile(files[0]!), opts(0)); // the process started and warm
    const pid = client.pid!;
    const [mine, theirs, t0] = [process.cpuUsage(), cpuMs(pid), performance.now()];
    await Promise.all(
      files.map(async (f, i) => {
        const bytes = await readFile(f);
        return client.photo(bytes, opts(i), mode === 'file' ? sourceOf(f, await stat(f)) : undefined);
      }),
    );
    const wall = performance.now() - t0;
    const used = process.cpuUsage(mine);
    const per = (ms: number): string => (ms / COUNT).toFixed(1);
    console.log(
      `${mode.padEnd(5)}: this process ${per((used.user + used.system) / 1000)} ms, decode process ${per(cpuMs(pid) - theirs)} ms, wall ${per(wall)} ms a photo`,
    );
    await client.close();
  }
}
await rm(tmp, { recursive: true, force: true });
