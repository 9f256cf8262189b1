// What `status` reports of a library: its folders, what it holds by kind, what failed, and the model.
import type { RootStatus } from '../../../shared/types.ts';
import type { Embedder } from '../embed/embedder.ts';
import type { Calibration } from '../model/calibration.ts';
import type { ModelFolder } from '../model/model-folder.ts';
import { isDirectory } from '../scan/inside-roots.ts';
import { RAW_FORMATS } from '../store/photo-schema.ts';
import type { FailureRow, ItemKind } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import { sqlIn, sqlString } from '../store/sql.ts';

export interface LibraryStatus {
  library: string;
  roots: RootStatus[];
  /** Items: photos and videos. */
  photos: number;
  /** Of which videos. */
  videos: number;
  /** Items by kind: a RAW is one on its own (one beside its JPEG belongs to the JPEG's item). */
  kinds: Record<ItemKind, number>;
  failed: number;
  failures: FailureRow[];
  model: {
    id: string;
    dir: string;
    dim: number;
    inputSize: { width: number; height: number };
    contextLength: number;
    provider: string;
    fallbacks: string[];
    /** What its scores mean: the thresholds tags, smart albums and the relevance cut use. */
    calibration: Calibration;
  } | null;
  /** Whose recogniser reads text in photos: 'built-in', or a text language's id. */
  textLanguage: string;
}

export async function libraryStatus(
  store: PhotoStore,
  library: { dir: string; roots: readonly string[] },
  model: ModelFolder,
  embedder: Embedder,
  textLanguage: string,
): Promise<LibraryStatus> {
  const failures = await store.failures.list();
  const roots: RootStatus[] = [];
  for (const path of library.roots) {
    roots.push({
      path,
      online: await isDirectory(path),
      photos: await store.count(`root = ${sqlString(path)}`),
      failed: failures.filter((f) => f.root === path).length,
    });
  }
  const { dim, inputSize, contextLength, provider, fallbacks } = embedder.info;
  const raw = sqlIn('format', RAW_FORMATS);
  const [photo, video, live, rawOnly] = await Promise.all([
    store.count(`kind = 'photo' AND NOT ${raw}`),
    store.count("kind = 'video'"),
    store.count("kind = 'live'"),
    store.count(`kind = 'photo' AND ${raw}`),
  ]);
  const kinds: Record<ItemKind, number> = { photo, video, live, raw: rawOnly };
  return {
    library: library.dir,
    roots,
    // Every stored kind is one of these, so the items are their sum.
    photos: photo + video + live + rawOnly,
    videos: kinds.video,
    kinds,
    failed: failures.length,
    failures,
    model: {
      id: model.id,
      dir: model.dir,
      dim,
      inputSize,
      contextLength,
      provider,
      fallbacks,
      calibration: model.calibration,
    },
    textLanguage,
  };
}
