// Pure parts of the model manager: the catalogue schema, graph-name resolution, Immich's
// preprocessing config, ETag parsing and the rate meter.
import { describe, expect, it } from 'vitest';
import type * as ort from 'onnxruntime-node';
import { loadCatalog, parseCatalog } from '#core/model-store/catalog.ts';
import { sha256FromEtag } from '#core/model-store/download.ts';
import { proxyFor } from '#core/model-store/download-errors.ts';
import { resolveGraphIo } from '#core/model/graph-io.ts';
import { immichPreprocessorConfig } from '#core/model/immich-layout.ts';
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
  it('validates, has the default and marks every unverified size as approximate', async () => {
    const c = await loadCatalog();
    expect(c.default).toBe('clip-vit-base-patch32');
    expect(c.models.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        'clip-vit-base-patch32',
        'clip-vit-base-patch32-quantized',
        'clip-vit-base-patch16',
        'clip-vit-large-patch14',
        'xlm-roberta-large-vit-b-32',
        'siglip-base-patch16-224',
        'mobileclip-s2',
      ]),
    );
    for (const m of c.models.filter((e) => !e.verified)) {
      for (const f of m.files) {
        expect(f.bytes).toBeUndefined();
        expect(f.url).toBe(`https://huggingface.co/${m.repo}/resolve/main/${f.url.split('/resolve/main/')[1]!}`);
      }
    }
  });

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
    files: [
      'onnx/vision_model.onnx',
      'onnx/text_model.onnx',
      'tokenizer.json',
      'tokenizer_config.json',
      'preprocessor_config.json',
      'config.json',
    ].map((p) => ({ path: p, url: `https://h/${p}`, approxBytes: 1 })),
  };
  const bad =
    (change: (e: typeof base) => unknown, extra: Record<string, unknown> = {}): (() => unknown) =>
    () =>
      parseCatalog({ version: 1, default: 'a', models: [change(structuredClone(base))], ...extra }, 'test.json');

  it('rejects entries it could not install safely', () => {
    expect(bad((e) => e)).not.toThrow();
    expect(bad((e) => ({ ...e, files: e.files.slice(1) }))).toThrow(/needs onnx\/vision_model\.onnx/);
    expect(
      bad((e) => ({ ...e, files: [...e.files, { path: '../evil', url: 'https://h/x', approxBytes: 1 }] })),
    ).toThrow(/plain relative path/);
    expect(bad((e) => ({ ...e, files: [{ ...e.files[0]!, bytes: 5 }, ...e.files.slice(1)] }))).toThrow(
      /exactly one of bytes and approxBytes/,
    );
    expect(bad((e) => ({ ...e, files: [{ ...e.files[0]!, url: 'file:///etc/passwd' }, ...e.files.slice(1)] }))).toThrow(
      /test\.json is not valid/,
    );
    expect(bad((e) => e, { default: 'nope' })).toThrow(/the default "nope" is not in the list/);
    expect(bad((e) => ({ ...e, id: '.hidden' }))).toThrow(/id/);
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
  it('takes a sha256 only from a 64-hex ETag', () => {
    const sha = 'a'.repeat(64);
    expect(sha256FromEtag(`"${sha}"`)).toBe(sha);
    expect(sha256FromEtag(`W/"${sha.toUpperCase()}"`)).toBe(sha);
    expect(sha256FromEtag('"0123456789abcdef0123456789abcdef01234567"')).toBeUndefined();
    expect(sha256FromEtag(undefined)).toBeUndefined();
  });
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
