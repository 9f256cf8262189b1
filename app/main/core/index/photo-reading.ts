// What is read in photos after they are indexed: the text in them (text-stage.ts) and their faces
// (face-stage.ts). Both look at the thumbnail the indexing decode wrote, so each thumbnail is
// decoded once for the two, and a flat one is passed over by both detectors.
import { errorMessage } from '../errors.ts';
import { FACE_MODEL_ID } from '../faces/face-models.ts';
import type { FaceRow } from '../store/face-table.ts';
import type { TextRow } from '../store/text-table.ts';
import { faceRowsOf, videoFaceRowsOf } from './face-stage.ts';
import type { FaceStageSummary } from './face-stage.ts';
import { textRowOf } from './text-stage.ts';
import type { TextStageOptions, TextStageSummary } from './text-stage.ts';
import { readThumbnail, readThumbnailFile, videoMoments } from './thumbs.ts';
import type { Thumbnail } from './thumbs.ts';

/** Found text and faces are written this many photos at a time, so an interrupted run keeps them. */
const SAVE_TEXTS_EVERY = 20;
const SAVE_FACES_EVERY = 50;

export interface PhotoReadingOptions extends TextStageOptions {
  /** Whether faces are looked for (face recognition is on). */
  faces: boolean;
}

export interface PhotoReadingSummary {
  text: TextStageSummary;
  faces: FaceStageSummary;
}

/**
 * Reads the text in every photo (not video) whose content has not been read yet, and finds the
 * faces in every item whose content the current face models have not looked at.
 */
export async function readPhotos(o: PhotoReadingOptions): Promise<PhotoReadingSummary> {
  const [photos, items, read, scanned] = await o.lease(({ store }) =>
    Promise.all([
      store.itemPaths("kind != 'video'"),
      o.faces ? store.itemPaths('true') : new Map<string, string>(),
      store.texts.readHashes(o.recogniser?.reader),
      o.faces ? store.faces.scannedHashes(FACE_MODEL_ID) : new Set<string>(),
    ]),
  );
  const isVideo = (hash: string): boolean => items.has(hash) && !photos.has(hash);
  const wantsText = (hash: string): boolean => photos.has(hash) && !read.has(hash);
  const wantsFaces = (hash: string): boolean => items.has(hash) && !scanned.has(hash);
  const todo = new Map([...photos, ...items]);
  const summary: PhotoReadingSummary = { text: { checked: 0, withText: 0 }, faces: { scanned: 0, faces: 0 } };
  let texts: TextRow[] = [];
  let faced: string[] = [];
  let faces: FaceRow[] = [];
  const saveTexts = async (): Promise<void> => {
    const batch = texts;
    texts = [];
    await o.lease(({ store }) => store.texts.save(batch));
  };
  const saveFaces = async (): Promise<void> => {
    const [hashes, rows] = [faced, faces];
    [faced, faces] = [[], []];
    await o.lease(({ store }) => store.faces.save(hashes, rows, FACE_MODEL_ID));
  };
  for (const [hash, path] of todo) {
    if (o.signal?.aborted) break;
    const text = wantsText(hash);
    const face = wantsFaces(hash);
    if (!text && !face) continue;
    try {
      const thumb = await readThumbnail(o.thumbsDir, hash);
      // Each part fails on its own: a photo whose text cannot be read still has its faces found.
      const [row, found] = await Promise.allSettled([
        text ? textRowOf(o, hash, path, thumb) : null,
        face ? facesOf(o, hash, thumb, isVideo(hash)) : null,
      ]);
      if (row.status === 'rejected') o.onError?.(path, errorMessage(row.reason));
      else if (row.value) {
        texts.push(row.value);
        summary.text.checked++;
        if (row.value.text !== '') summary.text.withText++;
      }
      if (found.status === 'rejected') o.onError?.(path, errorMessage(found.reason));
      else if (found.value) {
        faced.push(hash);
        faces.push(...found.value);
        summary.faces.scanned++;
        summary.faces.faces += found.value.length;
      }
    } catch (err) {
      o.onError?.(path, errorMessage(err));
    }
    if (texts.length >= SAVE_TEXTS_EVERY) await saveTexts();
    if (faced.length >= SAVE_FACES_EVERY) await saveFaces();
  }
  await saveTexts();
  if (o.faces) await saveFaces();
  return summary;
}

/**
 * An item's faces: a video's from its other moments too. A moment whose thumbnail cannot be read
 * is left out rather than failing the video: the poster's faces still count.
 */
async function facesOf(o: PhotoReadingOptions, hash: string, thumb: Thumbnail, video: boolean): Promise<FaceRow[]> {
  if (!video) return faceRowsOf(o.lease, hash, thumb);
  const read = await Promise.all(
    (await videoMoments(o.thumbsDir, hash)).map((m) =>
      readThumbnailFile(m.file).then(
        (moment) => ({ atMs: m.atMs, thumb: moment }),
        () => null,
      ),
    ),
  );
  return videoFaceRowsOf(
    o.lease,
    hash,
    thumb,
    read.filter((m) => m !== null),
  );
}
