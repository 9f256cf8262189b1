/**
 * Zero-shot tagging maths, free of I/O so it can be tested and benchmarked on its own.
 *
 * THE RULE. For a photo p and a concept t, with s_t = cos(p, t) and g = cos(p, "a photo."):
 *
 *   prob_t   = softmax over every active concept of scale · s   (the model's own logit scale: CLIP's 100)
 *   margin_t = s_t − g                       how much better t fits than a caption saying nothing
 *   z_t      = (s_t − mean_t) / std_t        over a sample of this library's photos
 *
 *   an ordinary concept is tagged when  margin_t ≥ 0.02  and  ( prob_t ≥ 0.15
 *                                                               or  z_t ≥ 2.5 and prob_t ≥ 0.02 )
 *   a sensitive concept is flagged when margin_t ≥ 0.03  and  prob_t ≥ 0.5
 *   and a photo keeps at most its 8 most probable tags.
 *
 * Why not a flat cosine cut-off: raw CLIP cosines sit in a narrow band (≈0.15–0.35) that shifts
 * with the photo, the model and the prompt, so one number is too strict for some concepts and too
 * loose for others. The softmax asks "is this the best explanation among everything we know"
 * (one dominant concept); the z-score asks "is this photo unusually close to t for this library"
 * (a second or third subject that shares the probability mass, e.g. a dog on a beach); the margin
 * against the empty caption stops both from firing on photos that match nothing at all, where
 * the softmax still has to put its mass somewhere. The z-score needs a library to compare with,
 * so it only applies once MIN_STATS_PHOTOS photos are indexed. Sensitive concepts blur
 * thumbnails, so they take the stricter path only (the concept must dominate): a false flag hides
 * an ordinary photo, and the user can always flag or unflag one by hand.
 *
 * The numbers above are CLIP's. Another model's scale, margins and so on come from its
 * calibration (model/calibration.ts) through tagRuleFor.
 */
import type { Calibration } from '../../model/calibration.ts';
import { CLIP_CALIBRATION } from '../../model/calibration.ts';
import { dot } from '../../vectors.ts';

export interface TagRule {
  version: number;
  /** The softmax's temperature: the model's logit scale. */
  logitScale: number;
  minMargin: number;
  minProb: number;
  minZ: number;
  zMinProb: number;
  minStatsPhotos: number;
  maxTags: number;
  sensitiveMargin: number;
  sensitiveProb: number;
  minStd: number;
}

export const TAG_RULE: Readonly<TagRule> = {
  /** Bump when any number here changes: stored tags are then recomputed. */
  version: 1,
  logitScale: CLIP_CALIBRATION.logitScale,
  minMargin: CLIP_CALIBRATION.tagMargin,
  minProb: 0.15,
  minZ: 2.5,
  zMinProb: 0.02,
  minStatsPhotos: 50,
  maxTags: 8,
  sensitiveMargin: CLIP_CALIBRATION.sensitiveMargin,
  sensitiveProb: 0.5,
  /** Floor under a concept's spread, so a concept every photo scores alike cannot yield huge z. */
  minStd: 0.005,
};

/** THE RULE for a model: its scale and margins, the rest as tuned. */
export function tagRuleFor(c: Calibration): TagRule {
  return { ...TAG_RULE, logitScale: c.logitScale, minMargin: c.tagMargin, sensitiveMargin: c.sensitiveMargin };
}

export interface ConceptStats {
  mean: Float32Array;
  std: Float32Array;
  photos: number;
}

export interface TagHit {
  /** Column of the concept in the score matrix. */
  index: number;
  score: number;
  prob: number;
}

export interface PhotoTags {
  tags: TagHit[];
  sensitive: boolean;
}

/** Concepts per tile: 64 rows of 512 floats (128 KB) stay in L2 while photo rows stream past. */
const TILE = 64;

/**
 * out[i·c + j] = Σ_k photos[i·dim + k] · concepts[j·dim + k]. Register-blocked 4 photos × 4
 * concepts (16 accumulators, 8 loads per 16 multiply-adds) inside concept tiles that stay in
 * cache; rows are L2-normalised, so this is the cosine.
 */
export function scoreMatrix(
  photos: Float32Array,
  n: number,
  concepts: Float32Array,
  c: number,
  dim: number,
  out: Float32Array = new Float32Array(n * c),
): Float32Array {
  for (let j0 = 0; j0 < c; j0 += TILE) {
    const j1 = Math.min(c, j0 + TILE);
    let i = 0;
    for (; i + 4 <= n; i += 4) block4(photos, i, concepts, j0, j1, c, dim, out);
    for (; i < n; i++) {
      for (let j = j0; j < j1; j++) out[i * c + j] = dot(photos, i * dim, concepts, j * dim, dim);
    }
  }
  return out;
}

function block4(
  P: Float32Array,
  i: number,
  C: Float32Array,
  j0: number,
  j1: number,
  c: number,
  dim: number,
  out: Float32Array,
): void {
  const p0 = i * dim,
    p1 = p0 + dim,
    p2 = p1 + dim,
    p3 = p2 + dim;
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const c0 = j * dim,
      c1 = c0 + dim,
      c2 = c1 + dim,
      c3 = c2 + dim;
    let a00 = 0,
      a01 = 0,
      a02 = 0,
      a03 = 0,
      a10 = 0,
      a11 = 0,
      a12 = 0,
      a13 = 0;
    let a20 = 0,
      a21 = 0,
      a22 = 0,
      a23 = 0,
      a30 = 0,
      a31 = 0,
      a32 = 0,
      a33 = 0;
    for (let k = 0; k < dim; k++) {
      const y0 = C[c0 + k]!,
        y1 = C[c1 + k]!,
        y2 = C[c2 + k]!,
        y3 = C[c3 + k]!;
      let x = P[p0 + k]!;
      a00 += x * y0;
      a01 += x * y1;
      a02 += x * y2;
      a03 += x * y3;
      x = P[p1 + k]!;
      a10 += x * y0;
      a11 += x * y1;
      a12 += x * y2;
      a13 += x * y3;
      x = P[p2 + k]!;
      a20 += x * y0;
      a21 += x * y1;
      a22 += x * y2;
      a23 += x * y3;
      x = P[p3 + k]!;
      a30 += x * y0;
      a31 += x * y1;
      a32 += x * y2;
      a33 += x * y3;
    }
    const r0 = i * c + j,
      r1 = r0 + c,
      r2 = r1 + c,
      r3 = r2 + c;
    out[r0] = a00;
    out[r0 + 1] = a01;
    out[r0 + 2] = a02;
    out[r0 + 3] = a03;
    out[r1] = a10;
    out[r1 + 1] = a11;
    out[r1 + 2] = a12;
    out[r1 + 3] = a13;
    out[r2] = a20;
    out[r2 + 1] = a21;
    out[r2 + 2] = a22;
    out[r2 + 3] = a23;
    out[r3] = a30;
    out[r3 + 1] = a31;
    out[r3 + 2] = a32;
    out[r3 + 3] = a33;
  }
  for (; j < j1; j++) {
    for (let r = 0; r < 4; r++) out[(i + r) * c + j] = dot(P, (i + r) * dim, C, j * dim, dim);
  }
}

/** Mean and spread of each concept's score over a sample of the library (rows × c matrix). */
export function conceptStats(scores: Float32Array, rows: number, c: number): ConceptStats {
  const mean = new Float32Array(c);
  const std = new Float32Array(c);
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < rows; i++) {
    const base = i * c;
    for (let j = 0; j < c; j++) {
      const s = scores[base + j]!;
      sum[j]! += s;
      sq[j]! += s * s;
    }
  }
  for (let j = 0; j < c; j++) {
    const m = rows > 0 ? sum[j]! / rows : 0;
    mean[j] = m;
    std[j] = rows > 1 ? Math.sqrt(Math.max(0, sq[j]! / rows - m * m)) : 0;
  }
  return { mean, std, photos: rows };
}

/**
 * A score matrix, n × (c + 1). The onnxruntime path also hands back THE RULE's softmax (n × c),
 * computed alongside the product far faster than a JS exp loop; without it decideTags computes it.
 */
export type ScoreMatrix = Float32Array & { probs?: Float32Array };

/** The softmax of one row's concept scores (the generic caption excluded), into `out`. */
function softmaxRow(
  scores: Float32Array,
  base: number,
  c: number,
  scale: number,
  exps: Float64Array,
  out: Float32Array,
): void {
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, scores[base + j]!);
  let total = 0;
  for (let j = 0; j < c; j++) {
    const e = Math.exp(scale * (scores[base + j]! - max));
    exps[j] = e;
    total += e;
  }
  for (let j = 0; j < c; j++) out[j] = exps[j]! / total;
}

/**
 * Applies THE RULE to an n × (c + 1) score matrix whose last column is the generic caption.
 * `sensitive[j]` marks concepts that take the sensitive path.
 */
export function decideTags(
  scores: ScoreMatrix,
  n: number,
  c: number,
  sensitive: Uint8Array,
  stats: ConceptStats | null,
  rule: TagRule = TAG_RULE,
): PhotoTags[] {
  const width = c + 1;
  const given = scores.probs;
  const own = new Float32Array(c);
  const exps = new Float64Array(c);
  const z = stats !== null && stats.photos >= rule.minStatsPhotos ? stats : null;
  const out: PhotoTags[] = [];
  for (let i = 0; i < n; i++) {
    const base = i * width;
    let probs: Float32Array = own,
      at = 0;
    if (given) {
      probs = given;
      at = i * c;
    } else softmaxRow(scores, base, c, rule.logitScale, exps, own);
    out.push(decideRow({ scores, base, probs, at }, c, sensitive, z, rule));
  }
  return out;
}

interface Row {
  scores: Float32Array;
  base: number;
  probs: Float32Array;
  at: number;
}

function decideRow(row: Row, c: number, sensitive: Uint8Array, stats: ConceptStats | null, rule: TagRule): PhotoTags {
  const { scores, base, probs, at } = row;
  const generic = scores[base + c]!;
  // Whichever path a concept takes, it needs at least this probability. The probabilities sum
  // to 1, so at most 1 / minProb concepts of a row get past this one well-predicted branch.
  const minProb = Math.min(rule.zMinProb, rule.sensitiveProb);
  const tags: TagHit[] = [];
  let flagged = false;
  for (let j = 0; j < c; j++) {
    const prob = probs[at + j]!;
    if (prob < minProb) continue;
    const score = scores[base + j]!;
    const margin = score - generic;
    if (sensitive[j] === 1) {
      if (margin >= rule.sensitiveMargin && prob >= rule.sensitiveProb) {
        flagged = true;
        tags.push({ index: j, score, prob });
      }
      continue;
    }
    if (margin < rule.minMargin || prob < rule.zMinProb) continue;
    const z = stats ? (score - stats.mean[j]!) / Math.max(stats.std[j]!, rule.minStd) : -Infinity;
    if (prob >= rule.minProb || z >= rule.minZ) tags.push({ index: j, score, prob });
  }
  tags.sort((a, b) => b.prob - a.prob);
  return { tags: tags.slice(0, rule.maxTags), sensitive: flagged };
}
