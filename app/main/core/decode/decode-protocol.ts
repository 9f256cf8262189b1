// Messages between the indexer's side and the decode process (decode-process.ts). Untrusted
// files are parsed there, by libvips, libheif, LibRaw and exifr, never in the app's main process.
import type { ErrorCode } from '../errors.ts';
import type { DecodeOptions, DecodedPhoto } from './decode-photo.ts';

export interface RenderOptions {
  fileName?: string;
  maxEdge: number;
  maxPixels?: number;
}

export interface ReadImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

export type DecodeRequest =
  | { id: number; op: 'photo'; bytes: Uint8Array; opts: DecodeOptions }
  | { id: number; op: 'display'; bytes: Uint8Array; opts: RenderOptions }
  | { id: number; op: 'read'; bytes: Uint8Array; opts: RenderOptions };

export type DecodeValue = DecodedPhoto | Uint8Array | ReadImage;

export type DecodeReply =
  { id: number; ok: true; value: DecodeValue } | { id: number; ok: false; code: ErrorCode | null; message: string };
