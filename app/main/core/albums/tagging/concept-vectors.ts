import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { normalise } from '../../vectors.ts';
import { GENERIC_PROMPT } from './vocabulary.ts';

export interface PromptSet {
  id: string;
  prompts: readonly string[];
}

/** Concept text embeddings, one row per concept in the order given, then the generic caption. */
export interface ConceptMatrix {
  ids: string[];
  /** (count + 1) × dim, L2-normalised rows; the last row is GENERIC_PROMPT. */
  vectors: Float32Array;
  count: number;
  dim: number;
}

interface CacheFile {
  modelId: string;
  dim: number;
  vectors: Record<string, string>;
}

export type EmbedTexts = (texts: string[]) => Promise<Float32Array>;

/** Text batches this size keep one inference call's tensors small on any model. */
const TEXT_BATCH = 64;

function promptKey(prompts: readonly string[]): string {
  return createHash('sha256').update(prompts.join('\n')).digest('hex').slice(0, 24);
}

function decodeVector(base64: string): Float32Array {
  const b = Buffer.from(base64, 'base64');
  // Copied out: small Buffers share a pooled ArrayBuffer at an arbitrary offset.
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

async function readCache(file: string, modelId: string): Promise<CacheFile> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as CacheFile;
    if (parsed.modelId === modelId && typeof parsed.vectors === 'object') return parsed;
  } catch {
    // Missing or unreadable: the cache only saves time, so it is rebuilt.
  }
  return { modelId, dim: 0, vectors: {} };
}

/** Each set's prompts embedded, averaged and re-normalised: an ensemble is steadier than one prompt. */
async function embedSets(
  sets: readonly PromptSet[],
  embed: EmbedTexts,
  dim: number,
): Promise<Map<string, Float32Array>> {
  const texts = sets.flatMap((s) => s.prompts);
  const all = new Float32Array(texts.length * dim);
  for (let start = 0; start < texts.length; start += TEXT_BATCH) {
    all.set(await embed(texts.slice(start, start + TEXT_BATCH)), start * dim);
  }
  const out = new Map<string, Float32Array>();
  let row = 0;
  for (const s of sets) {
    const mean = new Float32Array(dim);
    for (let p = 0; p < s.prompts.length; p++, row++) {
      for (let k = 0; k < dim; k++) mean[k]! += all[row * dim + k]!;
    }
    out.set(promptKey(s.prompts), normalise(mean));
  }
  return out;
}

/**
 * Text embeddings of the concepts, cached in one small file per model keyed by each concept's
 * prompt set: a new or edited concept costs only its own prompts, and a read-only caller (no
 * writer lock) computes what is missing without writing.
 */
export async function conceptMatrix(
  sets: readonly PromptSet[],
  embed: EmbedTexts,
  opts: { modelId: string; dim: number; cacheFile: string; writable: boolean },
): Promise<ConceptMatrix> {
  const { dim } = opts;
  const all = [...sets, { id: '', prompts: [GENERIC_PROMPT] }];
  const cache = await readCache(opts.cacheFile, opts.modelId);
  const usable = cache.dim === dim ? cache.vectors : {};
  const missing = all.filter((s) => usable[promptKey(s.prompts)] === undefined);
  const fresh = missing.length > 0 ? await embedSets(missing, embed, dim) : new Map<string, Float32Array>();
  const vectors = new Float32Array(all.length * dim);
  all.forEach((s, i) => {
    const key = promptKey(s.prompts);
    const v = fresh.get(key) ?? decodeVector(usable[key]!);
    vectors.set(v.subarray(0, dim), i * dim);
  });
  if (fresh.size > 0 && opts.writable) {
    const next: CacheFile = { modelId: opts.modelId, dim, vectors: { ...usable } };
    for (const [key, v] of fresh)
      next.vectors[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    await mkdir(dirname(opts.cacheFile), { recursive: true });
    const tmp = `${opts.cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(next));
    await rename(tmp, opts.cacheFile);
  }
  return { ids: sets.map((s) => s.id), vectors, count: sets.length, dim };
}
