import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  loadWindowState,
  parseWindowState,
  restoreWindowState,
  saveWindowState,
} from '#main/electron/window-state.ts';
import type { Rect } from '#main/electron/window-state.ts';

const LAPTOP: Rect = { x: 0, y: 25, width: 1440, height: 875 };
// A second monitor to the right of the laptop.
const MONITOR: Rect = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('restoreWindowState', () => {
  it('opens at the default size, centred by the window, the first time', () => {
    expect(restoreWindowState(null, [LAPTOP])).toEqual({ ...DEFAULT_SIZE, maximized: false });
  });

  it('restores bounds and maximised state on a display that is still there', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1400, height: 900 }, maximized: true };
    expect(restoreWindowState(saved, [LAPTOP, MONITOR])).toEqual({
      x: 1600,
      y: 100,
      width: 1400,
      height: 900,
      maximized: true,
    });
  });

  it('drops the position when its display is gone (monitor unplugged)', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1400, height: 900 }, maximized: false };
    const restored = restoreWindowState(saved, [LAPTOP]);
    expect(restored.x).toBeUndefined();
    expect(restored.y).toBeUndefined();
    expect(restored).toMatchObject({ width: 1400, height: 875, maximized: false });
  });

  it('drops a position whose title bar would be off screen', () => {
    for (const bounds of [
      { x: 100, y: -800, width: 1000, height: 700 },
      { x: -990, y: 100, width: 1000, height: 700 },
      { x: 100, y: 880, width: 1000, height: 700 },
      { x: 99_999, y: 99_999, width: 1000, height: 700 },
    ]) {
      expect(restoreWindowState({ bounds, maximized: false }, [LAPTOP]).x, JSON.stringify(bounds)).toBeUndefined();
    }
  });

  it('pulls a window hanging over an edge back inside and shrinks it to the display', () => {
    const saved = { bounds: { x: 1000, y: 500, width: 3000, height: 2000 }, maximized: false };
    expect(restoreWindowState(saved, [LAPTOP])).toEqual({ x: 0, y: 25, width: 1440, height: 875, maximized: false });
    const hanging = { bounds: { x: 1000, y: 100, width: 800, height: 600 }, maximized: false };
    expect(restoreWindowState(hanging, [LAPTOP])).toMatchObject({ x: 640, y: 100 });
  });

  it('never goes below the minimum size', () => {
    const saved = { bounds: { x: 10, y: 40, width: 50, height: 20 }, maximized: false };
    expect(restoreWindowState(saved, [LAPTOP])).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
  });

  it('rejects stored values that are not a window state', () => {
    expect(parseWindowState({ bounds: { x: 0, y: 0, width: 10, height: 10 }, maximized: false })).not.toBeNull();
    for (const bad of [
      null,
      'x',
      {},
      { bounds: { x: 0, y: 0, width: 10 }, maximized: false },
      { bounds: { x: 0, y: 0, width: Infinity, height: 1 }, maximized: false },
      { bounds: { x: 0, y: 0, width: 1, height: 1 }, maximized: 'yes' },
    ]) {
      expect(parseWindowState(bad)).toBeNull();
    }
  });
});

describe('window-state.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shoebox-winstate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through the file, leaving no temporary file behind', async () => {
    const file = join(dir, 'nested', 'window-state.json');
    const state = { bounds: { x: 12, y: 34, width: 1000, height: 700 }, maximized: true };
    saveWindowState(file, state);
    expect(await loadWindowState(file)).toEqual(state);
    expect(await readdir(join(dir, 'nested'))).toEqual(['window-state.json']);
  });

  it('reads a missing, truncated or foreign file as no state', async () => {
    expect(await loadWindowState(join(dir, 'missing.json'))).toBeNull();
    await writeFile(join(dir, 'truncated.json'), '{"bounds":{"x":1');
    expect(await loadWindowState(join(dir, 'truncated.json'))).toBeNull();
    await writeFile(join(dir, 'foreign.json'), '[1,2,3]');
    expect(await loadWindowState(join(dir, 'foreign.json'))).toBeNull();
  });
});
