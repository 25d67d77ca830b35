import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { ParseIdPipe } from '../common/parse-id.pipe';
import {
  CreateRegistrationsDto,
  ListRegistrationsQueryDto,
  RegistrationPageDto,
  RegistrationsAcceptedDto,
} from './registrations.dto';
import { RegistrationsService } from './registrations.service';

@ApiTags('registrations')
@ApiBearerAuth()
@Controller('webinars/:id/registrations')
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register subscribers (a target group or ids) for an upcoming webinar in GoTo',
  })
  @ApiAcceptedResponse({ type: RegistrationsAcceptedDto })
  create(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: CreateRegistrationsDto,
  ): Promise<RegistrationsAcceptedDto> {
    return this.registrations.request(account.id, id, dto);
  }

  @Get()
  @ApiOperation({ summary: "Each person's outcome (pending, registered, already registered, …)" })
  @ApiOkResponse({ type: RegistrationPageDto })
  list(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: ListRegistrationsQueryDto,
  ): Promise<RegistrationPageDto> {
    return this.registrations.list(account.id, id, q);
  }
}
