// Finding the faces in photos, after they are indexed (so they are searchable by picture at once,
// and people follow). Faces are found on each item's thumbnail, which the indexing decode already
// wrote (320 pixels on the long side): the file is not decoded a second time. A face must be 20
// of those pixels wide, about a sixteenth of the photo's long side, to be recognised.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { FoundFace } from '../embed/face-reader.ts';
import { errorMessage } from '../errors.ts';
import { FACE_MODEL_ID } from '../faces/face-models.ts';
import type { FaceRow } from '../store/face-table.ts';
import { isFlat } from './text-stage.ts';
import type { ModelLease } from './text-stage.ts';
import { thumbPath } from './thumbs.ts';

/** Scans are written this many photos at a time, so an interrupted run keeps what it found. */
const SAVE_EVERY = 50;

export interface FaceStageOptions {
  lease: ModelLease;
  thumbsDir: string;
  signal?: AbortSignal;
  onError?: (path: string, message: string) => void;
}

export interface FaceStageSummary {
  scanned: number;
  faces: number;
}

async function thumbnailRgb(file: string): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(await readFile(file))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** A found face as stored: its box and points as fractions of the picture, so any size can draw them. */
export function faceRow(hash: string, index: number, f: FoundFace, width: number, height: number): FaceRow {
  return {
    hash,
    face: index,
    x: f.x / width,
    y: f.y / height,
    w: f.width / width,
    h: f.height / height,
    landmarks: JSON.stringify(f.landmarks.map((p) => [p.x / width, p.y / height])),
    score: f.score,
    sharpness: f.sharpness,
    embedding: f.embedding,
    model: FACE_MODEL_ID,
  };
}

/** Looks for faces in every item whose content has not been looked at by the current face models. */
export async function findFaces(o: FaceStageOptions): Promise<FaceStageSummary> {
  const [items, scanned] = await o.lease(({ store }) =>
    Promise.all([store.itemPaths('true'), store.faces.scannedHashes(FACE_MODEL_ID)]),
  );
  const summary = { scanned: 0, faces: 0 };
  let hashes: string[] = [];
  let rows: FaceRow[] = [];
  const flush = async (): Promise<void> => {
    const [h, r] = [hashes, rows];
    hashes = [];
    rows = [];
    await o.lease(({ store }) => store.faces.save(h, r, FACE_MODEL_ID));
  };
  for (const [hash, path] of items) {
    if (o.signal?.aborted) break;
    if (scanned.has(hash)) continue;
    try {
      const thumb = await thumbnailRgb(thumbPath(o.thumbsDir, hash));
      // A flat picture (a clear sky, a plain wall) holds no face: the detector is not asked.
      const found = isFlat(thumb.rgb, thumb.width, thumb.height)
        ? []
        : await o.lease(({ embedder }) => embedder.findFaces(thumb.rgb, thumb.width, thumb.height));
      rows.push(...found.map((f, i) => faceRow(hash, i, f, thumb.width, thumb.height)));
      hashes.push(hash);
      summary.scanned++;
      summary.faces += found.length;
    } catch (err) {
      o.onError?.(path, errorMessage(err));
    }
    if (hashes.length >= SAVE_EVERY) await flush();
  }
  await flush();
  return summary;
}
