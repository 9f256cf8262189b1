import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLibraryDir, resolveLibraryDir } from '#core/library/library-dir.ts';

describe('library folder', () => {
  it('follows each OS convention for per-user app data', () => {
    expect(defaultLibraryDir('linux', {}, '/home/ann')).toBe(join('/home/ann', '.local', 'share', 'shoebox'));
    expect(defaultLibraryDir('linux', { XDG_DATA_HOME: '/data/ann' }, '/home/ann')).toBe(join('/data/ann', 'shoebox'));
    expect(defaultLibraryDir('darwin', {}, '/Users/ann')).toBe(
      join('/Users/ann', 'Library', 'Application Support', 'Shoebox'),
    );
    expect(defaultLibraryDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann')).toBe(
      join('C:\\Users\\ann\\AppData\\Roaming', 'Shoebox'),
    );
  });

  it('prefers --library, then SHOEBOX_LIBRARY', () => {
    expect(resolveLibraryDir('lib', { SHOEBOX_LIBRARY: '/env/lib' })).toBe(resolve('lib'));
    expect(resolveLibraryDir(undefined, { SHOEBOX_LIBRARY: '/env/lib' })).toBe('/env/lib');
  });
});
