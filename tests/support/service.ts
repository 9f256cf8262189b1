import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventName, Events } from '#shared/contract.ts';
import type { SpawnInference } from '#core/embed/inference-channel.ts';
import { LibraryService } from '#main/service/library-service.ts';
import { COLOURS, makeTestModel } from './test-model.ts';
import { solid, writeBroken, writePhoto } from './photos.ts';
import { eventually } from './cli.ts';

export interface ServiceFixture {
  tmp: string;
  photos: string;
  service: LibraryService;
  events: { event: EventName; payload: Events[EventName] }[];
  /** Calls `listener` with each event from now on; returns how to stop. */
  onEvent(listener: (event: EventName, payload: Events[EventName]) => void): () => void;
  /** Waits until the library's first index of its roots has finished. */
  indexed(): Promise<void>;
  close(): Promise<void>;
}

/** A real LibraryService on a temp library, the generated model and a folder of colour photos. */
export async function serviceFixture(
  opts: { withModel?: boolean; exitWhenIdleMs?: number; spawn?: SpawnInference } = {},
): Promise<ServiceFixture> {
  const tmp = await mkdtemp(join(tmpdir(), 'shoebox-svc-'));
  const modelDir = opts.withModel === false ? undefined : await makeTestModel(join(tmp, 'model'));
  const photos = join(tmp, 'photos');
  let i = 0;
  for (const [name, rgb] of Object.entries(COLOURS))
    await writePhoto(join(photos, `${name}.jpg`), solid(rgb, 80 + i++, 60));
  await writeBroken(join(photos, 'broken.jpg'));
  const events: ServiceFixture['events'] = [];
  const listeners = new Set<(event: EventName, payload: Events[EventName]) => void>();
  const service = await LibraryService.start(
    {
      libraryDir: join(tmp, 'library'),
      threads: 1,
      rootCheckMs: 200,
      exitWhenIdleMs: opts.exitWhenIdleMs,
      ...(opts.spawn ? { spawn: opts.spawn } : {}),
      ...(modelDir ? { modelDir } : {}),
    },
    (event, payload) => {
      events.push({ event, payload });
      for (const l of listeners) l(event, payload);
    },
  );
  return {
    tmp,
    photos,
    service,
    events,
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    indexed: async () => {
      await eventually(
        async () => {
          const s = await service.status();
          return s.indexing.phase === 'watching' && !s.indexing.running ? true : undefined;
        },
        20_000,
        'the first index to finish',
      );
    },
    close: async () => {
      await service.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
