// The built preload (one CommonJS file, as the sandbox needs), run in a fresh V8 context whose
// `require` offers only what a sandboxed preload gets.
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_CALL_CHANNEL, ELECTRON_EVENT_CHANNEL } from '#shared/electron-channels.ts';
import type { ShoeboxBridge } from '#shared/contract.ts';
import { buildElectron } from '../main/electron/build-electron.ts';
import type { Built } from '../main/electron/build-electron.ts';

interface Exposed {
  key: string;
  api: ShoeboxBridge;
}

/**
 * The one stand-in for Electron in the suite: the preload runs only inside Electron's renderer,
 * whose binary cannot be downloaded or started here, so `require('electron')` gets this instead.
 * It records what the preload exposes and what it sends; ipcRenderer is a real EventEmitter so
 * subscribe and unsubscribe behave as they do in Electron.
 */
function fakeElectronForPreload(): { module: unknown; exposed: Exposed[]; invoked: unknown[][]; ipc: EventEmitter } {
  const exposed: Exposed[] = [];
  const invoked: unknown[][] = [];
  const ipc = new EventEmitter();
  const ipcRenderer = Object.assign(ipc, {
    invoke: (...args: unknown[]) => {
      invoked.push(args);
      return Promise.resolve({ ok: true, data: 'answer' });
    },
  });
  const contextBridge = { exposeInMainWorld: (key: string, api: ShoeboxBridge) => exposed.push({ key, api }) };
  return { module: { contextBridge, ipcRenderer }, exposed, invoked, ipc };
}

describe('the built preload (dist/electron/preload.cjs)', () => {
  let built: Built;
  let electron: ReturnType<typeof fakeElectronForPreload>;
  let bridge: ShoeboxBridge;
  const required: string[] = [];

  beforeAll(async () => {
    built = await buildElectron('preload');
    const code = await readFile(join(built.dir, 'preload.cjs'), 'utf8');
    electron = fakeElectronForPreload();
    const module = { exports: {} };
    const sandboxRequire = (id: string): unknown => {
      required.push(id);
      if (id === 'electron') return electron.module;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    runInNewContext(
      code,
      { require: sandboxRequire, module, exports: module.exports, console },
      { filename: 'preload.cjs' },
    );
    bridge = electron.exposed[0]!.api;
  });
  afterAll(async () => {
    await built.remove();
  });

  it('is one self-contained file that needs only electron', () => {
    expect(required).toEqual(['electron']);
  });

  it('exposes exactly a ShoeboxBridge as window.shoebox', () => {
    expect(electron.exposed.map((e) => e.key)).toEqual(['shoebox']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'motionUrl', 'on', 'photoUrl', 'thumbUrl', 'transport']);
    expect(bridge.motionUrl('abc123')).toBe('shoebox://motion/abc123');
    expect(bridge.transport).toBe('electron');
  });

  it('sends calls over the contract call channel and returns the answer', async () => {
    const answer = await bridge.call('search.text', { query: 'red', limit: 5 });
    expect(electron.invoked).toEqual([[ELECTRON_CALL_CHANNEL, 'search.text', { query: 'red', limit: 5 }]]);
    expect(answer).toEqual({ ok: true, data: 'answer' });
  });

  it('delivers only the subscribed event, payload only, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = bridge.on('library.changed', (payload) => seen.push(payload));
    const sender = { sender: 'the IpcRendererEvent must not reach the page' };
    electron.ipc.emit(ELECTRON_EVENT_CHANNEL, sender, { event: 'library.changed', payload: { photos: 3 } });
    electron.ipc.emit(ELECTRON_EVENT_CHANNEL, sender, { event: 'index.progress', payload: { done: 1 } });
    electron.ipc.emit(ELECTRON_EVENT_CHANNEL, sender, 'garbage');
    expect(seen).toEqual([{ photos: 3 }]);
    off();
    electron.ipc.emit(ELECTRON_EVENT_CHANNEL, sender, { event: 'library.changed', payload: { photos: 4 } });
    expect(seen).toEqual([{ photos: 3 }]);
    expect(electron.ipc.listenerCount(ELECTRON_EVENT_CHANNEL)).toBe(0);
  });

  it('builds media URLs on the shoebox scheme', () => {
    expect(bridge.thumbUrl('0123abcd')).toBe('shoebox://thumb/0123abcd');
    expect(bridge.photoUrl('0123abcd')).toBe('shoebox://photo/0123abcd');
    expect(bridge.photoUrl('../x')).toBe('shoebox://photo/..%2Fx');
  });
});
