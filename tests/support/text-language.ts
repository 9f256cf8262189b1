// A stand-in for a text language's download, for tests: the real recognisers cannot be fetched
// here, so the built-in PP-OCRv4 recogniser is served under a dictionary of its own, its digits
// 4 and 7 swapped, so a photo read with it reads differently ("INVOICE 7411").
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ocrModelFiles } from '#core/ocr/ocr-models.ts';
import type { ModelServer } from './model-server.ts';

/**
 * Writes the stand-in's rec.onnx and dict.txt into `dir` (the dictionary with the empty first
 * line some exports have, when `header`), and returns how many characters its dictionary holds.
 */
export async function writeStandIn(dir: string, header = false): Promise<number> {
  const builtIn = ocrModelFiles();
  const dict = (await readFile(builtIn.dictionary, 'utf8')).split('\n');
  const [four, seven] = [dict.indexOf('4'), dict.indexOf('7')];
  [dict[four], dict[seven]] = ['7', '4'];
  await writeFile(path.join(dir, 'dict.txt'), `${header ? '\n' : ''}${dict.join('\n')}`);
  await writeFile(path.join(dir, 'rec.onnx'), await readFile(builtIn.recognition));
  return dict.filter(Boolean).length;
}

/** A list entry for the stand-in `server` serves from `dir` under `repo`, every file pinned. */
export async function standInEntry(
  server: ModelServer,
  repo: string,
  dir: string,
  characters: number,
  entry: { id: string; name: string },
): Promise<Record<string, unknown>> {
  const file = async (rel: string): Promise<Record<string, unknown>> => {
    const data = await readFile(path.join(dir, rel));
    const sha256 = createHash('sha256').update(data).digest('hex');
    return { path: rel, url: server.url(repo, rel), bytes: data.length, sha256 };
  };
  return {
    ...entry,
    version: 'PP-OCRv4 mobile',
    languages: ['en'],
    files: [await file('rec.onnx'), await file('dict.txt')],
    characters,
    licence: 'Apache-2.0',
    verified: false,
  };
}
