import { describe, expect, it } from 'vitest';
import { looksLikeAsset, resolveUiPath } from './resolve.js';

const DIR = '/srv/weft/dist/ui';

describe('resolveUiPath', () => {
  it('redirects the root and /ui to /ui/, as Consul does', () => {
    expect(resolveUiPath(DIR, '/')).toEqual({ kind: 'redirect', location: '/ui/' });
    expect(resolveUiPath(DIR, '/ui')).toEqual({ kind: 'redirect', location: '/ui/' });
  });

  it('maps /ui/ to index.html and other paths to files inside the bundle', () => {
    expect(resolveUiPath(DIR, '/ui/')).toMatchObject({ kind: 'file', path: 'index.html', absolute: `${DIR}/index.html` });
    expect(resolveUiPath(DIR, '/ui/assets/index-abc.js')).toMatchObject({ kind: 'file', path: 'assets/index-abc.js', absolute: `${DIR}/assets/index-abc.js`, hidden: false });
    expect(resolveUiPath(DIR, '/ui/dc1/kv/a%20b/edit')).toMatchObject({ kind: 'file', path: 'dc1/kv/a b/edit' });
  });

  it('refuses every way of climbing out of the bundle', () => {
    for (const p of ['/ui/../package.json', '/ui/assets/../../x', '/ui/%2e%2e/secret', '/ui/..%2f..%2fetc/passwd', '/ui/a%2Fb', '/ui/%E0%A4%A']) {
      expect(resolveUiPath(DIR, p), p).toEqual({ kind: 'bad' });
    }
  });

  it('never reads dot-files or odd names, but keeps them as client routes', () => {
    expect(resolveUiPath(DIR, '/ui/.env')).toMatchObject({ kind: 'file', hidden: true });
    expect(resolveUiPath(DIR, '/ui/dc1/kv/.hidden/edit')).toMatchObject({ kind: 'file', hidden: true });
    expect(resolveUiPath(DIR, '/ui/a%5Cb')).toMatchObject({ kind: 'file', hidden: true });
    expect(resolveUiPath(DIR, '/ui/a%00b')).toMatchObject({ kind: 'file', hidden: true });
  });

  it('answers nothing outside /ui/', () => {
    expect(resolveUiPath(DIR, '/metrics')).toEqual({ kind: 'not-found' });
    expect(resolveUiPath(DIR, '/uix/')).toEqual({ kind: 'not-found' });
  });
});

describe('looksLikeAsset', () => {
  it('treats assets/ and root files with an extension as assets, deeper paths as client routes', () => {
    expect(looksLikeAsset('assets/index-abc.js')).toBe(true);
    expect(looksLikeAsset('favicon.svg')).toBe(true);
    expect(looksLikeAsset('dc1/services')).toBe(false);
    expect(looksLikeAsset('dc1/kv/app.json/edit')).toBe(false);
    expect(looksLikeAsset('dc1/kv/folder.v1')).toBe(false);
    expect(looksLikeAsset('dc1')).toBe(false);
  });
});
