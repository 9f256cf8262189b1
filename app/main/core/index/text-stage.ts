// Reading the text in photos, after they are indexed (so they are searchable by picture at once,
// and text follows). Each photo's thumbnail, already on disk, is checked first: the OCR detector
// on its 320 pixels says whether any line of text is there. Only the photos where one is are
// opened again and read at 2048 pixels: a decode of the original for the one photo in ten or so
// that holds text, rather than a bigger decode of every photo while indexing.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Decoder } from '../decode/decoder.ts';
import type { Embedder } from '../embed/embedder.ts';
import { errorMessage } from '../errors.ts';
import { openInside } from '../scan/inside-roots.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { squash, TEXT_READER } from '../store/text-table.ts';
import type { TextRow } from '../store/text-table.ts';
import { thumbPath } from './thumbs.ts';

/** Text is read from the original at this size: small print stays legible; the detector sees at most 960. */
export const READ_EDGE = 2048;
/** Rows are written this many at a time, so an interrupted run keeps what it read. */
const SAVE_EVERY = 20;

/** The library's model, held only for the call: a model switch never waits on a whole run. */
export type ModelLease = <T>(fn: (m: { store: PhotoStore; embedder: Embedder }) => Promise<T>) => Promise<T>;

export interface TextStageOptions {
  lease: ModelLease;
  thumbsDir: string;
  roots: readonly string[];
  /** Where the photos that pass the check are decoded (the decode process, in the app). */
  decoder: Decoder;
  signal?: AbortSignal;
  onError?: (path: string, message: string) => void;
}

export interface TextStageSummary {
  checked: number;
  withText: number;
}

/**
 * The check looks at the thumbnail at this size: 14 ms of detector on one core, where its full
 * 320 pixels cost 21 and 160 lose text a thirtieth of the photo's height (a sign across a street).
 */
export const CHECK_EDGE = 256;

/** The photo's thumbnail as RGB, at the check's size. */
async function thumbnailRgb(file: string): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(await readFile(file))
    .resize(CHECK_EDGE, CHECK_EDGE, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/**
 * Whether a picture is flat enough to hold no legible text: fewer than 1 in 500 pixels differ
 * sharply from their right-hand neighbour (a clear sky, a plain wall, a solid test image). Costs
 * a fraction of a millisecond, where the detector costs 14.
 */
export function isFlat(rgb: Uint8Array, width: number, height: number): boolean {
  let edges = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 1; x < width; x++) {
      const i = (y * width + x) * 3;
      const luma = rgb[i]! * 0.299 + rgb[i + 1]! * 0.587 + rgb[i + 2]! * 0.114;
      const left = rgb[i - 3]! * 0.299 + rgb[i - 2]! * 0.587 + rgb[i - 1]! * 0.114;
      if (Math.abs(luma - left) > 24) edges++;
    }
  }
  return edges < (width * height) / 500;
}

async function readOriginal(path: string, roots: readonly string[]): Promise<Buffer | null> {
  const handle = await openInside(path, roots);
  if (!handle) return null;
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Checks, and reads where there is text, every photo (not video) whose content has not been read yet. */
export async function readTexts(o: TextStageOptions): Promise<TextStageSummary> {
  const [items, read] = await o.lease(({ store }) =>
    Promise.all([store.itemPaths("kind != 'video'"), store.texts.readHashes()]),
  );
  const summary = { checked: 0, withText: 0 };
  let rows: TextRow[] = [];
  for (const [hash, path] of items) {
    if (o.signal?.aborted) break;
    if (read.has(hash)) continue;
    try {
      const thumb = await thumbnailRgb(thumbPath(o.thumbsDir, hash));
      let lines: TextRow['lines'] = '[]';
      let text = '';
      const flat = isFlat(thumb.rgb, thumb.width, thumb.height);
      if (
        !flat &&
        (await o.lease(({ embedder }) => embedder.findText(thumb.rgb, thumb.width, thumb.height))).length > 0
      ) {
        const bytes = await readOriginal(path, o.roots);
        if (!bytes) continue; // gone or moved out of its folder: looked at again next time
        const image = await o.decoder.read(bytes, { fileName: path, maxEdge: READ_EDGE });
        const found = await o.lease(({ embedder }) => embedder.readText(image.rgb, image.width, image.height));
        text = found.map((l) => l.text).join('\n');
        // Boxes as fractions of the photo: the viewer draws them over whatever size it shows.
        lines = JSON.stringify(
          found.map((l) => ({
            text: l.text,
            confidence: l.confidence,
            corners: l.corners.map(([x, y]) => [x / image.width, y / image.height]),
          })),
        );
        if (found.length > 0) summary.withText++;
      }
      rows.push({ hash, text, squashed: squash(text), lines, reader: TEXT_READER });
      summary.checked++;
    } catch (err) {
      o.onError?.(path, errorMessage(err));
    }
    if (rows.length >= SAVE_EVERY) {
      const batch = rows;
      await o.lease(({ store }) => store.texts.save(batch));
      rows = [];
    }
  }
  await o.lease(({ store }) => store.texts.save(rows));
  return summary;
}
