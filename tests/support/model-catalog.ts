// Catalogue entries for models served by tests/support/model-server.ts, written as the JSON file
// SHOEBOX_MODEL_CATALOG (or ModelStore's catalogPath) points at.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelServer } from './model-server.ts';

const HF_FILES = [
  'onnx/vision_model.onnx',
  'onnx/text_model.onnx',
  'tokenizer.json',
  'tokenizer_config.json',
  'preprocessor_config.json',
  'config.json',
];
const IMMICH_FILES = [
  'visual/model.onnx',
  'textual/model.onnx',
  'textual/tokenizer.json',
  'textual/tokenizer_config.json',
  'visual/preprocess_cfg.json',
  'config.json',
];

export interface TestEntryOptions {
  id: string;
  repo: string;
  /** The served folder the entry describes. */
  dir: string;
  layout?: 'huggingface' | 'immich';
  /** Put each file's sha256 in the catalogue (else only the server's hashes check it). */
  sha256?: boolean;
  /** Exact sizes (else approxBytes, as the real catalogue has). */
  exactSizes?: boolean;
  /** Folders whose other files come from the server's tree listing. */
  sidecarDirs?: string[];
}

export async function testEntry(server: ModelServer, o: TestEntryOptions): Promise<Record<string, unknown>> {
  const layout = o.layout ?? 'huggingface';
  const files = [];
  for (const rel of layout === 'immich' ? IMMICH_FILES : HF_FILES) {
    const data = await readFile(path.join(o.dir, rel));
    files.push({
      path: rel,
      url: server.url(o.repo, rel),
      ...(o.exactSizes ? { bytes: data.length } : { approxBytes: data.length + 1000 }),
      ...(o.sha256 ? { sha256: createHash('sha256').update(data).digest('hex') } : {}),
    });
  }
  return {
    id: o.id,
    name: `Test model ${o.id}`,
    repo: o.repo,
    layout,
    files,
    ...(o.sidecarDirs
      ? {
          sidecars: o.sidecarDirs.map((d) => ({
            listUrl: server.listUrl(o.repo, d),
            fileUrlPrefix: `${server.origin}/${o.repo}/resolve/main/`,
            approxBytes: 1000,
          })),
        }
      : {}),
    dim: 16,
    contextLength: 77,
    imageSize: 64,
    licence: 'MIT',
    languages: ['en'],
    note: 'A tiny generated model for tests.',
    verified: true,
  };
}

export async function writeCatalog(file: string, entries: Record<string, unknown>[]): Promise<string> {
  await writeFile(file, JSON.stringify({ version: 1, default: entries[0]!.id, models: entries }, null, 2));
  return file;
}
