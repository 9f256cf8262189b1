import { describe, expect, it } from 'vitest';
import { highlight, markedBoxes, markWords } from '#renderer/lib/utils/highlight.ts';

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

  it('marks on the photo the boxes of the lines holding a searched word, spaces aside', () => {
    const a: [number, number][] = [
      [0.1, 0.1],
      [0.5, 0.1],
      [0.5, 0.2],
      [0.1, 0.2],
    ];
    const b: [number, number][] = [
      [0.1, 0.4],
      [0.5, 0.4],
      [0.5, 0.5],
      [0.1, 0.5],
    ];
    const lines = [
      { text: 'INVOICE 4711', box: a },
      { text: 'Total 23.50', box: b },
    ];
    expect(markedBoxes(lines, ['invoice4711'])).toEqual([a]);
    expect(markedBoxes(lines, ['total'])).toEqual([b]);
    expect(markedBoxes(lines, [])).toEqual([]);
  });
});
