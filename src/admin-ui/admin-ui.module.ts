import { Module } from '@nestjs/common';
import { AdminUiController } from './admin-ui.controller';

// The Webinar Integrations admin page: static assets served by the app at /admin.
@Module({ controllers: [AdminUiController] })
export class AdminUiModule {}
