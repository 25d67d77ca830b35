import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAssets, loadVendorAssets, PUBLIC_DIR } from './admin-ui-assets';

describe('admin page assets', () => {
  it('are read from public/ beside the compiled file (npm run build copies them to dist/)', () => {
    expect(PUBLIC_DIR).toBe(resolve(__dirname, 'public'));
  });

  it('are every file of the folder, nested ones by their relative path, with content types', () => {
    const assets = loadAssets();
    expect([...assets.keys()]).toEqual(
      expect.arrayContaining(['index.html', 'app.css', 'app.js', 'favicon.svg', 'js/api.js']),
    );
    expect(assets.get('index.html')!.contentType).toMatch(/text\/html/);
    expect(assets.get('js/api.js')!.contentType).toMatch(/javascript/);
    expect(assets.get('favicon.svg')!.contentType).toMatch(/svg/);
  });

  it('include the chart library from its npm package (no CDN), as JavaScript', () => {
    const chart = loadVendorAssets().get('vendor/chart.umd.min.js')!;
    expect(chart.contentType).toMatch(/javascript/);
    expect(chart.body.toString('utf8', 0, 200)).toMatch(/Chart\.js v4\./);
  });

  it('every script and stylesheet the page names is served', () => {
    const assets = new Map([...loadAssets(), ...loadVendorAssets()]);
    const html = assets.get('index.html')!.body.toString('utf8');
    // Files only: /admin/activity and the like are views, answered with the page.
    const refs = [...html.matchAll(/(?:src|href)="\/admin\/([^"]+\.[a-z]+)"/g)].map((m) => m[1]);
    expect(refs).toEqual(expect.arrayContaining(['vendor/chart.umd.min.js', 'app.js']));
    for (const ref of refs) expect({ ref, served: assets.has(ref) }).toEqual({ ref, served: true });
  });

  it('fail loudly when the folder has no page', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-admin-'));
    try {
      mkdirSync(join(dir, 'js'));
      writeFileSync(join(dir, 'js', 'a.js'), '');
      expect(() => loadAssets(dir)).toThrow(/no index.html/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the page loads no inline script or style (the CSP forbids them)', () => {
    const html = loadAssets().get('index.html')!.body.toString('utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/);
  });

  it('every module the page imports is served (no import points at a missing file)', () => {
    const assets = loadAssets();
    for (const [name, asset] of assets) {
      if (!name.endsWith('.js')) continue;
      const base = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
      for (const [, spec] of asset.body.toString('utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = new URL(spec, `http://x/${base}`).pathname.slice(1);
        expect({ from: name, import: spec, served: assets.has(target) }).toEqual({
          from: name,
          import: spec,
          served: true,
        });
      }
    }
  });
});
