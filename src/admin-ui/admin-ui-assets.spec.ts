import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ASSET_FILES, findPublicDir, loadAssets } from './admin-ui-assets';

describe('admin page assets', () => {
  it('are found beside the controller when running from src/', () => {
    expect(findPublicDir(__dirname)).toBe(resolve(__dirname, 'public'));
  });

  it('are found from dist/ by walking up to the project root (tsc does not copy them)', () => {
    const root = mkdtempSync(join(tmpdir(), 'ws-admin-'));
    try {
      writeFileSync(join(root, 'package.json'), '{}');
      mkdirSync(join(root, 'src', 'admin-ui', 'public'), { recursive: true });
      writeFileSync(join(root, 'src', 'admin-ui', 'public', 'index.html'), '<!doctype html>');
      mkdirSync(join(root, 'dist', 'admin-ui'), { recursive: true });
      expect(findPublicDir(join(root, 'dist', 'admin-ui'))).toBe(
        join(root, 'src', 'admin-ui', 'public'),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('fail loudly when missing', () => {
    expect(() => findPublicDir(tmpdir())).toThrow(/public assets not found/);
  });

  it('loads exactly the listed files with their content types', () => {
    const assets = loadAssets();
    expect([...assets.keys()].sort()).toEqual([...ASSET_FILES].sort());
    expect(assets.get('index.html')!.contentType).toMatch(/text\/html/);
    expect(assets.get('app.js')!.contentType).toMatch(/javascript/);
  });

  it('the page loads no inline script or style (the CSP forbids them)', () => {
    const html = loadAssets().get('index.html')!.body.toString('utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/);
  });
});
