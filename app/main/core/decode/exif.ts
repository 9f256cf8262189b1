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
  'DateTimeOriginal',
  'OffsetTimeOriginal',
  'CreateDate',
  'OffsetTimeDigitized',
  'Make',
  'Model',
  'GPSLatitude',
  'GPSLatitudeRef',
  'GPSLongitude',
  'GPSLongitudeRef',
];

// Earlier years are unset camera clocks ("0000:00:00 00:00:00") or garbage; nothing was
// photographed before 1826.
const MIN_YEAR = 1826;
const MAX_YEAR = 2200;
const EXIF_DATE = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/;

function offsetMinutes(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * EXIF dates are zone-less "YYYY:MM:DD HH:MM:SS" wall times, read here as local time unless the
 * camera also wrote its UTC offset (EXIF 2.31). They are parsed by hand rather than by exifr's
 * reviver, which turns "0000:00:00 00:00:00" into a plausible-looking 30 November 1899.
 */
function toEpoch(value: unknown, offset: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = EXIF_DATE.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March; a date that moved was never a real date.
  if (
    wall.getUTCMonth() !== month - 1 ||
    wall.getUTCDate() !== day ||
    wall.getUTCHours() !== hour ||
    wall.getUTCMinutes() !== minute
  )
    return null;
  const minutes = offsetMinutes(offset);
  if (minutes !== null) return wall.getTime() - minutes * 60_000;
  return new Date(year, month - 1, day, hour, minute, second).getTime();
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
 * The TIFF-structured EXIF block to parse. libvips has already found it while reading the header
 * (JPEG APP1, PNG eXIf, WebP and HEIF/AVIF boxes), including in containers exifr cannot walk
 * itself (WebP, AVIF); a TIFF file without such a block keeps its tags in its own IFDs.
 */
function exifSource(file: Buffer, embedded: Buffer | undefined): Buffer {
  if (!embedded || embedded.length < 8) return file;
  return embedded.toString('latin1', 0, 6) === 'Exif\0\0' ? embedded.subarray(6) : embedded;
}

/**
 * Capture time, camera and position. Metadata is a bonus: a photo with unreadable or absent EXIF
 * is still a photo, so every problem here ends as nulls, never as an error.
 */
export async function readExif(file: Buffer, embedded?: Buffer): Promise<PhotoExif> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(exifSource(file, embedded), { pick: PICK, reviveValues: false })) as
      Record<string, unknown> | undefined;
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
    takenAt:
      toEpoch(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? toEpoch(tags.CreateDate, tags.OffsetTimeDigitized),
    cameraMake: text(tags.Make),
    cameraModel: text(tags.Model),
    gpsLat: lat,
    gpsLon: lon,
  };
}
