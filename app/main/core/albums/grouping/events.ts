/**
 * Events: photos in date order, split wherever the camera went quiet for a while or moved far.
 * Pure functions, so the splitting and the names are tested without a library.
 */
export const EVENT_GAP_MS = 6 * 3600 * 1000;
export const EVENT_MAX_KM = 50;
export const MIN_EVENT_PHOTOS = 3;

export interface EventPhoto {
  hash: string;
  date: number;
  lat: number | null;
  lon: number | null;
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Splits when the time since the previous photo exceeds `gapMs`, or when a photo with a position
 * lies more than `maxKm` from the last position seen in the current event (photos without GPS
 * never split on distance: most scans and screenshots have none).
 */
export function splitEvents<T extends EventPhoto>(
  photos: readonly T[],
  gapMs = EVENT_GAP_MS,
  maxKm = EVENT_MAX_KM,
): T[][] {
  const sorted = [...photos].sort((a, b) => a.date - b.date || (a.hash < b.hash ? -1 : 1));
  const events: T[][] = [];
  let current: T[] = [];
  let last: T | null = null;
  let place: { lat: number; lon: number } | null = null;
  for (const p of sorted) {
    const hasPlace = p.lat !== null && p.lon !== null;
    const far = hasPlace && place !== null && haversineKm(place.lat, place.lon, p.lat!, p.lon!) > maxKm;
    if (last && (p.date - last.date > gapMs || far)) {
      events.push(current);
      current = [];
      place = null;
    }
    current.push(p);
    if (hasPlace) place = { lat: p.lat!, lon: p.lon! };
    last = p;
  }
  if (current.length > 0) events.push(current);
  return events;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "12 Jul 2024", "12–14 Jul 2024", "30 Jun – 2 Jul 2024", "30 Dec 2023 – 2 Jan 2024", in local
 * time: capture dates are the camera's wall-clock time, read as local time at indexing.
 */
export function eventName(from: number, to: number): string {
  const a = new Date(from);
  const b = new Date(to);
  const day = (d: Date): number => d.getDate();
  const mon = (d: Date): string => MONTHS[d.getMonth()]!;
  const y = (d: Date): number => d.getFullYear();
  if (y(a) !== y(b)) return `${day(a)} ${mon(a)} ${y(a)} – ${day(b)} ${mon(b)} ${y(b)}`;
  if (a.getMonth() !== b.getMonth()) return `${day(a)} ${mon(a)} – ${day(b)} ${mon(b)} ${y(b)}`;
  if (day(a) !== day(b)) return `${day(a)}–${day(b)} ${mon(b)} ${y(b)}`;
  return `${day(a)} ${mon(a)} ${y(a)}`;
}
