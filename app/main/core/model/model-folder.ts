import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { ShoeboxError } from '../errors.ts';
import { detectFamily, resolveCalibration } from './calibration.ts';
import type { Calibration } from './calibration.ts';
import type { ModelIo } from './graph-io.ts';
import { detectLayout } from './model-layout.ts';

/** sharp's resampling kernels that stand in for PIL's resample codes. */
export type ResampleKernel = 'nearest' | 'linear' | 'cubic' | 'lanczos3';

/**
 * What `preprocessor_config.json` asks for, resolved into one shape the decoder follows
 * exactly. `resize` is either CLIP's "shortest edge" or an exact size (SigLIP-style exports).
 */
export interface PreprocessSpec {
  resize: { mode: 'shortest_edge'; shortestEdge: number } | { mode: 'exact'; width: number; height: number } | null;
  crop: { width: number; height: number } | null;
  resample: ResampleKernel;
  rescaleFactor: number | null;
  mean: [number, number, number] | null;
  std: [number, number, number] | null;
}

export interface ModelFolder {
  dir: string;
  /** Stable id of these weights: vectors are stored under it and never compared across ids. */
  id: string;
  name: string;
  visionPath: string;
  textPath: string;
  preprocess: PreprocessSpec;
  tokenizerJson: unknown;
  tokenizerConfig: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Graph input/output names from shoebox-model.json; absent, the inference process finds them. */
  io?: Partial<ModelIo>;
  /** What its scores mean: the thresholds tags, smart albums and the relevance cut use. */
  calibration: Calibration;
}

// PIL's resample codes as written by transformers: 0 nearest, 1 lanczos, 2 bilinear,
// 3 bicubic, 4 box, 5 hamming. sharp has no box/hamming filter; linear is the nearest match.
const PIL_RESAMPLE: Record<number, ResampleKernel> = {
  0: 'nearest',
  1: 'lanczos3',
  2: 'linear',
  3: 'cubic',
  4: 'linear',
  5: 'linear',
};

const sizeSchema = z.union([
  z.number().int().positive(),
  z.object({ shortest_edge: z.number().int().positive() }),
  z.object({ height: z.number().int().positive(), width: z.number().int().positive() }),
]);
const triple = z.tuple([z.number(), z.number(), z.number()]);
const preprocessorSchema = z.object({
  do_resize: z.boolean().optional(),
  size: sizeSchema.optional(),
  resample: z.number().int().optional(),
  do_center_crop: z.boolean().optional(),
  crop_size: sizeSchema.optional(),
  do_rescale: z.boolean().optional(),
  rescale_factor: z.number().optional(),
  do_normalize: z.boolean().optional(),
  image_mean: triple.optional(),
  image_std: triple.optional(),
});

export function parsePreprocessorConfig(raw: unknown): PreprocessSpec {
  const parsed = preprocessorSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `preprocessor_config.json is not understood: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const p = parsed.data;
  let resize: PreprocessSpec['resize'] = null;
  if (p.do_resize !== false && p.size !== undefined) {
    if (typeof p.size === 'number') resize = { mode: 'shortest_edge', shortestEdge: p.size };
    else if ('shortest_edge' in p.size) resize = { mode: 'shortest_edge', shortestEdge: p.size.shortest_edge };
    else resize = { mode: 'exact', width: p.size.width, height: p.size.height };
  }
  let crop: PreprocessSpec['crop'] = null;
  if (p.do_center_crop !== false && p.crop_size !== undefined) {
    if (typeof p.crop_size === 'number') crop = { width: p.crop_size, height: p.crop_size };
    else if ('shortest_edge' in p.crop_size)
      crop = { width: p.crop_size.shortest_edge, height: p.crop_size.shortest_edge };
    else crop = { width: p.crop_size.width, height: p.crop_size.height };
  }
  const normalize = p.do_normalize !== false && p.image_mean !== undefined && p.image_std !== undefined;
  return {
    resize,
    crop,
    resample: PIL_RESAMPLE[p.resample ?? 3] ?? 'cubic',
    rescaleFactor: p.do_rescale === false ? null : (p.rescale_factor ?? 1 / 255),
    mean: normalize ? p.image_mean! : null,
    std: normalize ? p.image_std! : null,
  };
}

/** The pixel size the preprocessing produces, before the graph's own input shape is consulted. */
export function outputSize(spec: PreprocessSpec): { width: number; height: number } | null {
  if (spec.crop) return spec.crop;
  if (spec.resize?.mode === 'exact') return { width: spec.resize.width, height: spec.resize.height };
  return null;
}

async function readJson(dir: string, rel: string): Promise<unknown> {
  const text = await readFile(join(dir, rel), 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ShoeboxError('MODEL_INVALID', `${rel} in ${dir} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Opens a model folder, naming the first missing file so a user knows what to fetch.
 * Reads only the small JSON files; the ONNX graphs are opened by the embedder.
 */
export async function openModelFolder(dirArg: string): Promise<ModelFolder> {
  const dir = resolve(dirArg);
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new ShoeboxError('MODEL_MISSING', `model folder not found: ${dir}`);
  // Immich's layout (visual/, textual/) is read in place too, so --model takes either download.
  const layout = await detectLayout(dir);
  const files = layout.files;
  const sizes: number[] = [];
  for (const rel of Object.values(files)) {
    const s = await stat(join(dir, rel)).catch(() => null);
    if (!s?.isFile()) throw new ShoeboxError('MODEL_MISSING', `model folder ${dir} is missing ${rel}`);
    sizes.push(s.size);
  }
  const config = layout.config(await readJson(dir, files.config));
  const preprocess = parsePreprocessorConfig(layout.preprocessor(await readJson(dir, files.preprocessor)));
  const tokenizerJson = await readJson(dir, files.tokenizer);
  const tokenizerConfig = (await readJson(dir, files.tokenizerConfig)) as Record<string, unknown>;
  const nameOrPath =
    typeof config._name_or_path === 'string' && config._name_or_path !== '' ? config._name_or_path : basename(dir);
  const name = nameOrPath.split('/').pop() ?? nameOrPath;
  // Weights differ when their sizes or config differ; hashing hundreds of MB of ONNX at every
  // start would cost seconds, and a re-export with identical sizes and config is the same model.
  const fingerprint = createHash('sha256').update(JSON.stringify({ config, sizes })).digest('hex').slice(0, 10);
  return {
    dir,
    id: `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${fingerprint}`,
    name,
    visionPath: join(dir, files.vision),
    textPath: join(dir, files.text),
    preprocess,
    tokenizerJson,
    tokenizerConfig,
    config,
    ...(layout.io ? { io: layout.io } : {}),
    calibration: resolveCalibration(detectFamily(config, nameOrPath), layout.calibration),
  };
}
