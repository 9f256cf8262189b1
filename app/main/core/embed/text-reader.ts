// Reads text in a photo with PaddleOCR's PP-OCRv4 models on onnxruntime: the detector finds the
// lines, each is cut out straightened, and the recogniser reads it. Runs where the CLIP sessions
// run (the inference process), on the CPU; the models are small (5 and 11 MB).
import * as ort from 'onnxruntime-node';
import { ShoeboxError } from '../errors.ts';
import { ocrModelFiles, readDictionary } from '../ocr/ocr-models.ts';
import type { TextRecogniserFiles } from '../ocr/ocr-models.ts';
import { textBoxes } from '../ocr/text-boxes.ts';
import type { TextBox } from '../ocr/text-boxes.ts';
import { ctcDecode, LINE_HEIGHT, lineInput, readingOrder } from '../ocr/text-lines.ts';

export interface TextLine {
  text: string;
  /** Mean probability of its characters, 0..1. */
  confidence: number;
  /** The line's corners in the image's pixels: top-left, top-right, bottom-right, bottom-left. */
  corners: TextBox['corners'];
}

/** The detector sees the image with its long side at most this (PaddleOCR's default limit). */
export const DETECT_MAX_SIDE = 960;
/**
 * Lines read with less confidence than this are noise: a texture, or a script the models do not
 * know. Measured on rendered text: Latin lines read at 0.94-1.00, Cyrillic and Hebrew come out as
 * Latin-looking garbage at 0.80-0.83, Arabic at 0.36.
 */
export const MIN_CONFIDENCE = 0.88;

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/** The detector's input: the image scaled to multiples of 32 within `maxSide`, BGR planes, ImageNet-normalised. */
function detectionInput(
  rgb: Uint8Array,
  width: number,
  height: number,
  maxSide: number,
): { tensor: ort.Tensor; w: number; h: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(32, Math.round((width * scale) / 32) * 32);
  const h = Math.max(32, Math.round((height * scale) / 32) * 32);
  const data = new Float32Array(3 * w * h);
  const plane = w * h;
  const sx = width / w;
  const sy = height / h;
  for (let y = 0; y < h; y++) {
    const srcY = Math.min(height - 1, Math.floor((y + 0.5) * sy));
    for (let x = 0; x < w; x++) {
      const srcX = Math.min(width - 1, Math.floor((x + 0.5) * sx));
      const i = (srcY * width + srcX) * 3;
      const o = y * w + x;
      for (let c = 0; c < 3; c++) data[(2 - c) * plane + o] = (rgb[i + c]! / 255 - MEAN[c]!) / STD[c]!;
    }
  }
  return { tensor: new ort.Tensor('float32', data, [1, 3, h, w]), w, h };
}

export class TextReader {
  readonly #detector: ort.InferenceSession;
  readonly #recogniser: ort.InferenceSession;
  readonly #dictionary: string[];
  /** Named when the recogniser and its dictionary disagree. */
  readonly #recogniserPath: string;

  private constructor(
    detector: ort.InferenceSession,
    recogniser: ort.InferenceSession,
    dictionary: string[],
    recogniserPath: string,
  ) {
    this.#detector = detector;
    this.#recogniser = recogniser;
    this.#dictionary = dictionary;
    this.#recogniserPath = recogniserPath;
  }

  /** The built-in models, or the built-in detector with another script's recogniser. */
  static async open(threads = 1, other?: TextRecogniserFiles): Promise<TextReader> {
    const files = ocrModelFiles();
    const recognition = other?.model ?? files.recognition;
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const [detector, recogniser, dictionary] = await Promise.all([
      ort.InferenceSession.create(files.detection, options),
      ort.InferenceSession.create(recognition, options),
      readDictionary(other?.dictionary ?? files.dictionary, other?.characters),
    ]);
    return new TextReader(detector, recogniser, dictionary, recognition);
  }

  /** The lines of text the detector finds, best first, in the image's pixels. */
  async detect(rgb: Uint8Array, width: number, height: number, maxSide = DETECT_MAX_SIDE): Promise<TextBox[]> {
    const { tensor, w, h } = detectionInput(rgb, width, height, maxSide);
    const out = (await this.#detector.run({ [this.#detector.inputNames[0]!]: tensor }))[
      this.#detector.outputNames[0]!
    ]!;
    return textBoxes(out.data as Float32Array, w, h, { x: width / w, y: height / h });
  }

  /** Every line read with enough confidence, in reading order. */
  async read(rgb: Uint8Array, width: number, height: number, minConfidence = MIN_CONFIDENCE): Promise<TextLine[]> {
    const lines: TextLine[] = [];
    for (const box of await this.detect(rgb, width, height)) {
      const line = lineInput(rgb, width, height, box);
      const input = new ort.Tensor('float32', line.data, [1, 3, LINE_HEIGHT, line.width]);
      const out = (await this.#recogniser.run({ [this.#recogniser.inputNames[0]!]: input }))[
        this.#recogniser.outputNames[0]!
      ]!;
      const [, steps = 0, classes = 0] = out.dims;
      // A blank, then the dictionary's characters and the space.
      if (classes !== this.#dictionary.length + 1)
        throw new ShoeboxError(
          'MODEL_INVALID',
          `the OCR recogniser ${this.#recogniserPath} reads ${classes - 2} characters, its dictionary holds ${this.#dictionary.length - 1}`,
        );
      const { text, confidence } = ctcDecode(out.data as Float32Array, steps, classes, this.#dictionary);
      if (text !== '' && confidence >= minConfidence) lines.push({ text, confidence, corners: box.corners });
    }
    return readingOrder(lines);
  }

  async close(): Promise<void> {
    await Promise.all([this.#detector.release(), this.#recogniser.release()]);
  }
}
