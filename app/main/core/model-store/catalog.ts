// The catalogue of CLIP models Shoebox can download (resources/models/catalog.json), validated
// when it is loaded so a bad entry is reported up front rather than halfway through a download.
import { readFile } from 'node:fs/promises';
import { appFile } from '../app-files.ts';
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

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const HUB_HOSTS = new Set(['huggingface.co', 'hf.co']);
/** A Hub URL names a commit, never a branch or tag that can move: `/<repo>/resolve/<40 hex>/<path>`. */
const PINNED_HUB_PATH = /^\/[^/]+\/[^/]+\/resolve\/[0-9a-f]{40}\//;
/** GitHub's file hosts name a commit too: `/<owner>/<repo>/<40 hex>/<path>` (LFS files under `/media`). */
const GITHUB_PATHS: Record<string, RegExp> = {
  'raw.githubusercontent.com': /^\/[^/]+\/[^/]+\/[0-9a-f]{40}\//,
  'media.githubusercontent.com': /^\/media\/[^/]+\/[^/]+\/[0-9a-f]{40}\//,
};

/** https with the Hub's revision pinned to a commit; plain http only to this machine (tests, a local mirror). */
const fileUrl = z.url({ protocol: /^https?$/ }).superRefine((raw, ctx) => {
  const url = new URL(raw);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname))
    ctx.addIssue({ code: 'custom', message: 'must be https (plain http only to this machine)' });
  if (HUB_HOSTS.has(url.hostname) && !PINNED_HUB_PATH.test(url.pathname))
    ctx.addIssue({ code: 'custom', message: 'must name a commit (resolve/<40 hex digits>/), not a branch' });
  const github = GITHUB_PATHS[url.hostname];
  if (github && !github.test(url.pathname))
    ctx.addIssue({ code: 'custom', message: 'must name a commit (<owner>/<repo>/<40 hex digits>/), not a branch' });
});

export const fileSchema = z.object({
  path: relPath,
  url: fileUrl,
  /** Exact size: a download of any other length is refused. */
  bytes: z.number().int().positive(),
  /** The file's sha256 (a Hub file's LFS oid): a download with any other is refused. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
});

const jsonObject = z.record(z.string(), z.unknown());

const entrySchema = z
  .object({
    id: z.string().regex(MODEL_ID, 'must be letters, digits, ".", "_" or "-"'),
    name: z.string().min(1),
    repo: z.string().min(1),
    layout: z.enum(['huggingface', 'immich']),
    /** What is downloaded: every file pinned by size and sha256. */
    files: z.array(fileSchema).min(1),
    /**
     * Small settings files (preprocessing, tokenizer options, context length) written from the
     * catalogue itself rather than downloaded: reviewed with the code, nothing to pin.
     */
    settings: z.record(relPath, jsonObject).optional(),
    dim: z.number().int().positive(),
    contextLength: z.number().int().positive(),
    imageSize: z.number().int().positive().optional(),
    licence: z.string().min(1),
    languages: z.array(z.string().min(1)).min(1),
    note: z.string().min(1),
    /** False where the pins were taken from published listings but the model was not run end to end. */
    verified: z.boolean(),
  })
  .superRefine((e, ctx) => {
    const paths = [...e.files.map((f) => f.path), ...Object.keys(e.settings ?? {})];
    if (new Set(paths).size !== paths.length)
      ctx.addIssue({ code: 'custom', message: 'a file path appears twice (files and settings included)' });
    const required = Object.values(e.layout === 'immich' ? IMMICH_FILES : HF_FILES);
    for (const rel of required) {
      if (!paths.includes(rel)) ctx.addIssue({ code: 'custom', message: `the ${e.layout} layout needs ${rel}` });
    }
  });

const catalogSchema = z
  .object({
    version: z.literal(2),
    /** The model offered first. */
    default: z.string(),
    /** The model offered first where the system language is not one of the default's languages. */
    multilingualDefault: z.string().optional(),
    note: z.string().optional(),
    models: z.array(entrySchema).min(1),
  })
  .superRefine((c, ctx) => {
    const ids = c.models.map((m) => m.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'a model id appears twice' });
    for (const key of ['default', 'multilingualDefault'] as const) {
      const id = c[key];
      if (id !== undefined && !ids.includes(id))
        ctx.addIssue({ code: 'custom', message: `the ${key} "${id}" is not in the list` });
    }
  });

export type CatalogFile = z.infer<typeof fileSchema>;
export type CatalogEntry = z.infer<typeof entrySchema>;
export type Catalog = z.infer<typeof catalogSchema>;

/** $SHOEBOX_MODEL_CATALOG, else resources/models/catalog.json beside the sources. */
export function defaultCatalogPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CATALOG_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return appFile('resources', 'models', 'catalog.json');
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
  return parseCatalog(await readJson(path, 'model catalogue'), path);
}

/** A catalogue file's JSON, or an error that names the file and what is wrong with it. */
export async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ShoeboxError('MODEL_INVALID', `cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ShoeboxError('MODEL_INVALID', `the ${what} ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Total size of an entry's downloads (exact: every catalogue file is pinned). */
export function entrySize(entry: { files: readonly CatalogFile[] }): number {
  return entry.files.reduce((n, f) => n + f.bytes, 0);
}

/**
 * The model to offer first for a system language ("fr", "de-CH", "en-GB"): the catalogue's
 * default where it speaks that language, else its multilingual default.
 */
export function defaultModelId(catalog: Catalog, language: string): string {
  const primary = language.toLowerCase().split(/[-_.]/)[0] ?? '';
  const main = catalog.models.find((m) => m.id === catalog.default);
  if (!catalog.multilingualDefault || primary === '' || main?.languages.includes(primary)) return catalog.default;
  return catalog.multilingualDefault;
}
