/**
 * Lets a user pause indexing: the pipeline awaits `pass()` between files and batches, so a pause
 * takes effect within one batch and nothing in flight is lost.
 */
export class PauseGate {
  #paused = false;
  #waiters: (() => void)[] = [];

  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Resolves at once when running, or when resumed or the signal aborts. */
  async pass(signal?: AbortSignal): Promise<void> {
    if (!this.#paused || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      this.#waiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}
