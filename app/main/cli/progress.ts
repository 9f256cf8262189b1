import type { IndexProgress } from '../core/index/index-types.ts';

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressLine(p: IndexProgress): string {
  if (p.phase === 'scanning') return 'scanning folders…';
  const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
  return `${p.done}/${p.total} (${pct}%) · ${p.rate.toFixed(1)} files/s · ETA ${duration(p.etaSeconds)} · ${p.indexed} indexed, ${p.reused} reused, ${p.failed} failed`;
}

/**
 * A progress reporter for stderr: a redrawn bar on a terminal, and at most one plain line every
 * few seconds otherwise, so logs and CI output stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream): { update: (p: IndexProgress) => void; end: () => void } {
  let last = 0;
  let drawn = false;
  if (stream.isTTY) {
    return {
      update: (p) => {
        const width = Math.max(10, Math.min(30, (stream.columns || 80) - 90));
        const filled = p.total > 0 ? Math.round((p.done / p.total) * width) : 0;
        const bar = p.phase === 'scanning' ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
        stream.write(`\r\x1b[2K${bar}${progressLine(p)}`);
        drawn = true;
      },
      end: () => {
        if (drawn) stream.write('\n');
      },
    };
  }
  return {
    update: (p) => {
      const now = Date.now();
      if (p.phase === 'indexing' && now - last < 2000 && p.done < p.total) return;
      if (p.phase === 'done') return;
      last = now;
      stream.write(`${progressLine(p)}\n`);
    },
    end: () => undefined,
  };
}
