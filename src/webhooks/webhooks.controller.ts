import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { Public } from '../common/auth/public.decorator';
import { ReceiveResult, WebhookReceiver } from './webhook-receiver.service';

// GoTo's callback target: POST {PUBLIC_URL}/api/v1/webhooks/goto. No API key (GoTo has none of
// ours): the signature is the check. GoTo first probes the URL with a GET that must answer 200.
// Not limited per address: GoTo delivers every account's events from a few addresses, so a busy
// hour (thousands of registrations) would otherwise be refused with 429s. An unsigned request is
// answered 401 after an HMAC check and stores nothing, and bodies are capped (413).
@ApiTags('webhooks')
@Public()
@SkipThrottle({ ip: true, key: true, 'sign-in': true })
@Controller('webhooks/goto')
export class WebhooksController {
  constructor(private readonly receiver: WebhookReceiver) {}

  @Get()
  @ApiOperation({ summary: "GoTo's check of the callback URL: 200" })
  check(): { ok: true } {
    return { ok: true };
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'GoTo webhook events: signature checked, stored once (eventKey), processed through the queue',
  })
  @ApiResponse({ status: 200, description: '{received, duplicates, ignored}' })
  @ApiResponse({ status: 400, description: 'Malformed JSON or not a GoTo event' })
  @ApiResponse({ status: 401, description: 'Missing or bad signature (nothing stored)' })
  @ApiResponse({ status: 413, description: 'Body too large' })
  receive(@Req() req: Request & { rawBody?: Buffer }): Promise<ReceiveResult> {
    return this.receiver.receive(req.rawBody, req.headers);
  }
}
