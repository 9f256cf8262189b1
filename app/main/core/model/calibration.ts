// What a score means for one model: the numbers the tag rule, smart albums and the search's
// relevance cut compare cosines with. They were tuned on OpenAI's CLIP, whose cosines become
// logits at a trained scale of 100; a family trained at another scale (SigLIP) spreads the same
// judgement over other cosines, so the thresholds are kept in logits and turned into cosines by
// each model's own scale. A model folder's shoebox-model.json may set any of them exactly.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export type ModelFamily = 'clip' | 'siglip';

export interface Calibration {
  family: ModelFamily;
  /** exp(logit_scale) as trained: cosine × this is the model's logit. */
  logitScale: number;
  /** Tags: a concept's cosine must beat the empty caption's ("a photo.") by this much. */
  tagMargin: number;
  /** Sensitive concepts (which blur thumbnails) must beat it by this much. */
  sensitiveMargin: number;
  /** Smart albums: a text match must come within this much of the best match's margin. */
  smartWindow: number;
  /** Search: the smallest drop between neighbouring scores that ends a query's matches. */
  relevanceGap: number;
  /** Smart albums: image-to-image cosine for "looks like this example". */
  likeCosine: number;
}

/** The thresholds in logits, as tuned on CLIP at its scale of 100 (0.02 cosine = 2 logits). */
const IN_LOGITS = { tagMargin: 2, sensitiveMargin: 3, smartWindow: 7, relevanceGap: 4 } as const;

/**
 * Each family's trained scale. CLIP clamps its learnt temperature at 100 (OpenAI's weights and
 * OpenCLIP's LAION runs end there). SigLIP learns its own: 112.3 for SO400M/14 (exp 4.7215, read
 * from the released weights in open_clip issue #746); a folder can give its model's own.
 */
const FAMILY_SCALE: Record<ModelFamily, number> = { clip: 100, siglip: 112.3 };

/**
 * Image-to-image similarity is not a logit (no text is involved), so it is not rescaled. 0.85 is
 * CLIP's; SigLIP's has not been measured (no real weights where this was written).
 */
const LIKE_COSINE = 0.85;

const positive = z.number().positive();
/** What shoebox-model.json or a catalogue entry may set; the rest follows from the family. */
export const calibrationSchema = z
  .object({
    family: z.enum(['clip', 'siglip']),
    logitScale: positive,
    tagMargin: positive,
    sensitiveMargin: positive,
    smartWindow: positive,
    relevanceGap: positive,
    likeCosine: positive.max(1),
  })
  .partial()
  .strict();
export type CalibrationOverride = z.infer<typeof calibrationSchema>;

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The family's calibration at `logitScale` (default: the family's trained scale). */
export function familyCalibration(family: ModelFamily, logitScale = FAMILY_SCALE[family]): Calibration {
  return {
    family,
    logitScale,
    tagMargin: round(IN_LOGITS.tagMargin / logitScale),
    sensitiveMargin: round(IN_LOGITS.sensitiveMargin / logitScale),
    smartWindow: round(IN_LOGITS.smartWindow / logitScale),
    relevanceGap: round(IN_LOGITS.relevanceGap / logitScale),
    likeCosine: LIKE_COSINE,
  };
}

/** OpenAI's CLIP: what the rules were tuned on, and what a model of unknown family gets. */
export const CLIP_CALIBRATION: Readonly<Calibration> = familyCalibration('clip');

const isSiglipName = (s: unknown): boolean => typeof s === 'string' && /siglip/i.test(s);

/**
 * The family a model's config.json declares: transformers' `model_type` ("siglip", "siglip2"),
 * or open_clip's config (Immich's layout) with the sigmoid loss's `init_logit_bias`; else the
 * name it was exported from. Anything else is treated as CLIP.
 */
export function detectFamily(config: Record<string, unknown>, name: string): ModelFamily {
  if (isSiglipName(config.model_type) || 'init_logit_bias' in config) return 'siglip';
  if (isSiglipName(config._name_or_path) || isSiglipName(name)) return 'siglip';
  return 'clip';
}

/** The family's calibration with a folder's or catalogue entry's own numbers on top. */
export function resolveCalibration(family: ModelFamily, override: CalibrationOverride = {}): Calibration {
  const base = familyCalibration(override.family ?? family, override.logitScale);
  return { ...base, ...override };
}

/** Short and stable: stored beside derived data (tags) so a change of calibration redoes it. */
export function calibrationKey(c: Calibration): string {
  const fields = [c.family, c.logitScale, c.tagMargin, c.sensitiveMargin, c.smartWindow, c.relevanceGap, c.likeCosine];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 8);
}
