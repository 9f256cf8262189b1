import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RequestSequence, liveQuery } from '#renderer/lib/utils/live-query.ts';
import { backoffDelay, debounce, throttle } from '#renderer/lib/utils/timing.ts';

/** A promise settled from outside, to play out answers in any order. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('debounce', () => {
  it('runs once, with the last arguments, after a quiet period', () => {
    const fn = vi.fn();
    const d = debounce(fn, 250);
    d('r');
    vi.advanceTimersByTime(100);
    d('re');
    vi.advanceTimersByTime(100);
    d('red');
    vi.advanceTimersByTime(249);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith('red');
  });

  it('can be cancelled or flushed', () => {
    const fn = vi.fn();
    const d = debounce(fn, 250);
    d('a');
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
    d('b');
    d.flush();
    expect(fn).toHaveBeenCalledExactlyOnceWith('b');
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('throttle', () => {
  it('runs at once, then folds a burst into one trailing call', () => {
    vi.setSystemTime(0);
    const fn = vi.fn();
    const t = throttle(fn, 1000);
    t();
    expect(fn).toHaveBeenCalledTimes(1);
    t();
    t();
    t();
    vi.advanceTimersByTime(999);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe('RequestSequence', () => {
  it('treats only the newest request as current', () => {
    const seq = new RequestSequence();
    const a = seq.next();
    const b = seq.next();
    expect(seq.isCurrent(a)).toBe(false);
    expect(seq.isCurrent(b)).toBe(true);
    seq.invalidate();
    expect(seq.isCurrent(b)).toBe(false);
  });
});

describe('liveQuery', () => {
  it('asks once per pause in typing, after the delay', async () => {
    const run = vi.fn((q: string) => Promise.resolve(`answer to ${q}`));
    const apply = vi.fn();
    const q = liveQuery({ delayMs: 250, run, apply });
    for (const text of ['r', 're', 'red']) {
      q.set(text);
      vi.advanceTimersByTime(100);
    }
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(250);
    expect(run).toHaveBeenCalledExactlyOnceWith('red');
    expect(apply).toHaveBeenCalledExactlyOnceWith('answer to red', 'red');
  });

  it('drops a slow answer that arrives after a newer one', async () => {
    const answers = new Map<string, ReturnType<typeof deferred<string>>>();
    const run = (q: string): Promise<string> => {
      const d = deferred<string>();
      answers.set(q, d);
      return d.promise;
    };
    const apply = vi.fn();
    const q = liveQuery({ delayMs: 250, run, apply });
    q.set('re');
    await vi.advanceTimersByTimeAsync(250);
    q.set('red');
    await vi.advanceTimersByTimeAsync(250);
    answers.get('red')!.resolve('red hits');
    await vi.advanceTimersByTimeAsync(0);
    answers.get('re')!.resolve('re hits');
    await vi.advanceTimersByTimeAsync(0);
    expect(apply).toHaveBeenCalledExactlyOnceWith('red hits', 'red');
  });

  it('drops an answer still in flight once the user types again', async () => {
    const first = deferred<string>();
    const run = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValue('later');
    const apply = vi.fn();
    const q = liveQuery({ delayMs: 250, run, apply });
    q.set('re');
    await vi.advanceTimersByTimeAsync(250);
    q.set('red');
    // The answer for "re" lands during the quiet period before "red" is asked: not shown.
    first.resolve('early');
    await vi.advanceTimersByTimeAsync(0);
    expect(apply).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(250);
    expect(apply).toHaveBeenCalledExactlyOnceWith('later', 'red');
  });

  it('runs at once on now(), cancels a scheduled query, and reports busy', async () => {
    const run = vi.fn((q: string) => Promise.resolve(q.length));
    const apply = vi.fn();
    const busy = vi.fn();
    const q = liveQuery({ delayMs: 250, run, apply, busy });
    q.set('sea');
    await q.now('sunset');
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledExactlyOnceWith('sunset');
    expect(apply).toHaveBeenCalledExactlyOnceWith(6, 'sunset');
    expect(busy).toHaveBeenLastCalledWith(false);
  });

  it('passes only the latest failure on, and cancel() silences everything', async () => {
    const fail = vi.fn();
    const apply = vi.fn();
    const q = liveQuery({ delayMs: 10, run: (s: string) => Promise.reject(new Error(s)), apply, fail });
    await q.now('x');
    expect(fail).toHaveBeenCalledTimes(1);
    const slow = deferred<string>();
    const q2 = liveQuery({ delayMs: 10, run: () => slow.promise, apply, fail });
    const pending = q2.now('y');
    q2.cancel();
    slow.resolve('late');
    await pending;
    expect(apply).not.toHaveBeenCalled();
  });
});

describe('backoffDelay', () => {
  it('doubles from the base up to the ceiling', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n))).toEqual([500, 1000, 2000, 4000, 10_000]);
  });
});
