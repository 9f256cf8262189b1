// Pure parts of the model manager: the catalogue schema, graph-name resolution, Immich's
// preprocessing config, the proxy's name and the rate meter.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { defaultModelId, loadCatalog, parseCatalog } from '#core/model-store/catalog.ts';
import { DEFAULT_MODEL_ID, systemLanguage } from '#core/model-store/model-store.ts';
import { proxyFor } from '#core/model-store/download-errors.ts';
import { resolveGraphIo } from '#core/model/graph-io.ts';
import { ClipTokenizer } from '#core/model/clip-tokenizer.ts';
import { immichConfig, immichPreprocessorConfig } from '#core/model/immich-layout.ts';

import { RateMeter, formatBytes } from '#core/model-store/progress-meter.ts';
import { parsePreprocessorConfig } from '#core/model/model-folder.ts';

type Meta = ort.InferenceSession.ValueMetadata;
const t = (name: string, shape: (number | string)[], type: ort.Tensor.Type = 'float32'): Meta => ({
  name,
  isTensor: true,
  type,
  shape,
});
const graph = (inputs: Meta[], outputs: Meta[]): { inputMetadata: Meta[]; outputMetadata: Meta[] } => ({
  inputMetadata: inputs,
  outputMetadata: outputs,
});

describe('the bundled catalogue', () => {
  const SHA = 'a'.repeat(64);
  const REV = 'b'.repeat(40);
  const base = {
    id: 'a',
    name: 'A',
    repo: 'r/a',
    layout: 'huggingface',
    dim: 4,
    contextLength: 7,
    licence: 'MIT',
    languages: ['en'],
    note: 'n',
    verified: false,
    files: ['onnx/vision_model.onnx', 'onnx/text_model.onnx', 'tokenizer.json'].map((p) => ({
      path: p,
      url: `https://huggingface.co/r/a/resolve/${REV}/${p}`,
      bytes: 1,
      sha256: SHA,
    })),
    settings: {
      'tokenizer_config.json': { model_max_length: 7 },
      'preprocessor_config.json': { size: 224 },
      'config.json': {},
    } as Record<string, unknown>,
  };
  const bad =
    (change: (e: typeof base) => unknown, extra: Record<string, unknown> = {}): (() => unknown) =>
    () =>
      parseCatalog({ version: 2, default: 'a', models: [change(structuredClone(base))], ...extra }, 'test.json');
  const withFile = (e: typeof base, f: Record<string, unknown>): unknown => ({
    ...e,
    files: [{ ...e.files[0]!, ...f }, ...e.files.slice(1)],
  });

  it('validates, pins every file to a commit, its size and sha256, and offers LAION-2B first', async () => {
    const c = await loadCatalog();
    expect(c.default).toBe(DEFAULT_MODEL_ID);
    expect(c.default).toBe('vit-b-32-laion2b');
    for (const m of c.models) {
      for (const f of m.files) {
        // Schema-checked too; spelled out here because it is the point of the catalogue.
        expect(f.url).toMatch(/^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/[0-9a-f]{40}\/\S+$/);
        expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(f.bytes).toBeGreaterThan(0);
      }
      // One revision per repository: its files are one consistent snapshot of it.
      const revisions = new Map<string, Set<string>>();
      for (const f of m.files) {
        const [, repo, rev] = /^https:\/\/huggingface\.co\/(.+)\/resolve\/([0-9a-f]{40})\//.exec(f.url)!;
        revisions.set(repo!, (revisions.get(repo!) ?? new Set()).add(rev!));
      }
      for (const revs of revisions.values()) expect(revs.size).toBe(1);
    }
  });

  it('writes settings that the preprocessing and the tokenizer understand as the model needs', async () => {
    const c = await loadCatalog();
    // The real CLIP tokenizer and OpenAI's golden ids live beside the repo, not in it.
    const clipDir = new URL('../../../../../shared/clip/', import.meta.url);
    const clipJson: unknown = JSON.parse(await readFile(new URL('tokenizer.json', clipDir), 'utf8'));
    const golden = JSON.parse(await readFile(new URL('golden-tokens.json', clipDir), 'utf8')) as {
      text: string;
      ids: number[];
    }[];
    for (const m of c.models) {
      const settings = m.settings ?? {};
      if (m.layout === 'immich') {
        const pre = parsePreprocessorConfig(immichPreprocessorConfig(settings['visual/preprocess_cfg.json']));
        expect(pre.crop).toEqual({ width: m.imageSize, height: m.imageSize });
        expect(immichConfig(settings['config.json'])).toMatchObject({
          text_config: { max_position_embeddings: m.contextLength },
        });
        // OpenCLIP's B/32 reads text as OpenAI's CLIP does: the golden token ids come out.
        const config = settings['textual/tokenizer_config.json'] as Record<string, unknown>;
        const tokenizer = new ClipTokenizer(clipJson, config, m.contextLength);
        expect(golden.length).toBeGreaterThan(10);
        for (const g of golden) expect(tokenizer.ids(g.text), g.text).toEqual(g.ids);
      } else if (settings['preprocessor_config.json']) {
        const pre = parsePreprocessorConfig(settings['preprocessor_config.json']);
        expect(pre.resize).toEqual({ mode: 'exact', width: m.imageSize, height: m.imageSize });
        expect(pre.mean).toEqual([0.5, 0.5, 0.5]);
        expect(settings['tokenizer_config.json']).toMatchObject({ model_max_length: m.contextLength });
      }
    }
  });

  it('offers its multilingual model first where the system language is not English', () => {
    const entry = (id: string, languages: string[]): Record<string, unknown> => ({
      ...structuredClone(base),
      id,
      languages,
    });
    const c = parseCatalog(
      {
        version: 2,
        default: 'en',
        multilingualDefault: 'multi',
        models: [entry('en', ['en']), entry('multi', ['en', 'fr', 'de'])],
      },
      'test.json',
    );
    expect(defaultModelId(c, 'en_GB.UTF-8')).toBe('en');
    expect(defaultModelId(c, 'en-US')).toBe('en');
    expect(defaultModelId(c, 'fr_FR.UTF-8')).toBe('multi');
    expect(defaultModelId(c, 'de-CH')).toBe('multi');
    expect(defaultModelId(c, '')).toBe('en');
    const single = parseCatalog({ version: 2, default: 'en', models: [entry('en', ['en'])] }, 'test.json');
    expect(defaultModelId(single, 'fr_FR.UTF-8')).toBe('en');
    expect(systemLanguage({ LANG: 'fr_FR.UTF-8' })).toBe('fr_FR.UTF-8');
    expect(systemLanguage({ LC_ALL: 'de_DE.UTF-8', LANG: 'en_US.UTF-8' })).toBe('de_DE.UTF-8');
    // "C" says nothing about the user's language: the runtime's locale stands in.
    expect(systemLanguage({ LANG: 'C.UTF-8' })).toBe(Intl.DateTimeFormat().resolvedOptions().locale);
  });

  it('rejects entries it could not install safely', () => {
    expect(bad((e) => e)).not.toThrow();
    expect(bad((e) => ({ ...e, files: e.files.slice(1) }))).toThrow(/needs onnx\/vision_model\.onnx/);
    expect(bad((e) => ({ ...e, settings: {} }))).toThrow(/needs tokenizer_config\.json/);
    expect(bad((e) => ({ ...e, files: [...e.files, { ...e.files[0]!, path: '../evil' }] }))).toThrow(
      /plain relative path/,
    );
    expect(bad((e) => ({ ...e, settings: { ...e.settings, '../evil.json': {} } }))).toThrow(
      /settings\.\.\.\/evil\.json: Invalid key/,
    );
    expect(bad((e) => ({ ...e, settings: { ...e.settings, 'tokenizer.json': {} } }))).toThrow(/appears twice/);
    expect(bad((e) => e, { default: 'nope' })).toThrow(/the default "nope" is not in the list/);
    expect(bad((e) => e, { multilingualDefault: 'nope' })).toThrow(/the multilingualDefault "nope"/);
    expect(bad((e) => ({ ...e, id: '.hidden' }))).toThrow(/id/);
    expect(bad((e) => e, { version: 1 })).toThrow(/version/);
  });

  it('refuses a file that is not pinned: no sha256, no exact size, a branch, or plain http', () => {
    const noHash: Record<string, unknown> = { ...base.files[0]! };
    delete noHash.sha256;
    const noSize: Record<string, unknown> = { ...base.files[0]! };
    delete noSize.bytes;
    expect(bad((e) => ({ ...e, files: [noHash, ...e.files.slice(1)] }))).toThrow(/sha256/);
    expect(bad((e) => ({ ...e, files: [noSize, ...e.files.slice(1)] }))).toThrow(/bytes/);
    expect(bad((e) => withFile(e, { sha256: 'A'.repeat(64) }))).toThrow(/64 lower-case hex/);
    expect(bad((e) => withFile(e, { url: 'https://huggingface.co/r/a/resolve/main/onnx/vision_model.onnx' }))).toThrow(
      /must name a commit/,
    );
    expect(bad((e) => withFile(e, { url: `http://huggingface.co/r/a/resolve/${REV}/x` }))).toThrow(/must be https/);
    expect(bad((e) => withFile(e, { url: 'http://mirror.example/x' }))).toThrow(/must be https/);
    expect(bad((e) => withFile(e, { url: 'file:///etc/passwd' }))).toThrow(/test\.json is not valid/);
    // A mirror on this machine may be plain http; its files are still pinned by hash and size.
    expect(bad((e) => withFile(e, { url: 'http://127.0.0.1:8080/x' }))).not.toThrow();
  });
});

describe('resolveGraphIo', () => {
  const clipText = graph(
    [t('input_ids', ['batch', 'seq'], 'int64')],
    [t('text_embeds', ['batch', 512]), t('last_hidden_state', ['batch', 'seq', 512])],
  );
  it('uses the Hugging Face names', () => {
    const vision = graph(
      [t('pixel_values', ['batch', 3, 224, 224])],
      [t('image_embeds', ['batch', 512]), t('last_hidden_state', ['batch', 50, 768])],
    );
    expect(resolveGraphIo(vision, clipText)).toEqual({
      visionInput: 'pixel_values',
      visionOutput: 'image_embeds',
      textInput: 'input_ids',
      textOutput: 'text_embeds',
      textInputType: 'int64',
      textMaskType: 'int64',
    });
  });
  it('finds Immich and SigLIP names by shape', () => {
    const immichVision = graph([t('image', [1, 3, 224, 224])], [t('embedding', [1, 512])]);
    const mclipText = graph(
      [t('input_ids', [1, 77], 'int32'), t('attention_mask', [1, 77], 'int32')],
      [t('embedding', [1, 512])],
    );
    expect(resolveGraphIo(immichVision, mclipText)).toMatchObject({
      visionInput: 'image',
      visionOutput: 'embedding',
      textMask: 'attention_mask',
      textInputType: 'int32',
      textMaskType: 'int32',
    });
    const siglipVision = graph(
      [t('pixel_values', ['b', 3, 224, 224])],
      [t('last_hidden_state', ['b', 196, 768]), t('pooler_output', ['b', 768])],
    );
    const siglipText = graph(
      [t('input_ids', ['b', 's'], 'int64')],
      [t('last_hidden_state', ['b', 's', 768]), t('pooler_output', ['b', 768])],
    );
    expect(resolveGraphIo(siglipVision, siglipText)).toMatchObject({
      visionOutput: 'pooler_output',
      textOutput: 'pooler_output',
    });
  });
  it('refuses to guess, and holds the manifest to its word', () => {
    const two = graph([t('pixel_values', ['b', 3, 8, 8])], [t('a', ['b', 4]), t('b', ['b', 4])]);
    expect(() => resolveGraphIo(two, clipText)).toThrow(
      /cannot tell which is the embedding output of the vision graph \(the graph has a, b\): name it in shoebox-model\.json/,
    );
    expect(resolveGraphIo(two, clipText, { visionOutput: 'b' }).visionOutput).toBe('b');
    expect(() => resolveGraphIo(two, clipText, { visionOutput: 'c' })).toThrow(
      /names the embedding output of the vision graph "c", but the graph has a, b/,
    );
    const extra = graph(
      [t('input_ids', ['b', 7], 'int64'), t('token_type_ids', ['b', 7], 'int64')],
      [t('text_embeds', ['b', 4])],
    );
    expect(() => resolveGraphIo(two, extra, { visionOutput: 'a' })).toThrow(/also needs token_type_ids/);
  });
});

describe("Immich's preprocess_cfg.json", () => {
  const cfg = {
    size: [224, 224],
    mode: 'RGB',
    mean: [0.5, 0.5, 0.5],
    std: [0.5, 0.5, 0.5],
    interpolation: 'bicubic',
    resize_mode: 'shortest',
    fill_color: 0,
  };
  it('maps shortest-edge and squash resizing onto preprocessor_config.json', () => {
    expect(parsePreprocessorConfig(immichPreprocessorConfig(cfg))).toEqual({
      resize: { mode: 'shortest_edge', shortestEdge: 224 },
      crop: { width: 224, height: 224 },
      resample: 'cubic',
      rescaleFactor: 1 / 255,
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
    });
    expect(
      parsePreprocessorConfig(
        immichPreprocessorConfig({ ...cfg, size: 256, resize_mode: 'squash', interpolation: 'bilinear' }),
      ),
    ).toMatchObject({
      resize: { mode: 'exact', width: 256, height: 256 },
      crop: null,
      resample: 'linear',
    });
  });
  it('refuses what the decoder cannot reproduce', () => {
    expect(() => immichPreprocessorConfig({ ...cfg, resize_mode: 'longest' })).toThrow(/resize_mode "longest"/);
    expect(() => immichPreprocessorConfig({ ...cfg, interpolation: 'magic' })).toThrow(/interpolation "magic"/);
    expect(() => immichPreprocessorConfig({ mean: [1, 2, 3] })).toThrow(/preprocess_cfg\.json is not understood/);
  });
});

describe('download helpers', () => {
  it('names the proxy in use without its credentials', () => {
    expect(proxyFor('https://huggingface.co/x', { HTTPS_PROXY: 'http://user:secret@proxy.local:3128' })).toBe(
      'http://proxy.local:3128',
    );
    expect(proxyFor('https://huggingface.co/x', {})).toBeUndefined();
  });
  it('measures the rate over a sliding window', () => {
    let now = 0;
    const meter = new RateMeter(5000, () => now);
    for (let i = 0; i < 10; i++) {
      now += 1000;
      meter.add(1_000_000);
    }
    expect(meter.rate()).toBeCloseTo(1_000_000, -3);
    now += 1000;
    meter.add(0);
    expect(meter.rate()).toBeLessThan(1_000_000);
    expect(formatBytes(351_000_000)).toBe('351.0 MB');
  });
});
