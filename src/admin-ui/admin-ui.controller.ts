import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth/public.decorator';
import { notFound } from '../common/errors/domain-error';
import { AdminAsset, loadAssets, loadVendorAssets } from './admin-ui-assets';

// Strict: only our own files, no inline script or style, never framed, no referrer leaking the URL.
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// The Webinar Integrations page (Admin > Setup > Webinar Integrations) and its assets. The page
// itself needs no API key: it asks for one and sends it on every /api/v1 call.
@ApiExcludeController()
@Public()
@Controller('admin')
export class AdminUiController {
  private readonly assets: Map<string, AdminAsset> = new Map([
    ...loadAssets(),
    ...loadVendorAssets(),
  ]);

  @Get()
  page(@Res() res: Response): void {
    this.send(res, this.assets.get('index.html')!);
  }

  @Get('*path')
  asset(@Param('path') path: string | string[], @Res() res: Response): void {
    const name = Array.isArray(path) ? path.join('/') : path;
    // Unknown paths under /admin are client-side views: answer the page (e.g. /admin/ or a deep link).
    const asset =
      this.assets.get(name) ??
      (name === '' || !name.includes('.') ? this.assets.get('index.html') : undefined);
    if (!asset) throw notFound('Admin asset', name);
    this.send(res, asset);
  }

  private send(res: Response, asset: AdminAsset): void {
    res.set({
      'Content-Type': asset.contentType,
      'Content-Security-Policy': ADMIN_CSP,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      // Small files, revalidated each load so a deploy is picked up at once.
      'Cache-Control': 'no-cache',
    });
    res.status(200).send(asset.body);
  }
}
