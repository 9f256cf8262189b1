// What a model's scores mean: detected per family from its config, set exactly by its folder's
// shoebox-model.json, and followed by the tag rule on a real library (generated CLIP-like model
// in onnxruntime, sharp-made photos, LanceDB on disk).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVocabulary } from '#core/albums/tagging/vocab-state.ts';
import { decideTags, TAG_RULE, tagRuleFor } from '#core/albums/tagging/tag-rule.ts';
import { Engine } from '#core/engine/engine.ts';
import { CLIP_CALIBRATION, detectFamily, familyCalibration, resolveCalibration } from '#core/model/calibration.ts';
import { openModelFolder } from '#core/model/model-folder.ts';
import { writePhoto } from '#support/photos.ts';
import { COLOURS, makeTestModel } from '#support/test-model.ts';
import { noisy } from '../albums/album-photos.ts';

describe('calibration by family', () => {
  it('keeps the numbers the rules were tuned with for CLIP', () => {
    expect(CLIP_CALIBRATION).toEqual({
      family: 'clip',
      logitScale: 100,
      tagMargin: 0.02,
      sensitiveMargin: 0.03,
      smartWindow: 0.07,
      relevanceGap: 0.04,
      likeCosine: 0.85,
    });
    expect(tagRuleFor(CLIP_CALIBRATION)).toEqual(TAG_RULE);
  });

  it('turns the thresholds into cosines by the family’s own logit scale', () => {
    const siglip = familyCalibration('siglip');
    expect(siglip.logitScale).toBeCloseTo(112.3, 6);
    // The same judgement in logits, so a smaller step in cosine.
    expect(siglip.tagMargin * siglip.logitScale).toBeCloseTo(2, 3);
    expect(siglip.sensitiveMargin * siglip.logitScale).toBeCloseTo(3, 3);
    expect(siglip.smartWindow * siglip.logitScale).toBeCloseTo(7, 3);
    expect(siglip.relevanceGap * siglip.logitScale).toBeCloseTo(4, 3);
    expect(siglip.tagMargin).toBeLessThan(CLIP_CALIBRATION.tagMargin);
  });

  it('tells the family from transformers’ and open_clip’s configs, else the name', () => {
    expect(detectFamily({ model_type: 'siglip' }, 'x')).toBe('siglip');
    expect(detectFamily({ model_type: 'siglip2' }, 'x')).toBe('siglip');
    expect(detectFamily({ model_type: 'clip' }, 'x')).toBe('clip');
    // open_clip's SigLIP configs (Immich's layout) carry the sigmoid loss's bias.
    expect(detectFamily({ embed_dim: 768, init_logit_bias: -10 }, 'x')).toBe('siglip');
    expect(detectFamily({ embed_dim: 512 }, 'ViT-B-16-SigLIP__webli')).toBe('siglip');
    expect(detectFamily({ embed_dim: 512 }, 'ViT-B-32__laion2b-s34b-b79k')).toBe('clip');
  });

  it('lets a folder set a scale (the margins follow) or any number exactly', () => {
    const scaled = resolveCalibration('siglip', { logitScale: 120 });
    expect(scaled.tagMargin).toBeCloseTo(2 / 120, 6);
    const exact = resolveCalibration('clip', { tagMargin: 0.05 });
    expect(exact).toEqual({ ...CLIP_CALIBRATION, tagMargin: 0.05 });
  });

  it('tags by the model’s margin: a 0.018 lead is a tag for SigLIP, not for CLIP', () => {
    // One photo, four concepts and the generic caption last; the first concept dominates.
    const scores = Float32Array.from([0.218, 0.1, 0.1, 0.1, 0.2]);
    const none = new Uint8Array(4);
    const [clip] = decideTags(scores, 1, 4, none, null, tagRuleFor(CLIP_CALIBRATION));
    const [siglip] = decideTags(scores, 1, 4, none, null, tagRuleFor(familyCalibration('siglip')));
    expect(clip!.tags).toEqual([]);
    expect(siglip!.tags.map((t) => t.index)).toEqual([0]);
  });

  it('makes stored tags stale when the calibration changes', () => {
    const a = buildVocabulary([], 'm', CLIP_CALIBRATION);
    const b = buildVocabulary([], 'm', { ...CLIP_CALIBRATION, tagMargin: 0.03 });
    expect(a.key).not.toBe(b.key);
    expect(b.rule.minMargin).toBe(0.03);
  });
});

describe('calibration of a model folder', () => {
  let tmp = '';
  let modelDir = '';
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'shoebox-calibration-'));
    modelDir = await makeTestModel(join(tmp, 'model'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  const setManifest = async (calibration: unknown): Promise<void> => {
    const manifest = { format: 'shoebox-model', version: 1, id: 'shoebox-test-clip', calibration };
    await writeFile(join(modelDir, 'shoebox-model.json'), JSON.stringify(manifest));
  };

  it('is CLIP’s for the test model, the family from its config', async () => {
    const folder = await openModelFolder(modelDir);
    expect(folder.calibration).toEqual(CLIP_CALIBRATION);
    const config = JSON.parse(await readFile(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(modelDir, 'config.json'), JSON.stringify({ ...config, model_type: 'siglip' }));
    try {
      expect((await openModelFolder(modelDir)).calibration).toEqual(familyCalibration('siglip'));
    } finally {
      await writeFile(join(modelDir, 'config.json'), JSON.stringify(config));
    }
  });

  it('refuses a calibration it does not understand, naming the file', async () => {
    await setManifest({ tagMargin: -1 });
    await expect(openModelFolder(modelDir)).rejects.toThrow(/shoebox-model.json.*calibration\.tagMargin/);
    await setManifest({ margin: 0.1 });
    await expect(openModelFolder(modelDir)).rejects.toThrow(/shoebox-model.json/);
    await rm(join(modelDir, 'shoebox-model.json'));
  });

  it('is what a library’s tags follow, and a change of it retags', async () => {
    const photos = join(tmp, 'photos');
    for (let i = 1; i <= 4; i++) await writePhoto(join(photos, `r${i}.jpg`), noisy(COLOURS.red!, i, 100 + i * 10, 80));
    const library = join(tmp, 'library');
    let added = false;
    const redCount = async (): Promise<number | undefined> => {
      const engine = await Engine.open({ libraryDir: library, modelDir, threads: 1 }, { write: true, command: 'test' });
      try {
        if (!added) await engine.addRoot(photos);
        added = true;
        await engine.index();
        return (await (await engine.albums()).list()).find((a) => a.id === 'tag:red')?.count;
      } finally {
        await engine.close();
      }
    };
    expect(await redCount()).toBe(4);
    // A margin no photo can reach: the same vectors (the model's id is unchanged), no red tags.
    await setManifest({ tagMargin: 0.99 });
    expect(await redCount()).toBeUndefined();
    await rm(join(modelDir, 'shoebox-model.json'));
    expect(await redCount()).toBe(4);
  });
});
