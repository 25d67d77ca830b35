import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { OrganizerForSync, OrganizersService } from '../organizers/organizers.service';
import { SyncJob } from '../sync/sync-job.entity';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../sync/sync-job-types';
import { SyncQueue } from '../sync/sync-queue.service';
import { WebinarsService } from '../webinars/webinars.service';
import {
  BeforeSendContext,
  BeforeSendHook,
  BeforeSendReport,
  emptyReport,
  MailingBeforeSendHook,
} from './before-send-hook';
import { errorMessage } from './before-send-hook.runner';

// Before a mailing goes out, bring the participants of every webinar behind its target groups up
// to date: one participant sync per webinar at MAILING priority (deduped with a queued or running
// one, whose priority is raised), all awaited together within the mailing's budget.
@Injectable()
@MailingBeforeSendHook({ order: 0 })
export class WebinarParticipantSyncHook implements BeforeSendHook {
  readonly name = 'webinar-participant-sync';
  private readonly logger = new Logger(WebinarParticipantSyncHook.name);

  constructor(
    private readonly queue: SyncQueue,
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

    const queued: { webinarId: number; job: SyncJob }[] = [];
    // Most webinars of a mailing share a few organizers: look each one up once.
    const targets = new Map<number, OrganizerForSync>();
    for (const webinarId of webinarIds) {
      try {
        const job = await this.enqueueFor(ctx, webinarId, report, targets);
        if (job) queued.push({ webinarId, job });
      } catch (err) {
        report.warnings.push({
          webinarId,
          message: `participant sync not started: ${errorMessage(err)}`,
        });
      }
    }
    if (queued.length === 0) return report;

    let finished: SyncJob[];
    try {
      finished = await this.queue.waitForJobs(
        queued.map((q) => q.job.id),
        ctx.deadline,
      );
    } catch (err) {
      for (const q of queued)
        report.warnings.push({
          webinarId: q.webinarId,
          message: `participant sync not awaited: ${errorMessage(err)}`,
        });
      return report;
    }
    const byId = new Map(finished.map((j) => [j.id, j]));
    for (const { webinarId, job: queuedJob } of queued) {
      const job = byId.get(queuedJob.id) ?? queuedJob;
      const skipped = skipReason(job);
      const outcome = describe(job);
      if (skipped !== null) report.skipped.push({ webinarId, reason: skipped });
      else if (outcome === 'succeeded') report.synced.push({ webinarId, jobId: job.id });
      else report.warnings.push({ webinarId, message: outcome });
    }
    if (report.warnings.length > 0) {
      this.logger.warn(
        { accountId: ctx.accountId, mailingId: ctx.mailingId, warnings: report.warnings },
        'Mailing sync incomplete',
      );
    }
    return report;
  }

  // Null when the webinar is skipped (its reason is added to the report).
  private async enqueueFor(
    ctx: BeforeSendContext,
    webinarId: number,
    report: BeforeSendReport,
    targets: Map<number, OrganizerForSync>,
  ): Promise<SyncJob | null> {
    const webinar = await this.webinars
      .getForAccount(ctx.accountId, webinarId)
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.kind === 'not_found') return null;
        throw err;
      });
    if (!webinar) {
      report.skipped.push({ webinarId, reason: 'webinar not found' });
      return null;
    }
    // GoTo no longer has it: a sync could only fail (the participants stored stay).
    if (webinar.status === 'cancelled') {
      report.skipped.push({ webinarId, reason: 'the webinar was cancelled in GoTo Webinar' });
      return null;
    }
    let target = targets.get(webinar.organizerId);
    if (!target) {
      target = await this.organizers.getForSync(webinar.organizerId);
      targets.set(webinar.organizerId, target);
    }
    if (!target.syncAllowed) {
      report.skipped.push({
        webinarId,
        reason: target.reason ?? 'organizer or integration inactive',
      });
      return null;
    }
    return this.queue.enqueue({
      type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
      accountId: ctx.accountId,
      organizerId: webinar.organizerId,
      webinarId,
      priority: SYNC_PRIORITY.MAILING,
    });
  }
}

// A job that found nothing to do (organizer deactivated after it was queued, webinar gone from
// GoTo) ends succeeded with { skipped: true, reason }: report it as skipped, not as synced.
function skipReason(job: SyncJob): string | null {
  if (job.status !== 'succeeded' || job.result?.skipped !== true) return null;
  return typeof job.result.reason === 'string' ? job.result.reason : 'nothing to sync';
}

// 'succeeded', or the warning to record.
function describe(job: SyncJob): string {
  if (job.status === 'succeeded') return 'succeeded';
  if (job.status === 'failed')
    return `participant sync failed (job ${job.id}): ${job.lastError ?? 'unknown error'}`;
  const last = job.lastError ? ` (last error: ${job.lastError})` : '';
  return `participant sync (job ${job.id}, ${job.status}) did not finish within the time budget; sent with the participants stored before${last}`;
}
