// `shoebox model remove` outside the app: the model's files, then the vectors and tag scores it
// computed, under the library's writer lock (the app, holding that lock, does the same through
// its model manager, which also knows which model is still answering during a switch).
import { join } from 'node:path';
import { Library } from '../library/library.ts';
import { openModelFolder } from '../model/model-folder.ts';
import { Engine } from './engine.ts';
import type { ModelStore } from '../model-store/model-store.ts';

/** Vectors belong to the weights (a folder's id), so they are named by the folder itself. */
async function weightsId(dir: string | null): Promise<string | null> {
  return dir === null ? null : ((await openModelFolder(dir).catch(() => null))?.id ?? null);
}

/** Returns whether the model's vectors were dropped (false: none, or the library's model shares its weights). */
export async function removeModelAndVectors(store: ModelStore, id: string): Promise<boolean> {
  // Locked first: with the app or a `watch` running, nothing is touched and the error says who holds it.
  const library = await Library.open(store.libraryDir, { write: true, command: 'shoebox model remove' });
  try {
    const vectorsId = await weightsId(join(store.modelsDir, id));
    await store.removeModel(id);
    if (vectorsId === null || vectorsId === (await weightsId(library.settings.modelDir ?? null))) return false;
    return await Engine.forgetModelVectors(library, vectorsId);
  } finally {
    await library.close();
  }
}
