import { describe, expect, it } from 'vitest';
import type { ModelDownload } from '#shared/types.ts';
import {
  downloadAdvice,
  downloadPercent,
  downloadStep,
  downloadSummary,
  formatByteRate,
  modelSize,
} from '#renderer/lib/utils/model-download.ts';

const EN = { locale: 'en-US' };

function download(over: Partial<ModelDownload> = {}): ModelDownload {
  return {
    id: 'clip',
    name: 'CLIP',
    phase: 'downloading',
    bytes: 270_000_000,
    total: 608_000_000,
    estimate: true,
    rate: 12_300_000,
    etaSeconds: 27.4,
    file: 'onnx/vision_model.onnx',
    error: null,
    offline: false,
    ...over,
  };
}

describe('model download text', () => {
  it('sizes catalogue estimates as "about"', () => {
    expect(modelSize({ bytes: 608_230_100, approximate: true }, EN)).toBe('about 608 MB');
    expect(modelSize({ bytes: 155_830_100, approximate: false }, EN)).toBe('156 MB');
    expect(modelSize({ bytes: null, approximate: false }, EN)).toBe('');
  });

  it('gives whole percentages, never over 100, and 0 while the size is unknown', () => {
    expect(downloadPercent({ bytes: 270, total: 608 })).toBe(44);
    expect(downloadPercent({ bytes: 700, total: 608 })).toBe(100);
    expect(downloadPercent({ bytes: 5, total: 0 })).toBe(0);
  });

  it('summarises bytes, rate and time left, leaving out what is not known yet', () => {
    expect(downloadSummary(download(), EN)).toBe('270 MB of about 608 MB · 12 MB/s · about 28 s left');
    expect(downloadSummary(download({ estimate: false, rate: 0, etaSeconds: null }), EN)).toBe('270 MB of 608 MB');
    expect(formatByteRate(-1)).toBe('');
  });

  it('says what the download is doing, and what to do when it failed offline', () => {
    expect(downloadStep(download())).toBe('Fetching onnx/vision_model.onnx');
    expect(downloadStep(download({ phase: 'finishing' }))).toBe('Checking the model…');
    expect(downloadStep(download({ phase: 'resuming' }))).toMatch(/resuming/);
    expect(downloadAdvice(download({ phase: 'failed', offline: true }))).toMatch(/offline\. Connect to the internet/);
    expect(downloadAdvice(download({ phase: 'failed' }))).toMatch(/^Try again/);
  });
});
