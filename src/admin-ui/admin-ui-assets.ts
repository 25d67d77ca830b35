import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

// The page's static files live in src/admin-ui/public. tsc does not copy them into dist/, so when
// running from dist/ we walk up to the project root (the folder with package.json) and serve them
// from src/ there. Only the files present at boot are served (no path ever reaches the disk).

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface AdminAsset {
  body: Buffer;
  contentType: string;
}

export function findPublicDir(start: string = __dirname): string {
  const beside = join(start, 'public');
  if (existsSync(join(beside, 'index.html'))) return beside;
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const fromRoot = join(dir, 'src', 'admin-ui', 'public');
      if (existsSync(join(fromRoot, 'index.html'))) return fromRoot;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`admin-ui: public assets not found from ${start}`);
    dir = parent;
  }
}

export const ASSET_FILES = ['index.html', 'app.css', 'app.js', 'favicon.svg'];

export function loadAssets(dir: string = findPublicDir()): Map<string, AdminAsset> {
  const assets = new Map<string, AdminAsset>();
  for (const name of ASSET_FILES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    assets.set(name, {
      body: readFileSync(file),
      contentType: TYPES[extname(name)] ?? 'application/octet-stream',
    });
  }
  return assets;
}
