// The last steps every install and import share, done in the staging folder so the model's
// own folder only ever appears complete: Immich's layout is converted, the folder is opened as
// the engine will open it, both graphs are loaded once, the manifest is written, and the
// staging folder is renamed into place.
import { rename } from 'node:fs/promises';
import { ShoeboxError } from '../errors.ts';
import { openModelFolder } from '../model/model-folder.ts';
import { probeGraphs } from '../model/graph-io.ts';
import { convertImmichFolder } from '../model/immich-layout.ts';
import type { LayoutKind } from '../model/model-layout.ts';
import { layoutKind } from '../model/model-layout.ts';
import { writeManifest } from '../model/model-manifest.ts';
import type { ModelManifest } from '../model/model-manifest.ts';
import { exists } from '../scan/inside-roots.ts';

export interface InstalledModel {
  id: string;
  dir: string;
  /** True when the model was already there and nothing was done. */
  alreadyInstalled: boolean;
  dim: number | null;
}

export interface FinishInfo {
  id: string;
  name: string;
  source: { kind: 'catalog' | 'import'; from: string; layout: LayoutKind };
}

export async function finishModelFolder(staging: string, final: string, info: FinishInfo): Promise<InstalledModel> {
  if ((await layoutKind(staging)) === 'immich') await convertImmichFolder(staging, staging, 'move');
  const folder = await openModelFolder(staging);
  const probe = await probeGraphs(folder.visionPath, folder.textPath, folder.io);
  const { visionInput, visionOutput, textInput, textOutput, textMask } = probe.io;
  const manifest: Omit<ModelManifest, 'format' | 'version'> = {
    id: info.id,
    name: info.name,
    source: info.source,
    io: { visionInput, visionOutput, textInput, textOutput, ...(textMask !== undefined ? { textMask } : {}) },
    ...(probe.dim !== null ? { dim: probe.dim } : {}),
    ...(probe.contextLength !== null ? { contextLength: probe.contextLength } : {}),
    installedAt: new Date().toISOString(),
  };
  await writeManifest(staging, manifest);
  if (await exists(final))
    throw new ShoeboxError(
      'BAD_REQUEST',
      `${final} appeared while ${info.id} was being installed; remove it and try again`,
    );
  await rename(staging, final);
  return { id: info.id, dir: final, alreadyInstalled: false, dim: probe.dim };
}
