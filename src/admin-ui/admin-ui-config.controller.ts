import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator';
import { DEFAULT_DISPLAYED_TIME_ZONE } from '../integration-settings/webinar-integration-settings.entity';
import { KIND_LABELS } from '../target-groups/build-target-group-name';

export class AdminUiConfigDto {
  @ApiProperty({
    example: 'America/New_York',
    description: 'Zone of an account with no settings yet',
  })
  defaultTimeZone: string;
  @ApiProperty({
    example: { registered: 'Registered', attended: 'Attended', not_attended: 'Not Attended' },
    description: 'Label of each target group kind, as in the group names',
  })
  targetGroupKindLabels: Record<string, string>;
}

// The constants the admin page shows, owned by the modules that define them (the page must not
// copy them). Public: they are the same for every account and the page reads them before sign-in.
@ApiTags('admin-ui')
@Public()
@Controller('admin-ui')
export class AdminUiConfigController {
  @Get('config')
  @ApiOkResponse({ type: AdminUiConfigDto })
  config(): AdminUiConfigDto {
    return { defaultTimeZone: DEFAULT_DISPLAYED_TIME_ZONE, targetGroupKindLabels: KIND_LABELS };
  }
}
