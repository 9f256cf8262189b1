// Immich's CLIP model layout (the immich-app/* repositories on Hugging Face):
//   visual/model.onnx, visual/preprocess_cfg.json (open_clip's preprocessing config),
//   textual/model.onnx, textual/tokenizer.json, textual/tokenizer_config.json,
//   config.json (open_clip's model config: embed_dim, vision_cfg, text_cfg.context_length).
// Its graphs are exported with a fixed batch of 1, already-normalised outputs, int32 token ids
// and names image/text/embedding; graph-io.ts and the inference process cope with all of that, so
// this file only maps the JSON and moves files into the Hugging Face layout.
import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ShoeboxError } from '../errors.ts';

export const IMMICH_FILES = {
  vision: 'visual/model.onnx',
  text: 'textual/model.onnx',
  tokenizer: 'textual/tokenizer.json',
  tokenizerConfig: 'textual/tokenizer_config.json',
  preprocessor: 'visual/preprocess_cfg.json',
  config: 'config.json',
} as const;

// open_clip's defaults (OPENAI_DATASET_MEAN/STD), used when the config leaves them out.
const OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_STD = [0.26862954, 0.26130258, 0.27577711];
// PIL resample codes, as preprocessor_config.json writes them.
const RESAMPLE: Record<string, number> = { nearest: 0, lanczos: 1, bilinear: 2, bicubic: 3, box: 4, hamming: 5 };

const side = z.number().int().positive();
const triple = z.tuple([z.number(), z.number(), z.number()]);
const preprocessCfgSchema = z.object({
  size: z.union([side, z.tuple([side, side]), z.tuple([side])]),
  mean: triple.optional(),
  std: triple.optional(),
  interpolation: z.string().optional(),
  resize_mode: z.string().optional(),
});

/** preprocessor_config.json's equivalent of open_clip's preprocess_cfg.json. */
export function immichPreprocessorConfig(raw: unknown): Record<string, unknown> {
  const parsed = preprocessCfgSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `visual/preprocess_cfg.json is not understood: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const p = parsed.data;
  const [height, width] = typeof p.size === 'number' ? [p.size, p.size] : [p.size[0], p.size[1] ?? p.size[0]];
  const interpolation = (p.interpolation ?? 'bicubic').toLowerCase();
  const resample = RESAMPLE[interpolation];
  if (resample === undefined)
    throw new ShoeboxError(
      'MODEL_INVALID',
      `visual/preprocess_cfg.json asks for interpolation "${interpolation}", which Shoebox does not know`,
    );
  const common = {
    do_resize: true,
    resample,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: p.mean ?? OPENAI_MEAN,
    image_std: p.std ?? OPENAI_STD,
  };
  const mode = p.resize_mode ?? 'shortest';
  // open_clip: "shortest" scales the short side then centre-crops; "squash" scales to the exact
  // size; "longest" letterboxes, which Shoebox's decoder does not do.
  if (mode === 'shortest')
    return {
      ...common,
      size: { shortest_edge: Math.min(height, width) },
      do_center_crop: true,
      crop_size: { height, width },
    };
  if (mode === 'squash') return { ...common, size: { height, width }, do_center_crop: false };
  throw new ShoeboxError(
    'MODEL_INVALID',
    `visual/preprocess_cfg.json asks for resize_mode "${mode}", which Shoebox does not support (it supports shortest and squash)`,
  );
}

/**
 * Immich's config.json with the text context length also where the inference process looks for it
 * (text_config.max_position_embeddings), for graphs whose sequence axis is dynamic.
 */
export function immichConfig(raw: unknown): Record<string, unknown> {
  const config = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const textCfg = config.text_cfg as Record<string, unknown> | undefined;
  const contextLength = textCfg?.context_length;
  if (config.text_config !== undefined || typeof contextLength !== 'number') return config;
  return { ...config, text_config: { max_position_embeddings: contextLength } };
}

// Files beside a graph that are not its external weights: configs, tokenizer sources, and the
// other runtimes' exports Immich ships (ARM NN, RKNN).
export const NOT_WEIGHTS = /\.(json|md|txt|model|armnn|rknn)$/i;

/**
 * Puts an Immich-layout folder into `dest` in the Hugging Face layout: graphs at
 * onnx/vision_model.onnx and onnx/text_model.onnx (external weight files beside them, as the
 * graphs refer to them by name), tokenizer files at the top, and preprocessor_config.json
 * written from preprocess_cfg.json. `move` renames within one disk (an install's download
 * folder); `copy` leaves the source untouched (an import).
 */
export async function convertImmichFolder(src: string, dest: string, how: 'copy' | 'move'): Promise<void> {
  const transfer = (from: string, to: string): Promise<void> =>
    how === 'move' ? rename(from, to) : copyFile(from, to, constants.COPYFILE_FICLONE);
  const readJson = async (rel: string): Promise<unknown> => {
    try {
      return JSON.parse(await readFile(join(src, rel), 'utf8')) as unknown;
    } catch (err) {
      throw new ShoeboxError('MODEL_INVALID', `${rel} in ${src} cannot be read: ${(err as Error).message}`);
    }
  };
  const preprocessor = immichPreprocessorConfig(await readJson(IMMICH_FILES.preprocessor));
  const config = immichConfig(await readJson(IMMICH_FILES.config));
  await mkdir(join(dest, 'onnx'), { recursive: true });
  const placed = new Set<string>();
  for (const [sub, graph] of [
    ['visual', 'vision_model.onnx'],
    ['textual', 'text_model.onnx'],
  ] as const) {
    await transfer(join(src, sub, 'model.onnx'), join(dest, 'onnx', graph));
    const entries = await readdir(join(src, sub), { withFileTypes: true });
    for (const e of entries) {
      if (!e.isFile() || e.name === 'model.onnx' || NOT_WEIGHTS.test(e.name)) continue;
      if (placed.has(e.name))
        throw new ShoeboxError(
          'MODEL_INVALID',
          `both graphs keep external weights named "${e.name}"; Shoebox cannot put them in one onnx/ folder`,
        );
      placed.add(e.name);
      await transfer(join(src, sub, e.name), join(dest, 'onnx', e.name));
    }
  }
  await transfer(join(src, IMMICH_FILES.tokenizer), join(dest, 'tokenizer.json'));
  await transfer(join(src, IMMICH_FILES.tokenizerConfig), join(dest, 'tokenizer_config.json'));
  await writeFile(join(dest, 'preprocessor_config.json'), JSON.stringify(preprocessor, null, 2) + '\n');
  if (how === 'move') {
    await rm(join(src, 'visual'), { recursive: true, force: true });
    await rm(join(src, 'textual'), { recursive: true, force: true });
  }
  await writeFile(join(dest, 'config.json'), JSON.stringify(config, null, 2) + '\n');
}
