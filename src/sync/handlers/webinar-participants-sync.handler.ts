import { Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { GotoWebinarError } from '../../goto-webinar/goto-webinar.errors';
import { OrganizerForSync, OrganizersService } from '../../organizers/organizers.service';
import { ParticipantSyncService } from '../../participants/participant-sync.service';
import { Webinar } from '../../webinars/webinar.entity';
import { WebinarsService } from '../../webinars/webinars.service';
import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync-job-types';
import { skipForWebinar } from '../sync-requests.service';
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
    const skip = skipForWebinar(webinar);
    if (skip || !webinar) throw new JobSkipped(skip?.message ?? `webinar ${webinarId} not found`);
    const target = await this.reader(webinar, ctx.job.organizerId);
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
      // The webinar row (read and synced times, GoTo's counts, attendance final) is written by
      // the sync itself, in one statement.
      return {
        ...result,
        rowsWritten: result.rowsWritten + (result.attendanceFinalMarked ? 1 : 0),
        ...(target.organizer.id !== webinar.organizerId ? { readAs: target.organizer.id } : {}),
      };
    } catch (err) {
      if (!(err instanceof GotoWebinarError && err.code === 'NOT_FOUND')) throw err;
      return this.onNotFound(webinar, target, err, now, ctx);
    }
  }

  /**
   * The organizer whose key the reads go through: the webinar's owner; if the owner may not sync
   * (deactivated), the organizer that queued the job when it is another one that sees the webinar
   * too (a co-organizer).
   */
  private async reader(webinar: Webinar, jobOrganizerId: number | null): Promise<OrganizerForSync> {
    const owner = await this.organizers.getForSync(webinar.organizerId);
    if (owner.syncAllowed || jobOrganizerId === null || jobOrganizerId === webinar.organizerId)
      return owner;
    const other = await this.organizers.getForSync(jobOrganizerId);
    return other.syncAllowed ? other : owner;
  }

  /**
   * A 404 from the registrants, sessions or attendees endpoint is not a cancellation by itself (a
   * wrong organizer key, a token of another user, a routing error answer 404 too). The webinar is
   * marked cancelled only when GoTo says the webinar itself is gone (GET …/webinars/{key} → 404,
   * asked as its owner); otherwise the job fails with that error and the data stay as they are.
   */
  private async onNotFound(
    webinar: Webinar,
    target: OrganizerForSync,
    err: GotoWebinarError,
    now: Date,
    ctx: JobContext,
  ): Promise<Record<string, unknown>> {
    const gone = await this.participants.webinarGone(
      webinar,
      target.organizer.organizerKey,
      target.auth,
      ctx.signal,
    );
    if (gone && target.organizer.id === webinar.organizerId) {
      await this.webinars.markCancelled(webinar.id, now);
      this.logger.warn(
        {
          jobId: ctx.job.id,
          accountId: webinar.accountId,
          organizerId: webinar.organizerId,
          webinarId: webinar.id,
          webinarKey: webinar.webinarKey,
        },
        'webinar not found in GoTo Webinar: marked cancelled',
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
    const endpoint = err.details.endpoint ?? 'an endpoint';
    throw new GotoWebinarError(
      'NOT_FOUND',
      gone
        ? `GoTo answered 404 for ${endpoint} and for webinar ${webinar.webinarKey} itself, asked as organizer ${target.organizer.id}, which does not own it; not marked cancelled, data kept`
        : `GoTo answered 404 for ${endpoint} of webinar ${webinar.webinarKey}, but the webinar itself exists; not marked cancelled, data kept`,
      { ...err.details },
    );
  }
}
