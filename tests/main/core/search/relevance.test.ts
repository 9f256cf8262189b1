import { describe, expect, it } from 'vitest';
import { relevantCount } from '#core/search/relevance.ts';

describe('relevantCount', () => {
  it('ends the matches at the first clear drop', () => {
    expect(relevantCount([0.31, 0.305, 0.302, 0.24, 0.239, 0.238, 0.237, 0.236])).toBe(3);
    expect(relevantCount([1, 0.99, 0.4, 0.39, 0.385, 0.38])).toBe(2);
  });

  it('keeps what stands out from the bulk when the scores only slope', () => {
    // A vague query: a smooth decline of 500 scores, as CLIP gives; about one in six stands out.
    const scores = Array.from({ length: 500 }, (_, i) => 0.3 - 0.0002 * i);
    const n = relevantCount(scores);
    expect(n).toBeGreaterThan(50);
    expect(n).toBeLessThan(150);
  });

  it('keeps tiny lists whole and never returns none', () => {
    expect(relevantCount([])).toBe(0);
    expect(relevantCount([0.2])).toBe(1);
    expect(relevantCount([0.2, 0.1])).toBe(2);
    expect(relevantCount([0.2, 0.2, 0.2, 0.2])).toBe(4);
  });
});
