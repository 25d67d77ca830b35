import { Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { GotoWebinarError } from '../../goto-webinar/goto-webinar.errors';
import { OrganizersService } from '../../organizers/organizers.service';
import { ParticipantSyncService } from '../../participants/participant-sync.service';
import { WebinarsService } from '../../webinars/webinars.service';
import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { JobSkipped } from '../sync.errors';

// One webinar's registrants and attendees -> subscribers + webinar_participant rows.
@SyncJobHandler(SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC)
export class WebinarParticipantsSyncHandler implements SyncJobHandlerInstance {
  private readonly logger = new Logger(WebinarParticipantsSyncHandler.name);

  constructor(
    private readonly organizers: OrganizersService,
    private readonly webinars: WebinarsService,
    private readonly participants: ParticipantSyncService,
    private readonly clock: Clock,
  ) {}

  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    const webinarId = ctx.job.webinarId;
    const webinar =
      webinarId === null ? null : await this.webinars.findForAccount(ctx.job.accountId, webinarId);
    if (!webinar) throw new JobSkipped(`webinar ${webinarId} not found`);
    if (webinar.status === 'cancelled') throw new JobSkipped('webinar cancelled in GoTo Webinar');
    const target = await this.organizers.getForSync(webinar.organizerId);
    if (!target.syncAllowed) throw new JobSkipped(target.reason ?? 'sync not allowed');

    // No progress writes: one webinar takes well under a second, and the result says it all.
    const now = this.clock.now();
    try {
      const result = await this.participants.syncWebinar(
        webinar,
        target.organizer.organizerKey,
        target.auth,
        now,
        ctx.signal,
        ctx.job.id,
      );
      if (result.rowsWritten > 0 || webinar.participantsSyncedAt === null)
        await this.webinars.markParticipantsSynced(webinar.id, now);
      return { ...result };
    } catch (err) {
      // Gone from GoTo (cancelled or deleted): keep it and its participants, marked cancelled.
      if (err instanceof GotoWebinarError && err.code === 'NOT_FOUND') {
        await this.webinars.markCancelled(webinar.id, now);
        this.logger.warn(
          `webinar ${webinar.webinarKey}: not found in GoTo Webinar; marked cancelled`,
        );
        return {
          webinarId: webinar.id,
          webinarKey: webinar.webinarKey,
          skipped: true,
          reason: 'webinar no longer exists in GoTo Webinar',
          webinarsCancelled: 1,
          rowsWritten: 1,
        };
      }
      throw err;
    }
  }
}
