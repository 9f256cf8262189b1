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

/** Small settings files the real catalogue writes from its own entries rather than downloading. */
const SETTINGS: Record<'huggingface' | 'immich', string[]> = {
  huggingface: ['tokenizer_config.json', 'preprocessor_config.json', 'config.json'],
  immich: ['textual/tokenizer_config.json', 'visual/preprocess_cfg.json', 'config.json'],
};

export interface TestEntryOptions {
  id: string;
  repo: string;
  /** The served folder the entry describes. */
  dir: string;
  layout?: 'huggingface' | 'immich';
  /** Downloads besides the layout's own (an Immich graph's external weights). */
  extraFiles?: string[];
}

/** An entry as the bundled catalogue writes them: every download pinned by size and sha256. */
export async function testEntry(server: ModelServer, o: TestEntryOptions): Promise<Record<string, unknown>> {
  const layout = o.layout ?? 'huggingface';
  const settingsFiles = SETTINGS[layout];
  const files = [];
  for (const rel of [...(layout === 'immich' ? IMMICH_FILES : HF_FILES), ...(o.extraFiles ?? [])]) {
    if (settingsFiles.includes(rel)) continue;
    const data = await readFile(path.join(o.dir, rel));
    files.push({
      path: rel,
      url: server.url(o.repo, rel),
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  }
  const settings: Record<string, unknown> = {};
  for (const rel of settingsFiles) settings[rel] = JSON.parse(await readFile(path.join(o.dir, rel), 'utf8')) as unknown;
  return {
    id: o.id,
    name: `Test model ${o.id}`,
    repo: o.repo,
    layout,
    files,
    settings,
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
  await writeFile(file, JSON.stringify({ version: 2, default: entries[0]!.id, models: entries }, null, 2));
  return file;
}
