import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, sep } from 'node:path';

// The page's static files sit beside this file in public/: src/admin-ui/public when running from
// source, dist/admin-ui/public after `npm run build` (which copies them, tsc does not). Only the
// files present at boot are served, by their path relative to public/ (no request path ever
// reaches the disk).

export const PUBLIC_DIR = join(__dirname, 'public');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Libraries the page loads, served from their installed npm package (a production dependency, so
// present beside dist/ as well as in development): never from a CDN, so the CSP stays 'self'.
// Keyed by the path under /admin; chart.js exports no subpaths, so its UMD build is found beside
// the package's main file.
export const VENDOR_FILES: Record<string, () => string> = {
  'vendor/chart.umd.min.js': () => join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
};

export interface AdminAsset {
  body: Buffer;
  contentType: string;
}

/** Every file under `dir`, keyed by its path relative to it with '/' separators (e.g. 'js/api.js'). */
export function loadAssets(dir: string = PUBLIC_DIR): Map<string, AdminAsset> {
  const assets = new Map<string, AdminAsset>();
  for (const path of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, path);
    if (!statSync(file).isFile()) continue;
    assets.set(path.split(sep).join('/'), {
      body: readFileSync(file),
      contentType: TYPES[extname(path)] ?? 'application/octet-stream',
    });
  }
  if (!assets.has('index.html')) throw new Error(`admin-ui: no index.html in ${dir}`);
  return assets;
}

/** The VENDOR_FILES, read once; a missing package fails the boot (npm ci installs it). */
export function loadVendorAssets(): Map<string, AdminAsset> {
  return new Map(
    Object.entries(VENDOR_FILES).map(([name, path]) => [
      name,
      {
        body: readFileSync(path()),
        contentType: TYPES[extname(name)] ?? 'application/octet-stream',
      },
    ]),
  );
}
