import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { Public } from '../common/auth/public.decorator';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf, PageQueryDto } from '../common/pagination';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { REACTIVATION_RULE } from './organizer-activation';
import { OrganizerLinkingService } from './organizer-linking.service';
import { OrganizerOAuthService } from './organizer-oauth.service';
import {
  CreateOrganizerDto,
  OrganizerView,
  toOrganizerView,
  UpdateOrganizerDto,
} from './organizer.dto';
import { organizersAreNotDeleted } from './organizers.errors';
import { OrganizersService } from './organizers.service';

const wantsJson = (accept: string | undefined, format: string | undefined) =>
  format === 'json' || /application\/json/i.test(accept ?? '');

@ApiTags('organizers')
@ApiBearerAuth()
@Controller('organizers')
export class OrganizersController {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly linking: OrganizerLinkingService,
    private readonly oauth: OrganizerOAuthService,
  ) {}

  @Get()
  async list(
    @CurrentAccount() account: AccountRef,
    @Query() query: PageQueryDto,
  ): Promise<Page<OrganizerView>> {
    return pageOf((await this.organizers.list(account.id)).map(toOrganizerView), query);
  }

  @Post()
  @ApiResponse({ status: 201, description: 'The organizer and initialSyncJobId' })
  @ApiResponse({ status: 409, description: 'This GoTo organizer is already linked to the account' })
  @ApiResponse({ status: 422, description: 'GoTo rejected the credentials (nothing stored)' })
  @ApiOperation({
    summary:
      'Link an organizer by {email, password} or {email, personalAccessToken}; queues its complete sync',
  })
  async create(
    @CurrentAccount() account: AccountRef,
    @Body() dto: CreateOrganizerDto,
  ): Promise<OrganizerView & { initialSyncJobId: number | null }> {
    const { organizer, initialSyncJobId } = await this.linking.add(account.id, dto);
    return { ...toOrganizerView(organizer), initialSyncJobId };
  }

  @Get('oauth/authorize')
  @ApiOperation({
    summary:
      "302 to GoTo's consent page; `?format=json` (or Accept: application/json) answers {url, expiresAt}",
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json'] })
  @ApiResponse({
    status: 302,
    description: "Redirect to GoTo's consent page (state bound to the account)",
  })
  @ApiResponse({
    status: 200,
    description: '{url, expiresAt} with ?format=json or Accept: application/json',
  })
  async authorize(
    @CurrentAccount() account: AccountRef,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { url, expiresAt } = await this.oauth.authorize(account.id);
    if (wantsJson(accept, format)) res.status(200).json({ url, expiresAt });
    else res.redirect(302, url);
  }

  // GoTo redirects the browser here, which carries no API key: the state names the account.
  @Public()
  @Get('oauth/callback')
  @ApiOperation({
    summary:
      'OAuth redirect target: 302 to /admin?oauth=connected|failed, or JSON with Accept: application/json',
    description: `Links a new organizer, or stores new credentials of the account's organizer with the same GoTo organizer key. ${REACTIVATION_RULE}`,
  })
  @ApiQuery({ name: 'code', required: true, description: "GoTo's authorization code" })
  @ApiQuery({ name: 'state', required: true, description: 'The state issued by /oauth/authorize' })
  @ApiQuery({ name: 'error', required: false, description: 'Set by GoTo when the user declined' })
  @ApiQuery({ name: 'format', required: false, enum: ['json'] })
  @ApiResponse({ status: 302, description: 'Back to /admin?oauth=connected|failed' })
  @ApiResponse({ status: 201, description: 'JSON: organizer created (+ syncJobId)' })
  @ApiResponse({ status: 200, description: 'JSON: existing organizer updated (+ syncJobId)' })
  @ApiResponse({ status: 400, description: 'Bad, expired or replayed state; missing code' })
  async callback(
    @Query('code') code: string | undefined,
    @Query('state') state: string | undefined,
    @Query('error') error: string | undefined,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const json = wantsJson(accept, format);
    try {
      const result = await this.oauth.callback({
        code: str(code),
        state: str(state),
        error: str(error),
      });
      if (json) {
        res.status(result.created ? 201 : 200).json({
          ...toOrganizerView(result.organizer),
          created: result.created,
          syncJobId: result.syncJobId,
        });
      } else {
        res.redirect(302, `/admin?oauth=connected&organizerId=${result.organizer.id}`);
      }
    } catch (e) {
      // A browser gets the admin page back with the error code; an unexpected error stays a 500.
      if (json || !(e instanceof DomainError)) throw e;
      res.redirect(302, `/admin?oauth=failed&error=${encodeURIComponent(e.code)}`);
    }
  }

  @Get(':id')
  @ApiOkResponse({ type: OrganizerView })
  async get(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<OrganizerView> {
    return toOrganizerView(await this.organizers.getForAccount(account.id, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change email/password/token (same GoTo organizer only) and/or active',
    description: REACTIVATION_RULE,
  })
  async update(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateOrganizerDto,
  ): Promise<OrganizerView & { syncJobId: number | null }> {
    const found = await this.organizers.getForAccount(account.id, id);
    const { organizer, syncJobId } = await this.linking.update(found, dto);
    return { ...toOrganizerView(organizer), syncJobId };
  }

  @Delete(':id')
  @HttpCode(405)
  @ApiOperation({ summary: '405: organizers are deactivated (PATCH active=false), never deleted' })
  async remove(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<never> {
    await this.organizers.getForAccount(account.id, id);
    throw organizersAreNotDeleted();
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
