import { Tokenizer } from '@huggingface/tokenizers';
import { ShoeboxError } from '../errors.ts';

// The package's .d.ts files use extension-less relative imports that NodeNext resolution cannot
// follow, so its types arrive unresolved; this is the slice of its API Shoebox relies on.
interface HfTokenizer {
  encode(text: string): { ids: number[] };
  token_to_id(token: string): number | undefined;
}
const HfTokenizerClass = Tokenizer as unknown as new (tokenizerJson: unknown, tokenizerConfig: unknown) => HfTokenizer;

function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'content' in value && typeof value.content === 'string')
    return value.content;
  return undefined;
}

/**
 * CLIP text tokenisation as the model folder describes it. Lower-casing, whitespace and BPE
 * rules all come from tokenizer.json through @huggingface/tokenizers; this class only adds what
 * the ONNX text graph needs: a fixed context length, padding, and truncation that keeps the end
 * token last (CLIP pools the embedding at the end token, so losing it would change the meaning).
 */
export class ClipTokenizer {
  readonly contextLength: number;
  readonly #tokenizer: HfTokenizer;
  readonly #padId: number;
  readonly #eosId: number;

  constructor(tokenizerJson: unknown, tokenizerConfig: Record<string, unknown>, contextLength: number) {
    this.#tokenizer = new HfTokenizerClass(tokenizerJson, tokenizerConfig);
    this.contextLength = contextLength;
    const eos = tokenContent(tokenizerConfig.eos_token) ?? '<|endoftext|>';
    const pad = tokenContent(tokenizerConfig.pad_token) ?? eos;
    const eosId = this.#tokenizer.token_to_id(eos);
    const padId = this.#tokenizer.token_to_id(pad);
    if (eosId === undefined) throw new ShoeboxError('MODEL_INVALID', `tokenizer.json has no end token "${eos}"`);
    this.#eosId = eosId;
    this.#padId = padId ?? eosId;
  }

  /** Token ids without padding, truncated to the context length with the end token kept last. */
  ids(text: string): number[] {
    const ids = this.#tokenizer.encode(text).ids;
    if (ids.length <= this.contextLength) return ids;
    const cut = ids.slice(0, this.contextLength - 1);
    cut.push(this.#eosId);
    return cut;
  }

  /** Number of tokens the text needs, including start and end tokens, without truncation. */
  length(text: string): number {
    return this.#tokenizer.encode(text).ids.length;
  }

  /**
   * The text as parts that each fit the context, split at word boundaries; one part when it
   * fits already. A single word too long for the context becomes a part of its own (truncated).
   */
  chunks(text: string): string[] {
    if (this.length(text) <= this.contextLength) return [text];
    const parts: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter((w) => w !== '')) {
      const candidate = current === '' ? word : `${current} ${word}`;
      if (current !== '' && this.length(candidate) > this.contextLength) {
        parts.push(current);
        current = word;
      } else {
        current = candidate;
      }
    }
    if (current !== '') parts.push(current);
    return parts;
  }

  /**
   * A padded [texts.length, width] int64 batch for the text graph; width is the context length
   * unless the caller knows the graph accepts fewer columns and ignores padding.
   */
  encodeBatch(texts: readonly string[], width = this.contextLength): BigInt64Array {
    const rows = texts.map((text) => this.ids(text));
    const longest = Math.max(0, ...rows.map((ids) => ids.length));
    if (width < longest) throw new RangeError(`a batch of ${width} columns cannot hold a text of ${longest} tokens`);
    const out = new BigInt64Array(texts.length * width).fill(BigInt(this.#padId));
    rows.forEach((ids, row) => {
      ids.forEach((id, col) => {
        out[row * width + col] = BigInt(id);
      });
    });
    return out;
  }
}
