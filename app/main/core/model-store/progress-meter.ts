/** Transfer rate over a sliding window, so the ETA follows the connection as it is now. */
export class RateMeter {
  readonly #windowMs: number;
  readonly #now: () => number;
  #samples: { t: number; total: number }[] = [];
  #total = 0;

  constructor(windowMs = 5000, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
    this.#samples.push({ t: now(), total: 0 });
  }

  add(bytes: number): void {
    this.#total += bytes;
    const t = this.#now();
    this.#samples.push({ t, total: this.#total });
    // Keep one sample older than the window so the rate always spans the whole window.
    while (this.#samples.length > 2 && t - this.#samples[1]!.t > this.#windowMs) this.#samples.shift();
  }

  /** Bytes per second; 0 until there is something to measure. */
  rate(): number {
    const first = this.#samples[0]!;
    const seconds = (this.#now() - first.t) / 1000;
    return seconds > 0 ? (this.#total - first.total) / seconds : 0;
  }
}

/** Decimal units, as download sizes are quoted elsewhere. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
