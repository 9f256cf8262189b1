// How numbers, sizes, dates and places read in the UI. Pure; locale and time zone can be pinned
// (tests do), otherwise the user's own are used.

export interface FormatOptions {
  locale?: string;
  timeZone?: string;
}

export function fileName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  return parts.at(-1) ?? path;
}

export function formatCount(n: number, o: FormatOptions = {}): string {
  return Math.round(n).toLocaleString(o.locale);
}

export function plural(n: number, one: string, many = `${one}s`, o: FormatOptions = {}): string {
  return `${formatCount(n, o)} ${n === 1 ? one : many}`;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, as file managers on macOS and most phones show them. */
export function formatBytes(bytes: number, o: FormatOptions = {}): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${formatCount(value, o)} B`;
  const digits = value < 10 ? 1 : 0;
  return `${value.toLocaleString(o.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${UNITS[unit]!}`;
}

export function formatDate(ms: number, o: FormatOptions = {}): string {
  return new Intl.DateTimeFormat(o.locale, {
    dateStyle: 'medium',
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  }).format(ms);
}

export function formatDateTime(ms: number, o: FormatOptions = {}): string {
  return new Intl.DateTimeFormat(o.locale, {
    dateStyle: 'long',
    timeStyle: 'short',
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  }).format(ms);
}

/** "about 5 s", "about 3 min", "about 1 h 20 min"; empty when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `about ${Math.max(1, s)} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `about ${h} h` : `about ${h} h ${m} min`;
}

export function formatRate(perSecond: number, o: FormatOptions = {}): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '';
  const digits = perSecond < 10 ? 1 : 0;
  return `${perSecond.toLocaleString(o.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} photos/s`;
}

export function formatCoordinates(lat: number, lon: number): string {
  const part = (v: number, pos: string, neg: string): string => `${Math.abs(v).toFixed(5)}° ${v >= 0 ? pos : neg}`;
  return `${part(lat, 'N', 'S')}, ${part(lon, 'E', 'W')}`;
}

/** "4032 × 3024 (12.2 MP)". */
export function formatDimensions(width: number, height: number): string {
  const mp = (width * height) / 1e6;
  const size = `${width} × ${height}`;
  return mp >= 0.1 ? `${size} (${mp.toFixed(1)} MP)` : size;
}

/** Cameras often repeat the make in the model ("Canon" / "Canon EOS R5"). */
export function formatCamera(make: string | null, model: string | null): string | null {
  const mk = make?.trim() ?? '';
  const md = model?.trim() ?? '';
  if (mk === '' && md === '') return null;
  if (md === '') return mk;
  if (mk === '' || md.toLowerCase().startsWith(mk.toLowerCase())) return md;
  return `${mk} ${md}`;
}

/** A 0..1 cosine similarity as a match percentage. */
export function formatScore(score: number | null): string {
  return score === null ? '' : `${Math.round(Math.max(0, Math.min(1, score)) * 100)}% match`;
}

/** A video's length or a moment in it, as players show them: 0:07, 12:34, 1:02:03. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
