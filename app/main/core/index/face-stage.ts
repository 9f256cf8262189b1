// Finding the faces in photos, after they are indexed (so they are searchable by picture at once,
// and people follow; photo-reading.ts runs it beside the text). Faces are found on each item's
// thumbnail, which the indexing decode already wrote (480 pixels on the long side): the file is
// not decoded a second time. A face must be 30 of those pixels wide, a sixteenth of the photo's
// long side, to be recognised.
import type { FoundFace } from '../embed/face-reader.ts';
import { FACE_MODEL_ID } from '../faces/face-models.ts';
import type { FaceRow } from '../store/face-table.ts';
import type { ModelLease } from './text-stage.ts';
import type { Thumbnail } from './thumbs.ts';

export interface FaceStageSummary {
  scanned: number;
  faces: number;
}

/** A found face as stored: its box and points as fractions of the picture, so any size can draw them. */
function faceRow(hash: string, index: number, f: FoundFace, width: number, height: number): FaceRow {
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

/** The faces in one item's thumbnail, as stored (a flat picture holds none: the detector is not asked). */
export async function faceRowsOf(lease: ModelLease, hash: string, thumb: Thumbnail): Promise<FaceRow[]> {
  if (thumb.flat) return [];
  const found = await lease(({ embedder }) => embedder.findFaces(thumb.rgb, thumb.width, thumb.height));
  return found.map((f, i) => faceRow(hash, i, f, thumb.width, thumb.height));
}
