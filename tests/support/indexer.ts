// An Indexer of its own beside an open Engine, for tests that hand it files directly (a scan's
// view that the disk no longer matches): its own inference process and table connection, on the
// engine's library and model, so the engine reads what it writes.
import { Embedder } from '#core/embed/embedder.ts';
import { Indexer } from '#core/index/indexer.ts';
import type { Library } from '#core/library/library.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { PhotoStore } from '#core/store/photo-store.ts';

export async function indexerBeside(
  library: Library,
  modelDir: string,
): Promise<{ indexer: Indexer; close: () => Promise<void> }> {
  const model = await openModelFolder(modelDir);
  const embedder = await Embedder.start(model, { threads: 1 });
  const store = await PhotoStore.open(library.dbDir, model.id, embedder.info.dim);
  const indexer = new Indexer({ store, embedder, preprocess: model.preprocess, thumbsDir: library.thumbsDir });
  return {
    indexer,
    close: async () => {
      store.close();
      await embedder.close();
    },
  };
}
