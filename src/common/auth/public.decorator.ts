import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'webinar-sync:public';
// Marks a route that needs no API key (health, metrics, OAuth callback, admin page assets).
export const Public = () => SetMetadata(IS_PUBLIC, true);
