// shoebox-model.json: what Shoebox learnt about a model folder when it installed or imported it.
// Optional (a hand-made folder works without it); when present its graph names are authoritative.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ShoeboxError } from '../errors.ts';
import { calibrationSchema } from './calibration.ts';

export const MANIFEST_FILE = 'shoebox-model.json';
export const MANIFEST_VERSION = 1;

const name = z.string().min(1);
const ioSchema = z
  .object({
    visionInput: name,
    visionOutput: name,
    textInput: name,
    textOutput: name,
    textMask: name,
  })
  .partial();

const manifestSchema = z.object({
  format: z.literal('shoebox-model'),
  version: z.number().int().positive(),
  id: name,
  name: name.optional(),
  source: z
    .object({
      kind: z.enum(['catalog', 'import']),
      /** The catalogue repository or the folder it was imported from. */
      from: z.string(),
      layout: z.enum(['huggingface', 'immich']),
    })
    .optional(),
  io: ioSchema.optional(),
  dim: z.number().int().positive().optional(),
  contextLength: z.number().int().positive().optional(),
  /** What this model's scores mean, where it differs from its family's (see calibration.ts). */
  calibration: calibrationSchema.optional(),
  installedAt: z.string().optional(),
});

export type ModelManifest = z.infer<typeof manifestSchema>;

/** The manifest in `dir`, or null when the folder has none. */
export async function readManifest(dir: string): Promise<ModelManifest | null> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ShoeboxError('MODEL_INVALID', `${MANIFEST_FILE} in ${dir} is not valid JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `${MANIFEST_FILE} in ${dir} is not understood: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  if (parsed.data.version > MANIFEST_VERSION) {
    throw new ShoeboxError(
      'MODEL_INVALID',
      `${MANIFEST_FILE} in ${dir} was written by a newer Shoebox (version ${parsed.data.version}); update Shoebox to use this model`,
    );
  }
  return parsed.data;
}

export async function writeManifest(dir: string, manifest: Omit<ModelManifest, 'format' | 'version'>): Promise<void> {
  const tmp = join(dir, `${MANIFEST_FILE}.tmp`);
  await writeFile(
    tmp,
    JSON.stringify({ format: 'shoebox-model', version: MANIFEST_VERSION, ...manifest }, null, 2) + '\n',
  );
  await rename(tmp, join(dir, MANIFEST_FILE));
}
