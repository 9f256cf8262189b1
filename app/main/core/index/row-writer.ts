import { errorMessage } from '../errors.ts';
import type { FailureRow, PhotoRow } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import type { IndexCounts, Prepared } from './index-types.ts';
import { failureRow, rowFromCopy, rowFromDecoded } from './photo-rows.ts';

type EmbedFn = (rgb: Uint8Array, count: number) => Promise<Float32Array>;
type Copy = Extract<Prepared, { kind: 'copy' }>;

const FLUSH_ROWS = 128;
// A crash loses about this much work (plus the commit in flight); each flush is one LanceDB
// commit (compacted later).
const FLUSH_MS = 2_000;

/**
 * Turns prepared files into stored rows: embeds decoded batches, resolves copies of known
 * content to their stored embedding, and writes in batches. LanceDB commits are atomic per
 * write, so a crash loses at most the rows not yet committed (the write in flight and those
 * gathered since), which the next run redoes.
 */
export class RowWriter {
  readonly #store: PhotoStore;
  readonly #modelId: string;
  readonly #known: Set<string>;
  readonly #runRows = new Map<string, PhotoRow>();
  #rows: PhotoRow[] = [];
  #failures: FailureRow[] = [];
  #deferred: Copy[] = [];
  #lastFlush = Date.now();
  /** The write in flight: the next batch is embedded while it commits (one at a time, in order). */
  #writing: Promise<void> = Promise.resolve();

  constructor(store: PhotoStore, modelId: string, known: Set<string>) {
    this.#store = store;
    this.#modelId = modelId;
    this.#known = known;
  }

  async handle(batch: readonly Prepared[], embed: EmbedFn, counts: IndexCounts): Promise<void> {
    await this.#embedDecoded(
      batch.filter((p) => p.kind === 'decoded'),
      embed,
      counts,
    );
    for (const p of batch) {
      if (p.kind === 'failed') {
        this.#failures.push(failureRow(p.item, p.reason));
        counts.failed++;
      }
    }
    await this.#resolveCopies(
      batch.filter((p) => p.kind === 'copy'),
      counts,
      false,
    );
    if (this.#rows.length >= FLUSH_ROWS || Date.now() - this.#lastFlush > FLUSH_MS) await this.#startFlush();
  }

  async #embedDecoded(
    decoded: Extract<Prepared, { kind: 'decoded' }>[],
    embed: EmbedFn,
    counts: IndexCounts,
  ): Promise<void> {
    if (decoded.length === 0) return;
    const per = decoded[0]!.decoded.rgb.length;
    const rgb = new Uint8Array(per * decoded.length);
    decoded.forEach((p, i) => rgb.set(p.decoded.rgb, i * per));
    let vectors: Float32Array;
    try {
      vectors = await embed(rgb, decoded.length);
    } catch (err) {
      for (const p of decoded) this.#failures.push(failureRow(p.item, `embedding failed: ${errorMessage(err)}`));
      counts.failed += decoded.length;
      return;
    }
    const dim = vectors.length / decoded.length;
    decoded.forEach((p, i) => {
      const row = rowFromDecoded(p.item, p.hash, p.decoded, vectors.slice(i * dim, (i + 1) * dim), this.#modelId);
      this.#runRows.set(p.hash, row);
      this.#rows.push(row);
    });
    counts.indexed += decoded.length;
  }

  /** Copies of content embedded earlier in this run may arrive first: they wait for the end. */
  async #resolveCopies(copies: Copy[], counts: IndexCounts, final: boolean): Promise<void> {
    if (copies.length === 0) return;
    const fromStore = copies.filter((c) => this.#known.has(c.hash) && !this.#runRows.has(c.hash));
    const stored = await this.#store.byHash(fromStore.map((c) => c.hash));
    for (const c of copies) {
      const source = this.#runRows.get(c.hash) ?? stored.get(c.hash);
      if (source) {
        this.#rows.push(rowFromCopy(c.item, source));
        counts.reused++;
      } else if (!final) {
        this.#deferred.push(c);
      } else {
        this.#failures.push(failureRow(c.item, 'same content as another file that could not be indexed'));
        counts.failed++;
      }
    }
  }

  /**
   * Waits for the previous write (and throws its error), then starts this one without waiting:
   * a LanceDB commit takes a good part of a batch's inference time on a GPU, and the inference
   * process would sit idle through it.
   */
  async #startFlush(): Promise<void> {
    await this.#writing;
    const rows = this.#rows;
    const failures = this.#failures;
    this.#rows = [];
    this.#failures = [];
    this.#lastFlush = Date.now();
    this.#writing = (async () => {
      await this.#store.upsert(rows);
      await this.#store.recordFailures(failures);
      for (const r of rows) this.#known.add(r.hash);
    })();
    // Surfaced by the next flush or finish; until then it must not count as unhandled.
    this.#writing.catch(() => undefined);
  }

  /** After a failure elsewhere: waits for the write in flight, so nothing writes after the run ended. */
  async settle(): Promise<void> {
    await this.#writing.catch(() => undefined);
  }

  async finish(counts: IndexCounts): Promise<void> {
    const deferred = this.#deferred;
    this.#deferred = [];
    await this.#resolveCopies(deferred, counts, true);
    await this.#startFlush();
    await this.#writing;
  }
}
