import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { IntegrationSettingsView, UpdateIntegrationSettingsDto } from './integration-settings.dto';
import { IntegrationSettingsService } from './integration-settings.service';

@ApiTags('webinar-integration')
@ApiBearerAuth()
@Controller('webinar-integration/settings')
export class IntegrationSettingsController {
  constructor(private readonly settings: IntegrationSettingsService) {}

  @Get()
  @ApiOkResponse({ type: IntegrationSettingsView })
  get(@CurrentAccount() account: AccountRef): Promise<IntegrationSettingsView> {
    return this.settings.get(account.id);
  }

  /** Partial update: only the fields sent change. */
  @Put()
  @ApiOkResponse({ type: IntegrationSettingsView })
  update(
    @CurrentAccount() account: AccountRef,
    @Body() dto: UpdateIntegrationSettingsDto,
  ): Promise<IntegrationSettingsView> {
    return this.settings.update(account.id, dto);
  }
}
