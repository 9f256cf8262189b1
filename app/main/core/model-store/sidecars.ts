// Graphs over 2 GB keep their weights in separate files beside model.onnx (Immich's M-CLIP text
// encoder has hundreds, named after the tensors), so a catalogue cannot list them by hand. It
// names a Hugging Face tree listing instead (GET /api/models/<repo>/tree/<rev>/<dir>), whose
// entries give each file's size and, for LFS files, its sha256.
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ShoeboxError } from '../errors.ts';
import type { CatalogEntry, CatalogFile } from './catalog.ts';
import { httpError, unreachableError } from './download-errors.ts';
import { NOT_WEIGHTS } from '../model/immich-layout.ts';

const itemSchema = z.object({
  type: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative().optional(),
  lfs: z.object({ oid: z.string(), size: z.number().int().nonnegative() }).optional(),
});
const listingSchema = z.array(itemSchema);

const SAFE_PATH = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The URL of the next page, from a Link header (`<url>; rel="next"`). */
function nextPage(link: string | string[] | undefined, base: string): string | null {
  const value = Array.isArray(link) ? link.join(', ') : link;
  const m = value ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(value) : null;
  return m ? new URL(m[1]!, base).href : null;
}

async function fetchListing(
  url: string,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
): Promise<{ items: z.infer<typeof listingSchema>; next: string | null }> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'Shoebox (model download)' },
      dispatcher,
      signal,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
  } catch (err) {
    throw unreachableError(err, url, 'the list of weight files', signal);
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw httpError(res.statusCode, url, 'the list of weight files');
  }
  const parsed = listingSchema.safeParse(await res.body.json());
  if (!parsed.success)
    throw new ShoeboxError('MODEL_INVALID', `the file listing at ${url} is not in the expected form`);
  return { items: parsed.data, next: nextPage(res.headers.link, url) };
}

/** The entry's files plus the external weight files its listings name (configs and other runtimes' exports left out). */
export async function resolveFiles(
  entry: CatalogEntry,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
): Promise<CatalogFile[]> {
  const files = [...entry.files];
  const known = new Set(files.map((f) => f.path));
  for (const sidecar of entry.sidecars ?? []) {
    for (let url: string | null = sidecar.listUrl, page = 0; url !== null && page < 100; page++) {
      const { items, next } = await fetchListing(url, dispatcher, signal);
      for (const item of items) {
        const name = item.path.split('/').pop() ?? '';
        if (
          item.type !== 'file' ||
          known.has(item.path) ||
          NOT_WEIGHTS.test(name) ||
          name === 'model.onnx' ||
          name.startsWith('.')
        )
          continue;
        if (!SAFE_PATH.test(item.path))
          throw new ShoeboxError('MODEL_INVALID', `the file listing at ${url} names an unsafe path "${item.path}"`);
        const bytes = item.lfs?.size ?? item.size;
        const sha = item.lfs?.oid.toLowerCase();
        known.add(item.path);
        files.push({
          path: item.path,
          url: new URL(item.path.split('/').map(encodeURIComponent).join('/'), sidecar.fileUrlPrefix).href,
          ...(bytes !== undefined ? { bytes } : { approxBytes: 1 }),
          ...(sha !== undefined && SHA256.test(sha) ? { sha256: sha } : {}),
        });
      }
      url = next;
    }
  }
  return files;
}
