// Messages between the indexer's side and the decode process (decode-process.ts). Untrusted
// files are parsed there, by libvips, libheif, LibRaw and exifr, never in the app's main process.
import type { ErrorCode } from '../errors.ts';
import type { DecodeOptions, DecodedPhoto } from './decode-photo.ts';
import type { FileSource } from './file-source.ts';

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
  /** A photo the decode process reads from disk itself (see file-source.ts). */
  | { id: number; op: 'photo-file'; source: FileSource; opts: DecodeOptions }
  | { id: number; op: 'display'; bytes: Uint8Array; opts: RenderOptions }
  | { id: number; op: 'read'; bytes: Uint8Array; opts: RenderOptions }
  | { id: number; op: 'read-file'; source: FileSource; opts: RenderOptions };

/** A request before the client numbers it (Omit distributed over the union's members). */
export type DecodeAsk = DecodeRequest extends infer R ? (R extends DecodeRequest ? Omit<R, 'id'> : never) : never;

export type DecodeValue = DecodedPhoto | Uint8Array | ReadImage;

export type DecodeReply =
  { id: number; ok: true; value: DecodeValue } | { id: number; ok: false; code: ErrorCode | null; message: string };
