// How a model and its download read in the UI. Pure, so it is tested without a DOM.
import type { ModelDownload, ModelEntry } from '../../../../shared/types.ts';
import { formatBytes, formatEta } from './format.ts';
import type { FormatOptions } from './format.ts';

/** "about 608 MB" for catalogue estimates, "152 MB" for exact sizes, '' when unknown. */
export function modelSize(m: Pick<ModelEntry, 'bytes' | 'approximate'>, o: FormatOptions = {}): string {
  if (m.bytes === null) return '';
  return `${m.approximate ? 'about ' : ''}${formatBytes(m.bytes, o)}`;
}

/** 0–100, whole numbers; 0 while the size is unknown. */
export function downloadPercent(d: Pick<ModelDownload, 'bytes' | 'total'>): number {
  if (d.total <= 0) return 0;
  return Math.min(100, Math.floor((d.bytes / d.total) * 100));
}

export function formatByteRate(perSecond: number, o: FormatOptions = {}): string {
  return Number.isFinite(perSecond) && perSecond > 0 ? `${formatBytes(perSecond, o)}/s` : '';
}

/** "270 MB of about 608 MB · 12 MB/s · about 30 s left". */
export function downloadSummary(d: ModelDownload, o: FormatOptions = {}): string {
  const parts = [`${formatBytes(d.bytes, o)} of ${d.estimate ? 'about ' : ''}${formatBytes(d.total, o)}`];
  const rate = formatByteRate(d.rate, o);
  if (rate !== '') parts.push(rate);
  const eta = formatEta(d.etaSeconds);
  if (eta !== '') parts.push(`${eta} left`);
  return parts.join(' · ');
}

/** What the download is doing, in words. */
export function downloadStep(d: ModelDownload): string {
  switch (d.phase) {
    case 'verifying':
      return `Checking ${d.file}…`;
    case 'resuming':
      return 'The connection dropped; resuming where it stopped…';
    case 'finishing':
      return 'Checking the model…';
    case 'failed':
      return 'The download stopped';
    default:
      return d.file === '' ? 'Starting…' : `Fetching ${d.file}`;
  }
}

/** The first sentence of what to do after a failed download. */
export function downloadAdvice(d: ModelDownload): string {
  if (d.offline)
    return 'Shoebox could not reach the download server: this computer seems to be offline. Connect to the internet (or check your proxy), then try again. The download continues where it stopped, and once it is done Shoebox needs no connection.';
  return 'Try again: the download continues where it stopped.';
}
