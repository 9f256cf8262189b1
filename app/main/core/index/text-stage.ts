// Reading the text in photos, after they are indexed (so they are searchable by picture at once,
// and text follows; photo-reading.ts runs it beside the faces). Each photo's thumbnail, already on
// disk, is checked first: the OCR detector on it at 256 pixels says whether any line of text is
// there. Only the photos where one is are opened again and read at 2048 pixels: a decode of the
// original for the one photo in ten or so that holds text, rather than a bigger decode of every
// photo while indexing.
import sharp from 'sharp';
import type { Decoder } from '../decode/decoder.ts';
import { sourceOf } from '../decode/file-source.ts';
import type { FileSource } from '../decode/file-source.ts';
import type { Embedder } from '../embed/embedder.ts';
import { openInside } from '../scan/inside-roots.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { squash, TEXT_READER } from '../store/text-table.ts';
import type { TextRow } from '../store/text-table.ts';
import type { Thumbnail } from './thumbs.ts';
import type { TextRecogniserFiles } from '../ocr/ocr-models.ts';

/** Text is read from the original at this size: small print stays legible; the detector sees at most 960. */
export const READ_EDGE = 2048;

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
  /** Another script's recogniser (the library's text language), and the reader name its rows get. */
  recogniser?: TextRecogniserFiles & { reader: string };
}

export interface TextStageSummary {
  checked: number;
  withText: number;
}

/**
 * The check looks at the thumbnail at this size: 14 ms of detector on one core, where 320 pixels
 * cost 21 (and the thumbnail's full 480 more), and 160 lose text a thirtieth of the photo's height
 * (a sign across a street).
 */
export const CHECK_EDGE = 256;

/** The thumbnail at the check's size (the detector's cost grows with it). */
async function checkSize(thumb: Thumbnail): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  if (Math.max(thumb.width, thumb.height) <= CHECK_EDGE) return thumb;
  const { data, info } = await sharp(thumb.rgb, { raw: { width: thumb.width, height: thumb.height, channels: 3 } })
    .resize(CHECK_EDGE, CHECK_EDGE, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** The original, opened only if it is the file inside a root; the decoder reads it (see file-source.ts). */
async function original(path: string, roots: readonly string[]): Promise<FileSource | null> {
  const handle = await openInside(path, roots);
  if (!handle) return null;
  try {
    return sourceOf(path, await handle.stat());
  } finally {
    await handle.close();
  }
}

/**
 * The text in one photo: the OCR detector checks its thumbnail (at the check's size; a flat one
 * is not checked), and only where it finds a line is the original decoded and read. Null when
 * the original is gone or has moved out of its folder: it is looked at again next time.
 */
export async function textRowOf(
  o: Pick<TextStageOptions, 'lease' | 'roots' | 'decoder' | 'recogniser'>,
  hash: string,
  path: string,
  thumb: Thumbnail,
): Promise<TextRow | null> {
  let lines: TextRow['lines'] = '[]';
  let text = '';
  const check = await checkSize(thumb);
  if (
    !thumb.flat &&
    (await o.lease(({ embedder }) => embedder.findText(check.rgb, check.width, check.height, o.recogniser))).length > 0
  ) {
    const source = await original(path, o.roots);
    if (!source) return null;
    const image = await o.decoder.read(source, { fileName: path, maxEdge: READ_EDGE });
    const found = await o.lease(({ embedder }) =>
      embedder.readText(image.rgb, image.width, image.height, o.recogniser),
    );
    text = found.map((l) => l.text).join('\n');
    // Boxes as fractions of the photo: the viewer draws them over whatever size it shows.
    lines = JSON.stringify(
      found.map((l) => ({
        text: l.text,
        confidence: l.confidence,
        corners: l.corners.map(([x, y]) => [x / image.width, y / image.height]),
      })),
    );
  }
  return { hash, text, squashed: squash(text), lines, reader: o.recogniser?.reader ?? TEXT_READER };
}
