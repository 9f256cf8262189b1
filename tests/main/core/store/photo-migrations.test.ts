import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { Schema } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FACE_DIM, faceSchema, FaceTable } from '#core/store/face-table.ts';
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

describe('faces table migration', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-migrate-faces-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('keeps the faces found before videos were looked at moment by moment, as their items’ own', async () => {
    const db = await lancedb.connect(dir);
    const old = await db.createEmptyTable('faces', new Schema(faceSchema().fields.filter((f) => f.name !== 'at_ms')));
    const embedding = new Float32Array(FACE_DIM).fill(1 / Math.sqrt(FACE_DIM));
    const face = {
      hash: 'h',
      face: 0,
      x: 0.1,
      y: 0.2,
      w: 0.3,
      h: 0.4,
      landmarks: '[]',
      score: 0.9,
      sharpness: 80,
      model: 'm',
    };
    await old.add([{ ...face, embedding }]);
    old.close();
    db.close();
    const faces = await FaceTable.open(await lancedb.connect(dir));
    const [row] = await faces.all();
    expect(row).toMatchObject({ ...face, at_ms: null });
    // And a face from a later moment is written beside it.
    await faces.save(['v'], [{ ...face, hash: 'v', embedding, at_ms: 4000 }], 'm');
    expect((await faces.all()).map((f) => [f.hash, f.at_ms])).toEqual([
      ['h', null],
      ['v', 4000],
    ]);
    faces.close();
  });
});
