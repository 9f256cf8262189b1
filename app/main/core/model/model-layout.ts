// The two model-folder layouts Shoebox reads: the common Hugging Face ONNX export and Immich's.
// openModelFolder asks this file where each file lives and how to read it, so `--model DIR`
// accepts a folder in either layout as it was downloaded.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelIo } from './graph-io.ts';
import { IMMICH_FILES, immichConfig, immichPreprocessorConfig } from './immich-layout.ts';
import type { CalibrationOverride } from './calibration.ts';
import { readManifest } from './model-manifest.ts';

export type FileRole = 'vision' | 'text' | 'tokenizer' | 'tokenizerConfig' | 'preprocessor' | 'config';

export const HF_FILES = {
  vision: 'onnx/vision_model.onnx',
  text: 'onnx/text_model.onnx',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  preprocessor: 'preprocessor_config.json',
  config: 'config.json',
} as const satisfies Record<FileRole, string>;

export type LayoutKind = 'huggingface' | 'immich';

export interface ModelLayout {
  kind: LayoutKind;
  files: Readonly<Record<FileRole, string>>;
  /** The layout's preprocessing file in preprocessor_config.json's shape. */
  preprocessor: (raw: unknown) => unknown;
  config: (raw: unknown) => Record<string, unknown>;
  /** Graph names from shoebox-model.json, when the folder has one. */
  io?: Partial<ModelIo>;
  /** shoebox-model.json's calibration, when it sets one. */
  calibration?: CalibrationOverride;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** Immich's layout when its vision graph is there and the Hugging Face one is not. */
export async function layoutKind(dir: string): Promise<LayoutKind> {
  if (await isFile(join(dir, HF_FILES.vision))) return 'huggingface';
  return (await isFile(join(dir, IMMICH_FILES.vision))) ? 'immich' : 'huggingface';
}

export async function detectLayout(dir: string): Promise<ModelLayout> {
  const manifest = await readManifest(dir);
  const io = {
    ...(manifest?.io ? { io: manifest.io } : {}),
    ...(manifest?.calibration ? { calibration: manifest.calibration } : {}),
  };
  if ((await layoutKind(dir)) === 'immich') {
    return { kind: 'immich', files: IMMICH_FILES, preprocessor: immichPreprocessorConfig, config: immichConfig, ...io };
  }
  return {
    kind: 'huggingface',
    files: HF_FILES,
    preprocessor: (raw) => raw,
    config: (raw) => raw as Record<string, unknown>,
    ...io,
  };
}
