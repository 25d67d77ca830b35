import { Module } from '@nestjs/common';
import { AdminUiConfigController } from './admin-ui-config.controller';
import { AdminUiController } from './admin-ui.controller';

// The Webinar Integrations admin page: static assets served by the app at /admin, and the few
// server constants it shows (GET /api/v1/admin-ui/config).
@Module({ controllers: [AdminUiController, AdminUiConfigController] })
export class AdminUiModule {}
