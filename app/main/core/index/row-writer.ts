import { errorMessage } from '../errors.ts';
import { ReverseGeocoder } from '../places/reverse-geocode.ts';
import type { FailureRow, FrameRow, MemberRow, PhotoRow } from '../store/photo-schema.ts';
import type { PhotoStore } from '../store/photo-store.ts';
import type { IndexCounts, Prepared } from './index-types.ts';
import { failureRow, frameRows, imagesOf, ownVectorIndex, rowFromCopy, rowFromDecoded } from './photo-rows.ts';

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
  #frames: FrameRow[] = [];
  #members: MemberRow[] = [];
  #deferred: Copy[] = [];
  #lastFlush = Date.now();
  /** The write in flight: the next batch is embedded while it commits (one at a time, in order). */
  #writing: Promise<void> = Promise.resolve();

  readonly #maxImages: number;

  /** `maxImages`: the most images sent to the model at once (videos bring many frames each). */
  constructor(store: PhotoStore, modelId: string, known: Set<string>, maxImages: number) {
    this.#maxImages = Math.max(1, maxImages);
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
      } else if (p.kind === 'member') {
        this.#members.push(p.member);
        counts.reused++;
      } else {
        this.#members.push(...p.members);
      }
    }
    await this.#resolveCopies(
      batch.filter((p) => p.kind === 'copy'),
      counts,
      false,
    );
    if (this.#rows.length >= FLUSH_ROWS || Date.now() - this.#lastFlush > FLUSH_MS) await this.#startFlush();
  }

  /** Every image of the batch (a video brings all its frames), embedded a model batch at a time. */
  async #embedAll(images: readonly Uint8Array[], embed: EmbedFn): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < images.length; start += this.#maxImages) {
      const part = images.slice(start, start + this.#maxImages);
      const per = part[0]!.length;
      const rgb = new Uint8Array(per * part.length);
      part.forEach((img, i) => rgb.set(img, i * per));
      const vectors = await embed(rgb, part.length);
      const dim = vectors.length / part.length;
      for (let i = 0; i < part.length; i++) out.push(vectors.slice(i * dim, (i + 1) * dim));
    }
    return out;
  }

  async #embedDecoded(
    decoded: Extract<Prepared, { kind: 'decoded' }>[],
    embed: EmbedFn,
    counts: IndexCounts,
  ): Promise<void> {
    if (decoded.length === 0) return;
    const images = decoded.map((p) => imagesOf(p.decoded));
    let vectors: Float32Array[];
    try {
      vectors = await this.#embedAll(images.flat(), embed);
    } catch (err) {
      for (const p of decoded) this.#failures.push(failureRow(p.item, `embedding failed: ${errorMessage(err)}`));
      counts.failed += decoded.length;
      return;
    }
    // Named offline from GeoNames; the towns are loaded only once a photo has a position.
    const geo = decoded.some((p) => p.decoded.gpsLat !== null) ? await ReverseGeocoder.load() : null;
    let at = 0;
    decoded.forEach((p, i) => {
      const own = vectors.slice(at, at + images[i]!.length);
      at += images[i]!.length;
      const live = p.members.some((m) => m.role === 'motion');
      const { gpsLat, gpsLon } = p.decoded;
      const place = geo && gpsLat !== null && gpsLon !== null ? geo.placeOf(gpsLat, gpsLon) : null;
      const row = rowFromDecoded(
        p.item,
        p.hash,
        p.decoded,
        own[ownVectorIndex(p.decoded)]!,
        this.#modelId,
        live,
        place,
      );
      this.#runRows.set(p.hash, row);
      this.#rows.push(row);
      this.#frames.push(...frameRows(p.hash, p.decoded, own));
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
        this.#rows.push(
          rowFromCopy(
            c.item,
            source,
            c.members.some((m) => m.role === 'motion'),
          ),
        );
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
    const frames = this.#frames;
    const members = this.#members;
    this.#rows = [];
    this.#failures = [];
    this.#frames = [];
    this.#members = [];
    this.#lastFlush = Date.now();
    this.#writing = (async () => {
      await this.#store.upsert(rows, frames);
      await this.#store.recordFailures(failures);
      // After the rows: a still written in this flush is marked as a Live Photo by its motion.
      await this.#store.saveMembers(members);
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
