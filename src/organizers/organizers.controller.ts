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
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { parse as parseCookie } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { API_PREFIX } from '../common/api-prefix';
import { AppConfig } from '../config/app-config';
import { AccountRef, CurrentAccount } from '../common/auth/current-account.decorator';
import { Public } from '../common/auth/public.decorator';
import { SignInThrottle } from '../common/throttle/request-throttle';
import { DomainError } from '../common/errors/domain-error';
import { Page, pageOf, PageQueryDto } from '../common/pagination';
import { ParseIdPipe } from '../common/parse-id.pipe';
import { JobAcceptedDto } from '../sync/dto/job-accepted.dto';
import { REACTIVATION_RULE } from './organizer-activation';
import { OrganizerLinkingService } from './organizer-linking.service';
import {
  isBrowserId,
  newBrowserId,
  OrganizerOAuthService,
  PendingLinkView,
} from './organizer-oauth.service';
import {
  CreateOrganizerDto,
  OrganizerView,
  toOrganizerView,
  UpdateOrganizerDto,
} from './organizer.dto';
import { organizersAreNotDeleted } from './organizers.errors';
import { OrganizersService } from './organizers.service';

/** Names the browser that started "Connect with GoTo" (HttpOnly; only a hash is stored). */
export const OAUTH_BROWSER_COOKIE = 'ws_oauth_browser';

function browserIdOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  const value = header ? parseCookie(header)[OAUTH_BROWSER_COOKIE] : undefined;
  return isBrowserId(value) ? value : undefined;
}

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
    private readonly config: AppConfig,
  ) {}

  @Get()
  async list(
    @CurrentAccount() account: AccountRef,
    @Query() query: PageQueryDto,
  ): Promise<Page<OrganizerView>> {
    return pageOf((await this.organizers.list(account.id)).map(toOrganizerView), query);
  }

  @Post()
  @SignInThrottle()
  @ApiResponse({
    status: 429,
    description: 'Too many GoTo sign-ins for this account (Retry-After)',
  })
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
      "302 to GoTo's consent page (PKCE S256; sets the browser cookie the callback checks); " +
      '`?format=json` (or Accept: application/json) answers {url, expiresAt}',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json'] })
  @ApiResponse({
    status: 302,
    description: "Redirect to GoTo's consent page (state bound to the account and this browser)",
  })
  @ApiResponse({
    status: 200,
    description: '{url, expiresAt} with ?format=json or Accept: application/json',
  })
  async authorize(
    @CurrentAccount() account: AccountRef,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const browser = browserIdOf(req) ?? newBrowserId();
    const { url, expiresAt } = await this.oauth.authorize(account.id, browser);
    res.cookie(OAUTH_BROWSER_COOKIE, browser, this.cookieOptions());
    if (wantsJson(accept, format)) res.status(200).json({ url, expiresAt });
    else res.redirect(302, url);
  }

  // GoTo redirects the browser here, which carries no API key: the state names the account, and
  // the browser cookie set by /oauth/authorize must come with it. Nothing is linked here.
  @Public()
  @Get('oauth/callback')
  @ApiOperation({
    summary:
      'OAuth redirect target (same browser only): 302 to /admin?oauth=confirm&link=… to confirm ' +
      'the GoTo user, or /admin?oauth=failed&error=…; JSON with Accept: application/json',
    description: `Links a new organizer once the user confirms the GoTo user, or stores new credentials of the account's organizer with the same GoTo organizer key. ${REACTIVATION_RULE}`,
  })
  @ApiQuery({ name: 'code', required: true, description: "GoTo's authorization code" })
  @ApiQuery({ name: 'state', required: true, description: 'The state issued by /oauth/authorize' })
  @ApiQuery({ name: 'error', required: false, description: 'Set by GoTo when the user declined' })
  @ApiQuery({ name: 'format', required: false, enum: ['json'] })
  @ApiResponse({ status: 302, description: 'Back to /admin?oauth=confirm&link=… or failed' })
  @ApiResponse({ status: 200, description: 'JSON: the pending link {link, email, …}' })
  @ApiResponse({
    status: 400,
    description: 'Bad, expired or replayed state; another browser; missing code',
  })
  async callback(
    @Query('code') code: string | undefined,
    @Query('state') state: string | undefined,
    @Query('error') error: string | undefined,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const json = wantsJson(accept, format);
    try {
      const pending = await this.oauth.callback(
        { code: str(code), state: str(state), error: str(error) },
        browserIdOf(req),
      );
      if (json) res.status(200).json(pending);
      else res.redirect(302, `/admin?oauth=confirm&link=${encodeURIComponent(pending.link)}`);
    } catch (e) {
      // A browser gets the admin page back with the error code; an unexpected error stays a 500.
      if (json || !(e instanceof DomainError)) throw e;
      res.redirect(302, `/admin?oauth=failed&error=${encodeURIComponent(e.code)}`);
    }
  }

  @Get('oauth/links/:link')
  @ApiOperation({ summary: 'The GoTo user a completed consent would link (same browser only)' })
  pendingLink(
    @CurrentAccount() account: AccountRef,
    @Param('link') link: string,
    @Req() req: Request,
  ): Promise<PendingLinkView> {
    return this.oauth.pending(account.id, link, browserIdOf(req));
  }

  @Post('oauth/links/:link/confirm')
  @ApiOperation({
    summary: 'Link the GoTo user shown (or reconnect its organizer) and queue its sync',
  })
  @ApiResponse({ status: 201, description: 'Organizer created (+ created, syncJobId)' })
  @ApiResponse({ status: 200, description: 'Existing organizer reconnected (+ syncJobId)' })
  async confirmLink(
    @CurrentAccount() account: AccountRef,
    @Param('link') link: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrganizerView & { created: boolean; syncJobId: number | null }> {
    const result = await this.oauth.confirm(account.id, link, browserIdOf(req));
    res.status(result.created ? 201 : 200);
    return {
      ...toOrganizerView(result.organizer),
      created: result.created,
      syncJobId: result.syncJobId,
    };
  }

  @Delete('oauth/links/:link')
  @HttpCode(204)
  @ApiOperation({ summary: 'Drop a pending GoTo link without linking it' })
  async cancelLink(
    @CurrentAccount() account: AccountRef,
    @Param('link') link: string,
    @Req() req: Request,
  ): Promise<void> {
    await this.oauth.cancel(account.id, link, browserIdOf(req));
  }

  private cookieOptions(): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'lax', // sent on GoTo's top-level redirect back, not on cross-site subrequests
      secure: this.config.publicUrl.startsWith('https://'),
      path: `/${API_PREFIX}/organizers/oauth`,
      maxAge: 30 * 60 * 1000,
    };
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
  @SignInThrottle()
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

  @Post(':id/sync')
  @HttpCode(202)
  @ApiOperation({ summary: "Queue a full sync of the organizer's webinars and their participants" })
  @ApiAcceptedResponse({ type: JobAcceptedDto })
  @ApiResponse({ status: 409, description: 'The organizer or the account integration is inactive' })
  syncNow(
    @CurrentAccount() account: AccountRef,
    @Param('id', ParseIdPipe) id: number,
  ): Promise<JobAcceptedDto> {
    return this.organizers.requestSync(account.id, id);
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
