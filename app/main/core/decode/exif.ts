import exifr from 'exifr';

export interface PhotoExif {
  takenAt: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  gpsLat: number | null;
  gpsLon: number | null;
}

const NO_EXIF: PhotoExif = { takenAt: null, cameraMake: null, cameraModel: null, gpsLat: null, gpsLon: null };

// exifr's tag names; CreateDate is EXIF's DateTimeDigitized. Picking keeps exifr from
// translating the hundreds of tags a camera writes that nobody here reads.
const PICK = [
  'DateTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'OffsetTimeDigitized',
  'Make', 'Model', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef',
];

// Years outside this range come from unset camera clocks ("0000:00:00") or garbage.
const MIN_YEAR = 1826;
const MAX_YEAR = 2200;

function offsetMinutes(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * exifr reads EXIF's zone-less "YYYY:MM:DD HH:MM:SS" as local wall time. When the camera also
 * wrote its UTC offset (EXIF 2.31), the wall time is re-read in that zone to get the true instant.
 */
function toEpoch(value: unknown, offset: unknown): number | null {
  if (!(value instanceof Date)) return null;
  const t = value.getTime();
  if (!Number.isFinite(t)) return null;
  const year = value.getFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  const minutes = offsetMinutes(offset);
  if (minutes === null) return t;
  const wall = Date.UTC(year, value.getMonth(), value.getDate(), value.getHours(), value.getMinutes(), value.getSeconds(), value.getMilliseconds());
  return wall - minutes * 60_000;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // eslint-disable-next-line no-control-regex -- cameras pad fixed-width fields with NULs
  const cleaned = value.replace(/\u0000/g, '').trim();
  return cleaned === '' ? null : cleaned.slice(0, 200);
}

function coordinate(value: unknown, limit: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
}

/**
 * Capture time, camera and position. Metadata is a bonus: a photo with unreadable or absent EXIF
 * is still a photo, so every problem here ends as nulls, never as an error.
 */
export async function readExif(input: Buffer): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(input, { pick: PICK })) as Record<string, unknown> | undefined;
  } catch {
    return NO_EXIF;
  }
  if (!tags || typeof tags !== 'object') return NO_EXIF;
  let lat = coordinate(tags.latitude, 90);
  let lon = coordinate(tags.longitude, 180);
  // Cameras without a fix write 0/0 rather than leaving GPS out; nobody shoots at Null Island.
  if (lat === null || lon === null || (lat === 0 && lon === 0)) {
    lat = null;
    lon = null;
  }
  return {
    takenAt: toEpoch(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? toEpoch(tags.CreateDate, tags.OffsetTimeDigitized),
    cameraMake: text(tags.Make),
    cameraModel: text(tags.Model),
    gpsLat: lat,
    gpsLon: lon,
  };
}
