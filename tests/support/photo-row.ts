import type { PhotoRow } from '#core/store/photo-schema.ts';

/** A stored photo's row for store tests: what a test names, and a plain JPEG's values for the rest. */
export function photoRow(
  fields: Pick<PhotoRow, 'id' | 'path' | 'root' | 'hash' | 'vector'> & Partial<PhotoRow>,
): PhotoRow {
  const folder = fields.path.slice(0, fields.path.lastIndexOf('/'));
  return {
    folder,
    ext: 'jpg',
    size: 1000,
    mtime: 1_700_000_000_000,
    width: 40,
    height: 30,
    format: 'jpeg',
    kind: 'photo',
    duration_ms: null,
    place: null,
    region: null,
    country: null,
    taken_at: null,
    date_ms: 1_700_000_000_000,
    camera_make: null,
    camera_model: null,
    gps_lat: null,
    gps_lon: null,
    status: 'ok',
    model_id: 'm',
    indexed_at: 0,
    ...fields,
  };
}
