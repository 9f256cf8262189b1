// Engine.watch watches the folders before its first index runs: a photo added while that index
// finishes (after its scan, while it builds indexes and tags) is a change the watcher applies
// after it, not one that falls between the index and the watching until the next start.
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '#core/engine/engine.ts';
import { solid, writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';

describe('Engine.watch (real chokidar, sharp, onnxruntime, LanceDB)', () => {
  let tmp = '';
  let modelDir = '';
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-engine-watch-'));
    modelDir = await makeTestModel(join(tmp, 'model'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('indexes a photo added while the first index is finishing', async () => {
    const photos = join(tmp, 'photos');
    await mkdir(photos);
    await writePhoto(join(photos, 'red.jpg'), solid(COLOURS.red!));
    const blue = await solid(COLOURS.blue!, 90, 70).jpeg().toBuffer();
    const engine = await Engine.open(
      { libraryDir: join(tmp, 'library'), modelDir, threads: 1 },
      { write: true, command: 'test' },
    );
    await engine.addRoot(photos);
    const controller = new AbortController();
    let added = false;
    let failTimer: NodeJS.Timeout | undefined;
    const indexed = new Promise<void>((resolve, reject) => {
      failTimer = setTimeout(
        () => reject(new Error('the photo added as the first index finished was never indexed')),
        45_000,
      );
      const watching = engine.watch({
        signal: controller.signal,
        onProgress: (p) => {
          // Written at once, as the first index reports its scan done and goes on to its indexes.
          if (p.phase === 'done' && !added) {
            added = true;
            writeFileSync(join(photos, 'blue.jpg'), blue);
          }
        },
        events: { onApplied: (c) => c.indexed > 0 && resolve() },
      });
      watching.catch(reject);
    });
    try {
      await indexed;
      expect(added).toBe(true);
      const [hit] = await engine.search('blue', { limit: 1 });
      expect(hit?.path).toBe(join(photos, 'blue.jpg'));
    } finally {
      clearTimeout(failTimer);
      controller.abort();
      await engine.close();
    }
  }, 60_000);
});
