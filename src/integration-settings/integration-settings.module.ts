import { Module } from '@nestjs/common';

// Placeholder: filled in by the issue that builds this feature.
@Module({})
export class IntegrationSettingsModule {}
