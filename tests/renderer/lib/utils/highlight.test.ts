import { describe, expect, it } from 'vitest';
import { highlight, markWords } from '#renderer/lib/utils/highlight.ts';

describe('marking searched words in text read from a photo', () => {
  it('takes the words the engine matches on', () => {
    expect(markWords('Invoice #4711, a')).toEqual(['invoice', '4711']);
  });

  it('marks each word in any case, runs adjacent marks together, and leaves the rest', () => {
    expect(highlight('INVOICE4711 paid', ['invoice', '4711'])).toEqual([
      { text: 'INVOICE4711', mark: true },
      { text: ' paid', mark: false },
    ]);
    expect(highlight('Rue de Rivoli', ['rivoli'])).toEqual([
      { text: 'Rue de ', mark: false },
      { text: 'Rivoli', mark: true },
    ]);
    expect(highlight('nothing', [])).toEqual([{ text: 'nothing', mark: false }]);
  });
});
