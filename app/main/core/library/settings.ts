import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ShoeboxError } from '../errors.ts';

export const LIBRARY_SCHEMA_VERSION = 1;

const rootSchema = z.object({ path: z.string(), addedAt: z.string() });
const settingsSchema = z.object({
  schemaVersion: z.number().int(),
  roots: z.array(rootSchema),
  modelDir: z.string().optional(),
  /** The execution provider the user forced (cpu, cuda, dml, coreml, webgpu), or auto when unset. */
  device: z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu']).optional(),
  /** Face recognition; on unless turned off (turning it off deletes every face found). */
  faces: z.boolean().optional(),
  /** Which script's recogniser reads text in photos: a text language's id, built-in when unset. */
  textLanguage: z.string().optional(),
});

export type RootEntry = z.infer<typeof rootSchema>;
export type LibrarySettings = z.infer<typeof settingsSchema>;

const SETTINGS_FILE = 'library.json';

export function emptySettings(): LibrarySettings {
  return { schemaVersion: LIBRARY_SCHEMA_VERSION, roots: [] };
}

export async function readSettings(dir: string): Promise<LibrarySettings | null> {
  let text: string;
  try {
    text = await readFile(join(dir, SETTINGS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ShoeboxError('LIBRARY_UNREADABLE', `cannot read ${join(dir, SETTINGS_FILE)}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ShoeboxError('LIBRARY_UNREADABLE', `${join(dir, SETTINGS_FILE)} is not valid JSON`);
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success)
    throw new ShoeboxError(
      'LIBRARY_UNREADABLE',
      `${join(dir, SETTINGS_FILE)} is not a Shoebox library file: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  if (parsed.data.schemaVersion > LIBRARY_SCHEMA_VERSION) {
    throw new ShoeboxError(
      'LIBRARY_UNREADABLE',
      `the library at ${dir} was written by a newer Shoebox (schema ${parsed.data.schemaVersion}); update Shoebox to open it`,
    );
  }
  return parsed.data;
}

/** Written to a temporary file and renamed, so a crash leaves either the old or the new file. */
export async function writeSettings(dir: string, settings: LibrarySettings): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${SETTINGS_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(settings, null, 2));
  await rename(tmp, join(dir, SETTINGS_FILE));
}
