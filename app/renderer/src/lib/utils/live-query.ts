// "Answers as you type": a debounced query whose answers are applied only while they are still
// the latest. A slow answer to "re" that lands after the answer to "red" is dropped, never shown.
import { debounce } from './timing.ts';

/** Hands out increasing request numbers; only the newest one is current. */
export class RequestSequence {
  #latest = 0;

  next(): number {
    this.#latest += 1;
    return this.#latest;
  }

  /** The latest number handed out: a request that must not replace the view checks it later. */
  get current(): number {
    return this.#latest;
  }

  isCurrent(n: number): boolean {
    return n === this.#latest;
  }

  /** Makes every request handed out so far stale. */
  invalidate(): void {
    this.#latest += 1;
  }
}

export interface LiveQueryOptions<Q, R> {
  delayMs: number;
  run: (query: Q) => Promise<R>;
  /** Called only with the answer to the latest query. */
  apply: (answer: R, query: Q) => void;
  /** Called (latest query only) when `run` rejects. */
  fail?: (error: unknown, query: Q) => void;
  /** Called when a query is scheduled and when the latest one settles. */
  busy?: (busy: boolean) => void;
}

export interface LiveQuery<Q> {
  /** Schedules `query` after the quiet period, replacing any scheduled one. */
  set(query: Q): void;
  /** Runs `query` at once (e.g. on Enter or a filter change). */
  now(query: Q): Promise<void>;
  /** Drops the scheduled query and any answer still in flight. */
  cancel(): void;
}

export function liveQuery<Q, R>(o: LiveQueryOptions<Q, R>): LiveQuery<Q> {
  const seq = new RequestSequence();
  const now = async (query: Q): Promise<void> => {
    scheduled.cancel();
    const n = seq.next();
    o.busy?.(true);
    try {
      const answer = await o.run(query);
      if (seq.isCurrent(n)) o.apply(answer, query);
    } catch (err) {
      if (seq.isCurrent(n)) o.fail?.(err, query);
    } finally {
      if (seq.isCurrent(n)) o.busy?.(false);
    }
  };
  const scheduled = debounce((query: Q) => void now(query), o.delayMs);
  return {
    set: (query) => {
      // Whatever is in flight is already out of date: the user kept typing.
      seq.invalidate();
      o.busy?.(true);
      scheduled(query);
    },
    now,
    cancel: () => {
      scheduled.cancel();
      seq.invalidate();
      o.busy?.(false);
    },
  };
}
