// The OCR models the inference process holds: opened on the first photo with text (not with
// CLIP), opened again when the library reads with another script's recogniser, and the old ones
// released once the last request on them is answered.
import type { TextRecogniserFiles } from '../ocr/ocr-models.ts';
import { TextReader } from './text-reader.ts';

interface Held {
  /** The recogniser's model file ('' for the built-in one). */
  key: string;
  opened: Promise<TextReader>;
  busy: number;
}

export class TextReaders {
  #held: Held | null = null;
  readonly #threads: () => number;

  constructor(threads: () => number) {
    this.#threads = threads;
  }

  async use<T>(recogniser: TextRecogniserFiles | undefined, fn: (r: TextReader) => Promise<T>): Promise<T> {
    const key = recogniser?.model ?? '';
    if (this.#held?.key !== key) {
      const previous = this.#held;
      this.#held = { key, opened: TextReader.open(this.#threads(), recogniser), busy: 0 };
      if (previous?.busy === 0) release(previous);
    }
    const held = this.#held;
    held.busy++;
    try {
      return await fn(await held.opened);
    } finally {
      held.busy--;
      if (held !== this.#held && held.busy === 0) release(held);
    }
  }
}

function release(held: Held): void {
  held.opened.then(
    (r) => r.close(),
    () => undefined,
  );
}
