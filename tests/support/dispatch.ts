// Calls through the same dispatch the Electron IPC and the web server use, with the helpers the
// handler tests share: unwrap a result, expect a refusal, find a photo of the fixture by name.
import { expect } from 'vitest';
import { dispatch } from '#main/ipc/handlers.ts';
import type { Handlers } from '#main/ipc/handlers.ts';
import type { PhotoHit } from '#shared/types.ts';

export interface DispatchHelpers {
  call: (channel: unknown, args?: unknown) => ReturnType<typeof dispatch>;
  data: <T>(channel: string, args?: unknown) => Promise<T>;
  refused: (channel: string, args: unknown, code: string, message: string) => Promise<void>;
  photo: (name: string) => PhotoHit;
}

/** Getters, because the handlers and photos are made in a test's beforeAll. */
export function dispatchHelpers(handlers: () => Handlers, photos: () => readonly PhotoHit[]): DispatchHelpers {
  const call: DispatchHelpers['call'] = (channel, args) => dispatch(handlers(), channel, args);
  return {
    call,
    data: async <T>(channel: string, args?: unknown): Promise<T> => {
      const r = await call(channel, args);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.data as T;
    },
    refused: async (channel, args, code, message) => {
      expect(await call(channel, args)).toMatchObject({
        ok: false,
        error: { code, message: expect.stringContaining(message) as string },
      });
    },
    photo: (name) => {
      const hit = photos().find((p) => p.path.endsWith(`/${name}`));
      if (!hit) throw new Error(`no photo ${name}`);
      return hit;
    },
  };
}
