// Downloading, switching and removing models: what the model offer and the models list do.
import { api } from '../api/index.ts';
import { models } from '../state/models.svelte.ts';
import { notifications } from '../state/notifications.svelte.ts';
import type { ModelEntry } from '../../../../shared/types.ts';

export async function loadModels(): Promise<void> {
  const list = await api.call('models.list', {});
  if (list) {
    models.list = list;
    models.loaded = true;
  }
}

/** Runs one model call at a time; the list it answers with replaces the shown one. */
async function act(id: string, run: () => Promise<ModelEntry[] | undefined>): Promise<boolean> {
  if (models.busy !== null) return false;
  models.busy = id;
  try {
    const list = await run();
    if (list) models.list = list;
    return list !== undefined;
  } finally {
    models.busy = null;
  }
}

/** Starts (or, after a failure, resumes) a download; progress arrives as model.state events. */
export async function downloadModel(id: string): Promise<void> {
  await act(id, () => api.call('models.install', { id }));
}

export async function cancelDownload(): Promise<void> {
  const list = await api.call('models.cancel', {});
  if (list) models.list = list;
}

export async function useModel(model: ModelEntry): Promise<void> {
  const done = await act(model.id, () => api.call('models.use', { id: model.id }));
  if (done)
    notifications.info(
      `Switching to ${model.name}`,
      'Your photos are indexed again for it in the background; searches use the previous model until that has finished.',
    );
}

export function askRemoveModel(model: ModelEntry): void {
  models.removing = model;
}

export function cancelRemoveModel(): void {
  if (models.busy === null) models.removing = null;
}

export async function confirmRemoveModel(): Promise<void> {
  const model = models.removing;
  if (!model) return;
  const done = await act(model.id, () => api.call('models.remove', { id: model.id }));
  models.removing = null;
  if (done) notifications.success(`${model.name} removed`, 'Its files and its search index were deleted.');
}
