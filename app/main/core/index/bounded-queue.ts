/**
 * A first-in first-out channel with a capacity: producers wait when it is full, so decoding
 * can run ahead of inference by a bounded amount and memory stays flat on any library size.
 */
export class BoundedQueue<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #closed = false;
  #waitingTakers: (() => void)[] = [];
  #waitingPutters: (() => void)[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#items.length;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async put(item: T): Promise<void> {
    while (this.#items.length >= this.#capacity && !this.#closed) {
      await new Promise<void>((r) => this.#waitingPutters.push(r));
    }
    this.#items.push(item);
    this.#wake(this.#waitingTakers);
  }

  /** The next item, or undefined once the queue is closed and drained. */
  async take(): Promise<T | undefined> {
    while (this.#items.length === 0) {
      if (this.#closed) return undefined;
      await new Promise<void>((r) => this.#waitingTakers.push(r));
    }
    const item = this.#items.shift();
    this.#wake(this.#waitingPutters);
    return item;
  }

  /** Takes what is already there, up to max, without waiting. */
  drain(max: number): T[] {
    const out = this.#items.splice(0, max);
    if (out.length > 0) this.#wake(this.#waitingPutters);
    return out;
  }

  close(): void {
    this.#closed = true;
    this.#wake(this.#waitingTakers);
    this.#wake(this.#waitingPutters);
  }

  #wake(list: (() => void)[]): void {
    const all = list.splice(0);
    for (const fn of all) fn();
  }
}

/** Runs at most `limit` tasks at once. */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((r) => this.#waiting.push(r));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
