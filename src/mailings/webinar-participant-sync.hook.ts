import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { Organizer } from '../organizers/organizer.entity';
import { OrganizersService } from '../organizers/organizers.service';
import { SyncRequestsService } from '../sync/sync-requests.service';
import { Webinar } from '../webinars/webinar.entity';
import { WebinarsService } from '../webinars/webinars.service';
import {
  BeforeSendContext,
  BeforeSendHook,
  BeforeSendReport,
  emptyReport,
  MailingBeforeSendHook,
} from './before-send-hook';
import { errorMessage } from './before-send-hooks';

// Before a mailing goes out, bring the participants of every webinar behind its target groups up
// to date: SyncRequestsService.syncBeforeMailing (mailing priority, fresh reads, awaited within the
// mailing's budget); this hook only finds the webinars and turns the outcomes into the report.
@Injectable()
@MailingBeforeSendHook({ order: 0 })
export class WebinarParticipantSyncHook implements BeforeSendHook {
  readonly name = 'webinar-participant-sync';
  private readonly logger = new Logger(WebinarParticipantSyncHook.name);

  constructor(
    private readonly syncRequests: SyncRequestsService,
    private readonly organizers: OrganizersService,
    private readonly webinars: WebinarsService,
  ) {}

  async beforeSend(ctx: BeforeSendContext): Promise<BeforeSendReport> {
    const report = emptyReport();
    const webinarIds = [
      ...new Set(
        ctx.targetGroups.map((g) => g.webinarId).filter((id): id is number => id !== null),
      ),
    ];
    if (webinarIds.length === 0) return report;

    const items: Array<{
      webinarId: number;
      webinar: Webinar | null;
      organizer: Organizer | null;
    }> = [];
    // Most webinars of a mailing share a few organizers: look each one up once.
    const organizers = new Map<number, Organizer | null>();
    for (const webinarId of webinarIds) {
      try {
        const webinar = await this.webinars.findForAccount(ctx.accountId, webinarId);
        let organizer: Organizer | null = null;
        if (webinar) {
          if (!organizers.has(webinar.organizerId))
            organizers.set(
              webinar.organizerId,
              await this.organizers.findForAccount(ctx.accountId, webinar.organizerId),
            );
          organizer = organizers.get(webinar.organizerId) ?? null;
        }
        items.push({ webinarId, webinar, organizer });
      } catch (err) {
        if (err instanceof DomainError && err.kind === 'not_found')
          items.push({ webinarId, webinar: null, organizer: null });
        else
          report.warnings.push({
            webinarId,
            message: `participant sync not started: ${errorMessage(err)}`,
          });
      }
    }

    for (const o of await this.syncRequests.syncBeforeMailing(items, ctx.deadline)) {
      if (o.outcome === 'synced') report.synced.push({ webinarId: o.webinarId, jobId: o.jobId });
      else if (o.outcome === 'skipped')
        report.skipped.push({ webinarId: o.webinarId, reason: o.reason });
      else report.warnings.push({ webinarId: o.webinarId, message: o.message });
    }
    if (report.warnings.length > 0) {
      this.logger.warn(
        { accountId: ctx.accountId, mailingId: ctx.mailingId, warnings: report.warnings },
        'Mailing sync incomplete',
      );
    }
    return report;
  }
}
