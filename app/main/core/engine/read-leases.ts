/**
 * Counts the reads (searches, listings) running on one model, so that a model being retired
 * after a switch is closed only once the last read that picked it has finished: closing its
 * embedder under a search would fail that search.
 */
export class ReadLeases {
  #running = 0;
  #waiters: (() => void)[] = [];

  async run<T>(read: () => Promise<T>): Promise<T> {
    this.#running++;
    try {
      return await read();
    } finally {
      this.#running--;
      if (this.#running === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  /** Resolves once no read is running. */
  drained(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
