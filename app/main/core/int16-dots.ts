// Dot products of rows held as 16-bit components with a query, in WebAssembly SIMD
// (int16-dots.wat). A search re-scores a few hundred rows on the main thread, an exclusion twice
// as many: at 1.2 us a row in JavaScript that was over a millisecond a query.

/** int16-dots.wat assembled; its test assembles the text and checks this is its binary. */
export const INT16_DOTS_WASM =
  'AGFzbQEAAAABCQFgBX9/f39/AAMCAQAFAwEAAQcRAgZtZW1vcnkCAARkb3RzAAAKoAEBnQECA38BeyADQQF0IQUgBCACQQJ0aiEGAkADQCAEIAZPDQH9DAAAAAAAAAAAAAAAAAAAAAAhCEEAIQcCQANAIAcgBU8NASAIIAEgB2r9AAQAIAAgB2r9AAQA/boB/foB/eQBIQggB0EQaiEHDAALCyAEIAj9HwAgCP0fAZIgCP0fAiAI/R8DkpI4AgAgASAFaiEBIARBBGohBAwACwsL';

interface Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  dots(query: number, rows: number, n: number, dim: number, out: number): void;
}

// The runtime's WebAssembly, as far as it is used here (TypeScript's types for it come with the
// DOM's, which the main process's code does not include).
declare const WebAssembly:
  | {
      validate(bytes: Uint8Array): boolean;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: unknown };
    }
  | undefined;

const PAGE = 65_536;

/**
 * A batch of rows scored against one query: `begin`, `set` each row, `run`. The rows are copied
 * into the module's memory (a 1 KB copy costs a fraction of the JavaScript dot product it
 * replaces) so that the held rows can stay in ordinary typed arrays. One batch at a time: all
 * three calls are synchronous, so a batch cannot interleave with another.
 */
export class Int16Dots {
  readonly #kernel: Kernel;
  #dim = 0;
  #n = 0;
  #step = 0;
  #heap = new Int16Array(0);

  private constructor(kernel: Kernel) {
    this.#kernel = kernel;
  }

  /** The kernel, or null where this runtime has no WebAssembly SIMD (the caller's loop then). */
  static create(): Int16Dots | null {
    const bytes = Buffer.from(INT16_DOTS_WASM, 'base64');
    if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return new Int16Dots(instance.exports as Kernel);
  }

  /** Whether rows of `dim` components can be scored here (the kernel takes eight at a step). */
  static fits(dim: number): boolean {
    return dim > 0 && dim % 8 === 0;
  }

  /** Starts a batch of `n` rows against `query` (whose length is the rows' `dim`). */
  begin(query: Float32Array, n: number): void {
    const dim = query.length;
    this.#dim = dim;
    this.#n = n;
    // The query quantised like the rows: to 16 bits of its largest component.
    let max = 0;
    for (let k = 0; k < dim; k++) max = Math.max(max, Math.abs(query[k]!));
    this.#step = max / 32_767;
    const need = this.#rowsAt() + n * dim * 2;
    const memory = this.#kernel.memory;
    if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
    // A grown memory detaches the old view.
    if (this.#heap.buffer !== memory.buffer) this.#heap = new Int16Array(memory.buffer);
    const inv = max > 0 ? 1 / this.#step : 0;
    for (let k = 0; k < dim; k++) this.#heap[k] = Math.round(query[k]! * inv);
  }

  /** Row `i` of the batch: the `dim` components of `codes` from `from`. */
  set(i: number, codes: Int16Array, from: number): void {
    this.#heap.set(codes.subarray(from, from + this.#dim), (this.#rowsAt() >> 1) + i * this.#dim);
  }

  /** Each row's dot product with the query as given (not quantised), in the rows' code units. */
  run(): Float32Array {
    const dim = this.#dim;
    const outAt = dim * 2;
    this.#kernel.dots(0, this.#rowsAt(), this.#n, dim, outAt);
    const out = new Float32Array(this.#kernel.memory.buffer, outAt, this.#n).slice();
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * this.#step;
    return out;
  }

  /** Where the rows start: after the query and the results, on a 16-byte boundary. */
  #rowsAt(): number {
    return this.#dim * 2 + Math.ceil((this.#n * 4) / 16) * 16;
  }
}
