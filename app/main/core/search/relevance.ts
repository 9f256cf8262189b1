// How many of a query's ranked results match it at all. A flat threshold fails: cosine scores
// differ by model and by query (a specific query's matches stand far above the rest; a vague
// one's barely do). So the cut comes from the shape of this query's own scores.

import { CLIP_CALIBRATION } from '../model/calibration.ts';

/** A drop this much larger than the usual step between neighbours is a boundary, not noise. */
const GAP_FACTOR = 4;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
};

/**
 * The number of leading results (scores best first) that match. The first clear drop in the
 * ranking ends them where there is one; otherwise the results that stand out from the bulk
 * (a standard deviation above the mean of the scores ranked). Never fewer than one. A drop must
 * also be at least `minGap` in cosine (the model's calibration), so a tiny list of near-equal
 * scores is not split.
 */
export function relevantCount(scores: readonly number[], minGap = CLIP_CALIBRATION.relevanceGap): number {
  if (scores.length <= 2) return scores.length;
  const steps = scores.slice(1).map((s, i) => scores[i]! - s);
  const usual = median(steps);
  // The first clear drop from the top: below it, results match something else.
  const drop = steps.findIndex((s) => s >= minGap && s >= GAP_FACTOR * usual);
  if (drop >= 0) return drop + 1;
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length);
  return Math.max(1, scores.filter((s) => s >= mean + sd).length);
}
