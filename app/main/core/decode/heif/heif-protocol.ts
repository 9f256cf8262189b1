/** A HEIF file for a decoder thread, with the pixel limit it must refuse past. */
export interface HeifRequest {
  bytes: Uint8Array;
  maxPixels: number;
}

/**
 * The primary image as interleaved 8-bit RGB, its HEIF transforms (irot, imir, clap) applied; a
 * file that cannot be read; or one whose size is over the limit (refused before decoding).
 */
export type HeifReply =
  | { type: 'decoded'; width: number; height: number; rgb: Uint8Array }
  | { type: 'failed'; reason: string }
  | { type: 'too-large'; width: number; height: number };
