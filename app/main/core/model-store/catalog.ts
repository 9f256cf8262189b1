// The catalogue of CLIP models Shoebox can download (resources/models/catalog.json), validated
// when it is loaded so a bad entry is reported up front rather than halfway through a download.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { MODEL_ID } from '../../../shared/contract.ts';
import { ShoeboxError } from '../errors.ts';
import { IMMICH_FILES } from '../model/immich-layout.ts';
import { HF_FILES } from '../model/model-layout.ts';

/** Points Shoebox at another catalogue file (tests, mirrors, an organisation's own list). */
export const CATALOG_ENV = 'SHOEBOX_MODEL_CATALOG';

// Relative, forward slashes, no "." or ".." segments: a catalogue can never write outside the
// model's folder.
const relPath = z
  .string()
  .regex(/^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*$/, 'must be a plain relative path');

const fileSchema = z
  .object({
    path: relPath,
    url: z.url({ protocol: /^https?$/ }),
    /** Exact size, when known; an install checks it. */
    bytes: z.number().int().nonnegative().optional(),
    /** A size for progress and for `model list`, not checked: the real size comes from the server. */
    approxBytes: z.number().int().positive().optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
      .optional(),
  })
  .refine(
    (f) => (f.bytes === undefined) !== (f.approxBytes === undefined),
    'give exactly one of bytes and approxBytes',
  );

const sidecarSchema = z.object({
  /** A Hugging Face tree listing (…/api/models/<repo>/tree/<rev>/<dir>) of a graph's external weight files. */
  listUrl: z.url({ protocol: /^https?$/ }),
  /** What each listed path is appended to for its download URL (…/<repo>/resolve/<rev>/). */
  fileUrlPrefix: z.url({ protocol: /^https?$/ }),
  /** Their combined size, for progress and `model list` before the listing is fetched. */
  approxBytes: z.number().int().positive(),
});

const entrySchema = z
  .object({
    id: z.string().regex(MODEL_ID, 'must be letters, digits, ".", "_" or "-"'),
    name: z.string().min(1),
    repo: z.string().min(1),
    layout: z.enum(['huggingface', 'immich']),
    files: z.array(fileSchema).min(1),
    sidecars: z.array(sidecarSchema).optional(),
    dim: z.number().int().positive(),
    contextLength: z.number().int().positive(),
    imageSize: z.number().int().positive().optional(),
    licence: z.string().min(1),
    languages: z.array(z.string().min(1)).min(1),
    note: z.string().min(1),
    /** False where the URLs, sizes or graph names were written without checking them against the host. */
    verified: z.boolean(),
  })
  .superRefine((e, ctx) => {
    const paths = e.files.map((f) => f.path);
    if (new Set(paths).size !== paths.length) ctx.addIssue({ code: 'custom', message: 'a file path appears twice' });
    const required = Object.values(e.layout === 'immich' ? IMMICH_FILES : HF_FILES);
    for (const rel of required) {
      if (!paths.includes(rel)) ctx.addIssue({ code: 'custom', message: `the ${e.layout} layout needs ${rel}` });
    }
  });

const catalogSchema = z
  .object({
    version: z.literal(1),
    default: z.string(),
    note: z.string().optional(),
    models: z.array(entrySchema).min(1),
  })
  .superRefine((c, ctx) => {
    const ids = c.models.map((m) => m.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'a model id appears twice' });
    if (!ids.includes(c.default))
      ctx.addIssue({ code: 'custom', message: `the default "${c.default}" is not in the list` });
  });

export type CatalogFile = z.infer<typeof fileSchema>;
export type CatalogEntry = z.infer<typeof entrySchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** $SHOEBOX_MODEL_CATALOG, else resources/models/catalog.json beside the sources. */
export function defaultCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CATALOG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return fileURLToPath(new URL('../../../../resources/models/catalog.json', import.meta.url));
}

export function parseCatalog(raw: unknown, where: string): Catalog {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new ShoeboxError('MODEL_INVALID', `the model catalogue ${where} is not valid: ${issues}`);
  }
  return parsed.data;
}

export async function loadCatalog(path: string = defaultCatalogPath()): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ShoeboxError('MODEL_INVALID', `cannot read the model catalogue ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ShoeboxError('MODEL_INVALID', `the model catalogue ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseCatalog(raw, path);
}

/** Total size of an entry's files; `approximate` when any size is an estimate. */
export function entrySize(entry: CatalogEntry): { bytes: number; approximate: boolean } {
  let bytes = 0;
  let approximate = false;
  for (const f of entry.files) {
    bytes += f.bytes ?? f.approxBytes ?? 0;
    if (f.bytes === undefined) approximate = true;
  }
  for (const s of entry.sidecars ?? []) {
    bytes += s.approxBytes;
    approximate = true;
  }
  return { bytes, approximate };
}
