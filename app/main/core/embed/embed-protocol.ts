import type { PreprocessSpec } from '../model/model-folder.ts';
import type { ModelIo, ResolvedIo } from '../model/graph-io.ts';
import type { ExecutionProvider } from './onnx-session.ts';
import type { FoundFace } from './face-reader.ts';
import type { TextLine } from './text-reader.ts';
import type { TextRecogniserFiles } from '../ocr/ocr-models.ts';

/** What the inference process needs to open a model; plain data so it crosses process messaging. */
export interface InferenceInit {
  visionPath: string;
  textPath: string;
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  config: Record<string, unknown>;
  preprocess: PreprocessSpec;
  /** Graph names from the folder's shoebox-model.json; see models/graph-io.ts. */
  io?: Partial<ModelIo>;
  providers: ExecutionProvider[];
  /** Intra-op threads; unset: tuned per provider. */
  threads?: number;
  /** Release the image encoder after this long without images (0: never); default 30 s. */
  releaseImagesAfterMs?: number;
  /**
   * What an earlier process of the same model found. A restart after an idle exit then opens
   * the text graph only, on the provider already proved, and skips the probes.
   */
  known?: OpenedInfo;
}

export interface EmbedderInfo {
  dim: number;
  inputSize: { width: number; height: number };
  contextLength: number;
  provider: ExecutionProvider;
  fallbacks: string[];
  /** Largest batch the vision graph accepts (1 for exports with a fixed batch size). */
  maxBatch: number;
  /** The batch size that suits the provider, within maxBatch. */
  batch: number;
  /** Texts are padded only to the longest in their batch, not to the context length (see trimsPadding). */
  trimsText: boolean;
}

/** The process's findings about its model, handed back on a restart (see InferenceInit.known). */
export interface OpenedInfo {
  info: EmbedderInfo;
  io: ResolvedIo;
}

export type EmbedRequest =
  | { type: 'images'; id: number; rgb: Uint8Array; count: number }
  | { type: 'texts'; id: number; texts: string[] }
  /**
   * Text in one image (interleaved 8-bit RGB, width × height), read by the OCR models; with
   * `detectOnly`, only where lines are (their text empty), as the check before reading.
   */
  | {
      type: 'read-text';
      id: number;
      rgb: Uint8Array;
      width: number;
      height: number;
      detectOnly?: boolean;
      /** Another script's recogniser (a text language), where the library chose one. */
      recogniser?: TextRecogniserFiles;
    }
  /** The faces in one image (interleaved 8-bit RGB), found and described by the face models. */
  | { type: 'find-faces'; id: number; rgb: Uint8Array; width: number; height: number };

/** The answer to one request, by its id: the vectors or lines of text, or why there are none. */
export type EmbedReply =
  | { type: 'result'; id: number; vectors: Float32Array }
  | { type: 'lines'; id: number; lines: TextLine[] }
  | { type: 'faces'; id: number; faces: FoundFace[] }
  | { type: 'failed'; id: number; message: string; code: string };

/**
 * Unprompted news from the process: the image encoder was released or loaded again, or it could
 * not reopen on the proved provider and runs on `provider` (the CPU) from now on.
 */
export type InferenceEvent =
  { type: 'image-encoder'; loaded: boolean } | { type: 'fell-back'; provider: ExecutionProvider; reason: string };

/** The process's first message: the model is open, or it could not be opened. */
export type InferenceHello =
  { type: 'hello'; opened: OpenedInfo } | { type: 'open-failed'; message: string; code: string };

/** Parent → inference process: the model to open (first message), then requests. */
export type ParentMessage = { type: 'init'; init: InferenceInit } | EmbedRequest;

/** Inference process → parent: the hello (first message), then replies and events. */
export type InferenceMessage = InferenceHello | EmbedReply | InferenceEvent;
