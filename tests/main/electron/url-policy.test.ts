import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchOptions } from '#main/electron/launch-options.ts';
import { APP_ORIGIN } from '#main/electron/security.ts';
import {
  appOrigins,
  devServerOrigin,
  isAppUrl,
  isTrustedSender,
  originOf,
  safeExternalUrl,
} from '#main/electron/url-policy.ts';

const PROD = appOrigins(null);
const DEV = appOrigins('http://127.0.0.1:5173');

describe('originOf', () => {
  it('gives our scheme a real origin (Node would say "null")', () => {
    expect(new URL('shoebox://app/index.html').origin).toBe('null');
    expect(originOf('shoebox://app/index.html')).toBe('shoebox://app');
    expect(originOf('shoebox://APP/x')).toBe('shoebox://app');
    expect(originOf('https://example.com/a?b')).toBe('https://example.com');
  });

  it('has no origin for credentials, ports or other schemes', () => {
    for (const url of [
      'shoebox://user@app/',
      'shoebox://app:1/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,x',
      'nonsense',
    ]) {
      expect(originOf(url), url).toBeNull();
    }
  });
});

describe('isTrustedSender', () => {
  const ok = { frameUrl: 'shoebox://app/index.html', isMainFrame: true, fromOurWindow: true };

  it('accepts the top frame of our window showing shoebox://app', () => {
    expect(isTrustedSender(ok, PROD)).toBe(true);
    expect(isTrustedSender({ ...ok, frameUrl: 'shoebox://app/#/search?q=red' }, PROD)).toBe(true);
  });

  it.each([
    ['a file: page', { ...ok, frameUrl: 'file:///home/me/evil.html' }],
    ['a web page', { ...ok, frameUrl: 'http://evil.example/' }],
    ['an https look-alike', { ...ok, frameUrl: 'https://app/' }],
    ['another shoebox host', { ...ok, frameUrl: 'shoebox://photo/0123abcd' }],
    ['a subframe', { ...ok, isMainFrame: false }],
    ['a window we did not make', { ...ok, fromOurWindow: false }],
    ['a frame that is gone', { ...ok, frameUrl: null }],
    ['the dev server in a packaged app', { ...ok, frameUrl: 'http://127.0.0.1:5173/' }],
  ])('refuses %s', (_what, sender) => {
    expect(isTrustedSender(sender, PROD)).toBe(false);
  });

  it('accepts the dev server only when it is the configured dev origin', () => {
    expect(isTrustedSender({ ...ok, frameUrl: 'http://127.0.0.1:5173/' }, DEV)).toBe(true);
    expect(isTrustedSender({ ...ok, frameUrl: 'http://127.0.0.1:5174/' }, DEV)).toBe(false);
    expect(isAppUrl('shoebox://app/', DEV)).toBe(true);
  });
});

describe('safeExternalUrl', () => {
  it('lets plain https and http links out, normalised', () => {
    expect(safeExternalUrl('https://example.com/docs?a=1#b')).toBe('https://example.com/docs?a=1#b');
    expect(safeExternalUrl('HTTPS://Example.COM')).toBe('https://example.com/');
    expect(safeExternalUrl('http://example.com/')).toBe('http://example.com/');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'file:///etc/passwd',
    'shoebox://app/index.html',
    'shoebox://photo/0123abcd',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'https://user:pass@example.com/',
    '//example.com',
    'not a url',
    `https://example.com/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => {
    expect(safeExternalUrl(url)).toBeNull();
  });
});

describe('devServerOrigin', () => {
  it('is honoured only unpackaged and only on loopback http', () => {
    expect(devServerOrigin('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173');
    expect(devServerOrigin('http://localhost:5173', false)).toBe('http://localhost:5173');
    expect(devServerOrigin('http://127.0.0.1:5173/', true)).toBeNull();
    expect(devServerOrigin('https://127.0.0.1:5173/', false)).toBeNull();
    expect(devServerOrigin('http://evil.example:5173/', false)).toBeNull();
    expect(devServerOrigin('http://127.0.0.1.evil.example/', false)).toBeNull();
    expect(devServerOrigin(undefined, false)).toBeNull();
    expect(appOrigins(null)).toEqual([APP_ORIGIN]);
  });
});

describe('launchOptions', () => {
  const env = { SHOEBOX_LIBRARY: '/lib/from-env', SHOEBOX_MODEL: '/models/from-env' };

  it('takes --library and --model, in either form, over the environment', () => {
    expect(launchOptions(['--library', 'lib', '--model=models/clip'], env)).toEqual({
      libraryDir: resolve('lib'),
      modelDir: resolve('models/clip'),
    });
  });

  it('falls back to the environment, then to the library setting for the model', () => {
    expect(launchOptions([], env)).toEqual({
      libraryDir: resolve('/lib/from-env'),
      modelDir: resolve('/models/from-env'),
    });
    const none = launchOptions([], { XDG_DATA_HOME: '/data' });
    expect(none.modelDir).toBeUndefined();
    expect(none.libraryDir.length).toBeGreaterThan(0);
  });

  it('ignores Chromium switches and stray arguments', () => {
    expect(launchOptions(['--enable-logging', '--model', join('/m', 'clip'), 'extra'], {})).toMatchObject({
      modelDir: resolve('/m/clip'),
    });
  });
});
