import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { OrganizersService } from '../../organizers/organizers.service';
import { TargetGroupCreationService } from '../../target-groups/target-group-creation.service';
import { WebinarImportService } from '../../webinars/webinar-import.service';
import { webhooksHealthy } from '../../webhooks/webhooks-health';
import { participantsDue } from '../polling-schedule';
import { JobContext } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { JobSkipped } from '../sync.errors';
import { safeErrorMessage } from '../../database/database-error';

const DAY_MS = 86_400_000;
/** Participant jobs queued per enqueueMany call (progress is reported after each). */
const ENQUEUE_BATCH = 500;
export type OrganizerSyncMode = 'full' | 'periodic';

// The body shared by organizer_full_sync and organizer_periodic_sync: import the webinars in the
// window, ensure their target groups, then chain one participant job per webinar that needs it.
@Injectable()
export class OrganizerSyncFlow {
  private readonly logger = new Logger(OrganizerSyncFlow.name);

  constructor(
    private readonly organizers: OrganizersService,
    private readonly importer: WebinarImportService,
    private readonly targetGroups: TargetGroupCreationService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async run(ctx: JobContext, mode: OrganizerSyncMode): Promise<Record<string, unknown>> {
    const organizerId = ctx.job.organizerId;
    if (organizerId === null) throw new JobSkipped('job has no organizer');
    const target = await this.organizers.getForSync(organizerId);
    if (!target.syncAllowed) throw new JobSkipped(target.reason ?? 'sync not allowed');
    const { organizer, auth } = target;
    const now = this.clock.now();

    let imported;
    try {
      imported = await this.importer.importOrganizer({
        accountId: organizer.accountId,
        organizerId,
        organizerKey: organizer.organizerKey,
        auth,
        now,
        signal: ctx.signal,
        onPage: (p) =>
          ctx.reportProgress({ phase: 'webinars', webinarsDone: p.webinarsSeen, pages: p.pages }),
      });
    } catch (err) {
      await this.organizers
        .recordSyncFailure(organizerId, safeErrorMessage(err))
        .catch(() => undefined);
      throw err;
    }
    const { webinars, ...counts } = imported;

    // Target groups (the target-groups module): the one call site, after the webinars are stored.
    const groups = await this.targetGroups.ensureForWebinars(
      organizer.accountId,
      webinars.map((w) => w.id),
    );

    // Periodic: only the webinars the adaptive schedule says are due (polling-schedule.ts).
    // Relaxed while the organizer's webhooks flow (webhooks-health.ts).
    const rules = { ...this.config.sync.polling, endedFor: this.config.sync.hotDays * DAY_MS };
    const webhooks = webhooksHealthy(organizer, now);
    const due =
      mode === 'full'
        ? webinars
        : webinars.filter((w) => participantsDue(w, now, rules, webhooks).due);
    // Chained participant jobs, set-based: a few queries per batch instead of ~3 per webinar.
    let queued = 0;
    for (let i = 0; i < due.length; i += ENQUEUE_BATCH) {
      ctx.signal.throwIfAborted();
      const batch = due.slice(i, i + ENQUEUE_BATCH);
      await ctx.enqueueMany(
        batch.map((w) => ({
          type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
          organizerId,
          webinarId: w.id,
        })),
      );
      queued += batch.length;
      await ctx.reportProgress({
        phase: 'queueing participants',
        webinarsDone: webinars.length,
        webinarsTotal: webinars.length,
        participantJobsQueued: queued,
        participantJobsTotal: due.length,
      });
    }
    await this.organizers.recordSyncSuccess(organizerId, now);
    this.logger.log(
      {
        jobId: ctx.job.id,
        accountId: organizer.accountId,
        organizerId,
        mode,
        webinarsSeen: counts.webinarsSeen,
        webinarsInserted: counts.webinarsInserted,
        webinarsUpdated: counts.webinarsUpdated,
        webinarsCancelled: counts.webinarsCancelled,
        participantJobsQueued: queued,
      },
      'organizer sync done',
    );
    return {
      mode,
      ...counts,
      webinarsUpserted: counts.webinarsInserted + counts.webinarsUpdated,
      targetGroupsCreated: groups.created,
      participantJobsQueued: queued,
      apiCalls: counts.pages,
    };
  }
}
