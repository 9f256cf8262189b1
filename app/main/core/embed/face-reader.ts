// Finds faces and describes each with a vector, on onnxruntime in the inference process: BlazeFace
// finds them with six landmarks, each is cut out upright by its eyes, nose and mouth, and
// MobileFaceNet turns it into 512 numbers (unit length) where the same person's faces lie close.
// On the CPU: both models are small (0.6 and 4.9 MB) and a run costs milliseconds.
import * as ort from 'onnxruntime-node';
import { alignFace, FACE_SIZE } from '../faces/face-align.ts';
import { decodeFaces, DEFAULT_MAX_FACES, DEFAULT_MIN_FACE, DETECT_SIZE, detectorInput } from '../faces/face-detect.ts';
import type { DetectedFace } from '../faces/face-detect.ts';
import { faceModelFiles } from '../faces/face-models.ts';
import { normalise } from '../vectors.ts';

export interface FoundFace extends DetectedFace {
  /** The face's description, unit length; close (by dot product) for the same person. */
  embedding: Float32Array;
  /** Variance of the aligned cut-out's Laplacian: low for a blurred or tiny face. */
  sharpness: number;
}

export interface FindFacesOptions {
  /** Faces narrower than this many of the image's pixels are left out (too small to recognise). */
  minSize?: number;
  /** At most this many faces, largest first: a crowd of 500 must not stall indexing. */
  maxFaces?: number;
}

export class FaceReader {
  readonly #detector: ort.InferenceSession;
  readonly #recogniser: ort.InferenceSession;

  private constructor(detector: ort.InferenceSession, recogniser: ort.InferenceSession) {
    this.#detector = detector;
    this.#recogniser = recogniser;
  }

  static async open(threads = 1, dir?: string): Promise<FaceReader> {
    const files = faceModelFiles(dir);
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    };
    const [detector, recogniser] = await Promise.all([
      ort.InferenceSession.create(files.detector, options),
      ort.InferenceSession.create(files.recogniser, options),
    ]);
    return new FaceReader(detector, recogniser);
  }

  /** Where the faces are, in the image's pixels, surest first. */
  async detect(rgb: Uint8Array, width: number, height: number): Promise<DetectedFace[]> {
    const { data, box } = detectorInput(rgb, width, height);
    const input = new ort.Tensor('float32', data, [1, DETECT_SIZE, DETECT_SIZE, 3]);
    const out = await this.#detector.run({ [this.#detector.inputNames[0]!]: input });
    // Outputs by size, not name: the 512 anchors of stride 16, then the 384 of stride 32.
    const tensors = this.#detector.outputNames.map((n) => out[n]!);
    const pick = (anchors: number, width: number): Float32Array =>
      tensors.find((t) => t.dims[1] === anchors && t.dims[2] === width)!.data as Float32Array;
    return decodeFaces(
      [
        { scores: pick(512, 1), boxes: pick(512, 16) },
        { scores: pick(384, 1), boxes: pick(384, 16) },
      ],
      box,
    );
  }

  /** One face's description from its landmarks. */
  async describe(
    rgb: Uint8Array,
    width: number,
    height: number,
    face: DetectedFace,
  ): Promise<{ embedding: Float32Array; sharpness: number }> {
    const aligned = alignFace(rgb, width, height, face.landmarks);
    const input = new ort.Tensor('float32', aligned.tensor, [1, 3, FACE_SIZE, FACE_SIZE]);
    const out = await this.#recogniser.run({ [this.#recogniser.inputNames[0]!]: input });
    const embedding = normalise(Float32Array.from(out[this.#recogniser.outputNames[0]!]!.data as Float32Array));
    return { embedding, sharpness: aligned.sharpness };
  }

  /** Every face big enough to recognise, largest first, each described. */
  async find(rgb: Uint8Array, width: number, height: number, opts: FindFacesOptions = {}): Promise<FoundFace[]> {
    const minSize = opts.minSize ?? DEFAULT_MIN_FACE;
    const faces = (await this.detect(rgb, width, height))
      .filter((f) => f.width >= minSize)
      .sort((a, b) => b.width * b.height - a.width * a.height)
      .slice(0, opts.maxFaces ?? DEFAULT_MAX_FACES);
    const found: FoundFace[] = [];
    for (const face of faces) found.push({ ...face, ...(await this.describe(rgb, width, height, face)) });
    return found;
  }

  async close(): Promise<void> {
    await Promise.all([this.#detector.release(), this.#recogniser.release()]);
  }
}
