// Finding the faces in photos, after they are indexed (so they are searchable by picture at once,
// and people follow; photo-reading.ts runs it beside the text). Faces are found on each item's
// thumbnail, which the indexing decode already wrote (480 pixels on the long side): the file is
// not decoded a second time. A face must be 30 of those pixels wide, a sixteenth of the photo's
// long side, to be recognised. A video is looked at in its poster and in the few other moments
// whose thumbnails the decode kept (decode-video.ts), from the frames it decoded for the model.
import type { FoundFace } from '../embed/face-reader.ts';
import { DEFAULT_MAX_FACES } from '../faces/face-detect.ts';
import { SAME_PERSON } from '../faces/face-cluster.ts';
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
    at_ms: null,
  };
}

/** The faces in one item's thumbnail, as stored (a flat picture holds none: the detector is not asked). */
export async function faceRowsOf(lease: ModelLease, hash: string, thumb: Thumbnail): Promise<FaceRow[]> {
  return (await facesIn(lease, thumb)).map((f, i) => faceRow(hash, i, f, thumb.width, thumb.height));
}

function facesIn(lease: ModelLease, thumb: Thumbnail): Promise<FoundFace[]> {
  if (thumb.flat) return Promise.resolve([]);
  return lease(({ embedder }) => embedder.findFaces(thumb.rgb, thumb.width, thumb.height));
}

/** A moment of a video (its thumbnail, kept by the decode beside the poster's) and where it is. */
export interface VideoMoment {
  atMs: number;
  thumb: Thumbnail;
}

/**
 * A video's faces: its poster's, as for a photo, then each person seen at the other moments and
 * not already found, once, where their face was largest. A person on screen for a whole video
 * counts once, as in a photo.
 */
export async function videoFaceRowsOf(
  lease: ModelLease,
  hash: string,
  poster: Thumbnail,
  moments: readonly VideoMoment[],
): Promise<FaceRow[]> {
  const rows = await faceRowsOf(lease, hash, poster);
  const later: { atMs: number; face: FoundFace; thumb: Thumbnail }[] = [];
  for (const { atMs, thumb } of moments)
    for (const face of await facesIn(lease, thumb)) later.push({ atMs, face, thumb });
  const kept = rows.map((r) => r.embedding);
  for (const { atMs, face, thumb } of later.sort(
    (a, b) => b.face.width / b.thumb.width - a.face.width / a.thumb.width,
  )) {
    if (rows.length >= DEFAULT_MAX_FACES) break;
    if (kept.some((e) => cosine(e, face.embedding) >= SAME_PERSON)) continue;
    kept.push(face.embedding);
    rows.push({ ...faceRow(hash, rows.length, face, thumb.width, thumb.height), at_ms: atMs });
  }
  return rows;
}

/** Embeddings are unit length: their dot product is the cosine. */
function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k]! * b[k]!;
  return sum;
}
