// The renderer's bridge over a real LibraryService, for testing renderer services under Node:
// calls go through the same dispatch (argument validation included) as Electron's IPC and the web
// server, answers are structured-cloned as IPC would, and events are the service's own. The one
// addition is `hold`: a test can keep a channel's calls waiting to order a race exactly.
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { NO_DESKTOP, createHandlers, dispatch } from '#main/ipc/handlers.ts';
import type { CallArgs, CallName, CallResult, EventName, Events, ShoeboxBridge } from '#shared/contract.ts';
import { serviceFixture } from './service.ts';
import type { ServiceFixture } from './service.ts';

export interface TestBridge extends ShoeboxBridge {
  /**
   * Calls to `channel` (with arguments `when` accepts) reach the service only once the returned
   * release is called, as if its handler were slow; `held()` counts the calls kept waiting.
   */
  hold(channel: CallName, when?: (args: unknown) => boolean): Hold;
  /** Lets every held call through: for afterEach, so a failed test cannot stall the next. */
  releaseAll(): void;
  /** A call's data, or a thrown error naming the channel: for a test's own set-up calls. */
  data<C extends CallName>(channel: C, args: CallArgs<C>): Promise<CallResult<C>>;
}

export interface Hold {
  release(): void;
  /** Calls kept waiting so far (counted as they are made, before any await). */
  held(): number;
  /** Settles once every call held so far has been answered, after the release. */
  answered(): Promise<void>;
}

interface Gate {
  channel: CallName;
  when: (args: unknown) => boolean;
  open: Promise<void>;
  release: () => void;
  held: number;
  answers: Promise<unknown>[];
}

export function bridgeOver(fx: ServiceFixture): TestBridge {
  const handlers = createHandlers(fx.service, NO_DESKTOP);
  const gates: Gate[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  fx.onEvent((event, payload) => {
    for (const l of listeners.get(event) ?? []) (l as (p: unknown) => void)(structuredClone(payload));
  });
  return {
    transport: 'electron',
    call(channel, args) {
      const held = gates.filter((g) => g.channel === channel && g.when(args));
      const answer = (async () => {
        for (const gate of held) await gate.open;
        return structuredClone(await dispatch(handlers, channel, args)) as never;
      })();
      for (const gate of held) {
        gate.held++;
        gate.answers.push(answer.catch(() => undefined));
      }
      return answer;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    thumbUrl: (id) => `shoebox://thumb/${id}`,
    photoUrl: (id) => `shoebox://photo/${id}`,
    motionUrl: (id) => `shoebox://motion/${id}`,
    hold(channel, when = () => true) {
      let open!: () => void;
      const gate: Gate = {
        channel,
        when,
        open: new Promise<void>((r) => (open = r)),
        held: 0,
        answers: [],
        release: () => {
          const at = gates.indexOf(gate);
          if (at >= 0) gates.splice(at, 1);
          open();
        },
      };
      gates.push(gate);
      return {
        release: gate.release,
        held: () => gate.held,
        answered: async () => {
          await Promise.all(gate.answers);
        },
      };
    },
    releaseAll() {
      for (const gate of [...gates]) gate.release();
    },
    async data(channel, args) {
      const r = await this.call(channel, args);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.data;
    },
  };
}

export interface RendererHarness {
  readonly fx: ServiceFixture;
  readonly bridge: TestBridge;
}

/**
 * For the calling describe: a real service on a temp library, its bridge on `window` as Electron's
 * preload puts it, held calls let through after each test, and everything taken down after all.
 * Renderer modules find the bridge when they load, so import them in a later beforeAll.
 */
export function rendererHarness(): RendererHarness {
  let fx: ServiceFixture | undefined;
  let bridge: TestBridge | undefined;
  beforeAll(async () => {
    fx = await serviceFixture();
    bridge = bridgeOver(fx);
    vi.stubGlobal('window', { shoebox: bridge });
  }, 60_000);
  afterEach(() => bridge?.releaseAll());
  afterAll(async () => {
    vi.unstubAllGlobals();
    await fx?.close();
  });
  const ready = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the renderer harness is set up in beforeAll');
    return x;
  };
  return {
    get fx() {
      return ready(fx);
    },
    get bridge() {
      return ready(bridge);
    },
  };
}
