import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClipTokenizer } from '#core/model/clip-tokenizer.ts';

// The real CLIP ViT-B/32 tokenizer files and OpenAI's golden ids live beside the repo, not in it.
const clipDir = new URL('../../../../../shared/clip/', import.meta.url);
const tokenizerJson: unknown = JSON.parse(readFileSync(new URL('tokenizer.json', clipDir), 'utf8'));
const tokenizerConfig = JSON.parse(readFileSync(new URL('tokenizer_config.json', clipDir), 'utf8')) as Record<
  string,
  unknown
>;
const golden = JSON.parse(readFileSync(new URL('golden-tokens.json', clipDir), 'utf8')) as {
  text: string;
  ids: number[];
}[];

describe('ClipTokenizer', () => {
  const tok = new ClipTokenizer(tokenizerJson, tokenizerConfig, 77);

  it('matches every golden entry of OpenAI reference tokenizer exactly', () => {
    expect(golden.length).toBeGreaterThan(10);
    for (const { text, ids } of golden) expect(tok.ids(text), text).toEqual(ids);
  });

  it('pads to the context length with the pad token', () => {
    const batch = tok.encodeBatch(['a photo of a cat', 'red']);
    expect(batch.length).toBe(2 * 77);
    expect([...batch.slice(0, 8)].map(Number)).toEqual([49406, 320, 1125, 539, 320, 2368, 49407, 49407]);
    expect(Number(batch[76])).toBe(49407);
    expect(Number(batch[77])).toBe(49406);
  });

  it('keeps the end token last when truncating', () => {
    const long = 'a sunny afternoon in the garden '.repeat(30);
    expect(tok.length(long)).toBeGreaterThan(77);
    const ids = tok.ids(long);
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(49406);
    expect(ids[76]).toBe(49407);
    expect(ids[75]).not.toBe(49407);
  });

  it('honours a context length other than 77', () => {
    const short = new ClipTokenizer(tokenizerJson, tokenizerConfig, 5);
    expect(short.ids('two people hiking in the snow')).toEqual([49406, 1237, 1047, 9118, 49407]);
    expect(short.encodeBatch(['dog']).length).toBe(5);
  });
});
