import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Schema } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { photoSchema } from '#core/store/photo-schema.ts';
import { PhotoStore } from '#core/store/photo-store.ts';

describe('photos table migration', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-migrate-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('adds columns a newer release introduced to a table written by an older one, keeping rows and vectors', async () => {
    // An "older" table: today's schema without the columns that have migration defaults or are nullable.
    const dropped = new Set([
      'date_ms',
      'status',
      'indexed_at',
      'gps_lat',
      'gps_lon',
      'kind',
      'duration_ms',
      'place',
      'country',
    ]);
    const old = new Schema(photoSchema(4).fields.filter((f) => !dropped.has(f.name)));
    const db = await lancedb.connect(dir);
    const table = await db.createEmptyTable('photos__m', old);
    const base = {
      id: 'a',
      path: '/p/a.jpg',
      root: '/p',
      folder: '/p',
      ext: 'jpg',
      size: 1,
      mtime: 5000,
      hash: 'h',
      width: 2,
      height: 2,
      format: 'jpeg',
      camera_make: null,
      camera_model: null,
      model_id: 'm',
      vector: new Float32Array([1, 0, 0, 0]),
    };
    await table.add([
      { ...base, taken_at: 1234 },
      { ...base, id: 'b', path: '/p/b.jpg', hash: 'h2', taken_at: null },
    ]);
    table.close();
    db.close();

    const store = await PhotoStore.open(dir, 'm', 4);
    try {
      const rows = await store.rows();
      expect(rows.map((r) => [r.id, r.date_ms, r.status, r.gps_lat, r.kind, r.duration_ms]).sort()).toEqual([
        ['a', 1234, 'ok', null, 'photo', null],
        ['b', 5000, 'ok', null, 'photo', null],
      ]);
      const hits = await store.search(new Float32Array([1, 0, 0, 0]), 5, "status = 'ok'");
      expect(hits).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});
