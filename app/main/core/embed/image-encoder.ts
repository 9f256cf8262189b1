import type * as ort from 'onnxruntime-node';

/**
 * The image encoder is the larger graph and is needed only while photos are being indexed; an
 * app left open would otherwise keep its weights and activation arena (hundreds of MB for
 * ViT-B/32) for nothing. So it is released after a quiet spell and reopened on the next batch,
 * which costs about half a second once per burst of new photos.
 */
export class ImageEncoder {
  #session: ort.InferenceSession | null;
  #opening: Promise<ort.InferenceSession> | null = null;
  #busy = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #open: () => Promise<ort.InferenceSession>;
  readonly #releaseAfterMs: number;
  readonly #onChange: (loaded: boolean) => void;

  /** `session` null: not opened yet, the first batch opens it. */
  constructor(
    session: ort.InferenceSession | null,
    open: () => Promise<ort.InferenceSession>,
    releaseAfterMs: number,
    onChange: (loaded: boolean) => void,
  ) {
    this.#session = session;
    this.#open = open;
    this.#releaseAfterMs = releaseAfterMs;
    this.#onChange = onChange;
    this.#schedule();
  }

  get loaded(): boolean {
    return this.#session !== null;
  }

  async run<T>(fn: (session: ort.InferenceSession) => Promise<T>): Promise<T> {
    clearTimeout(this.#timer);
    this.#busy++;
    try {
      if (this.#session === null) {
        this.#opening ??= this.#open().finally(() => (this.#opening = null));
        const session = await this.#opening;
        if (this.#session === null) {
          this.#session = session;
          this.#onChange(true);
        }
      }
      return await fn(this.#session);
    } finally {
      this.#busy--;
      this.#schedule();
    }
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#busy > 0 || this.#releaseAfterMs <= 0 || this.#session === null) return;
    this.#timer = setTimeout(() => {
      const session = this.#session;
      this.#session = null;
      this.#onChange(false);
      // A failed release must not take the process down; the session is dropped either way.
      session?.release().catch(() => undefined);
    }, this.#releaseAfterMs);
  }
}
