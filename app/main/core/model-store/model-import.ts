// Importing a model folder the user already has (a manual download, an Immich model cache): it
// is copied, never moved, into <models>/.installing-<id>/ in the Hugging Face layout, then
// finished like a download.
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ShoeboxError } from '../errors.ts';
import { openModelFolder } from '../model/model-folder.ts';
import { MODEL_ID } from '../../../shared/contract.ts';
import { convertImmichFolder } from '../model/immich-layout.ts';
import { acquireInstallLock } from './install-lock.ts';
import { finishModelFolder } from './model-finalize.ts';
import { exists } from '../scan/inside-roots.ts';
import type { InstalledModel } from './model-finalize.ts';
import { lockPath, stagingDir } from './model-install.ts';
import { HF_FILES, layoutKind } from '../model/model-layout.ts';
import { MANIFEST_FILE } from '../model/model-manifest.ts';

export interface ImportOptions {
  /** The model's id (its folder name); default: the source folder's name. */
  id?: string;
}

/** A folder name made into a model id: "XLM-Roberta-Large-Vit-B-32", "my model" → "my-model". */
export function idFromFolder(folder: string): string {
  return basename(resolve(folder))
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-._]+/, '')
    .slice(0, 80);
}

const copy = (from: string, to: string): Promise<void> => copyFile(from, to, constants.COPYFILE_FICLONE);

/**
 * The Hugging Face layout's six files plus the graphs' external weight files, which exporters
 * name after the graph (vision_model.onnx_data, vision_model.onnx.data). Other variants an
 * export repository holds (fp16, quantized) are left behind.
 */
async function copyHfFolder(src: string, dest: string): Promise<void> {
  for (const rel of Object.values(HF_FILES)) {
    await mkdir(dirname(join(dest, rel)), { recursive: true });
    await copy(join(src, rel), join(dest, rel));
  }
  for (const e of await readdir(join(src, 'onnx'), { withFileTypes: true })) {
    const sidecar = /^(vision|text)_model\.onnx.+$/.test(e.name);
    if (e.isFile() && sidecar) await copy(join(src, 'onnx', e.name), join(dest, 'onnx', e.name));
  }
}

export async function importFolder(
  folder: string,
  modelsDir: string,
  opts: ImportOptions = {},
): Promise<InstalledModel> {
  const src = resolve(folder);
  if (!(await stat(src).catch(() => null))?.isDirectory())
    throw new ShoeboxError('NOT_FOUND', `${src} is not a folder`);
  const id = opts.id ?? idFromFolder(src);
  if (!MODEL_ID.test(id))
    throw new ShoeboxError(
      'BAD_REQUEST',
      `"${id}" cannot be a model id: use letters, digits, ".", "_" and "-" (pass --id NAME)`,
    );
  const final = join(modelsDir, id);
  if (await exists(final))
    throw new ShoeboxError(
      'BAD_REQUEST',
      `a model called "${id}" is already installed: pass --id NAME, or remove it first (shoebox model remove ${id})`,
    );
  // Opened before anything is copied, so a folder missing a file is named at once.
  const source = await openModelFolder(src);
  const layout = await layoutKind(src);
  await mkdir(modelsDir, { recursive: true });
  const release = await acquireInstallLock(lockPath(modelsDir, id), id);
  const staging = stagingDir(modelsDir, id);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    if (layout === 'immich') await convertImmichFolder(src, staging, 'copy');
    else await copyHfFolder(src, staging);
    // Names someone recorded for these graphs still apply after the layout changes.
    if (await exists(join(src, MANIFEST_FILE))) await copy(join(src, MANIFEST_FILE), join(staging, MANIFEST_FILE));
    return await finishModelFolder(staging, final, {
      id,
      name: source.name,
      source: { kind: 'import', from: src, layout },
    });
  } catch (err) {
    // Unlike a download there is nothing worth keeping: the source is still there.
    await rm(staging, { recursive: true, force: true });
    throw err;
  } finally {
    await release();
  }
}
