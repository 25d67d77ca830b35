import { Injectable, Logger } from '@nestjs/common';
import { IntegrationSettingsService } from '../integration-settings/integration-settings.service';
import { SyncJob } from './sync-job.entity';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from './sync-job-types';
import { SyncQueue } from './sync-queue.service';
import {
  MailingSyncOutcome,
  OrganizerSyncKind,
  OrganizerSyncTarget,
  skipOf,
  SyncRequestOutcome,
  SyncSkip,
  WebinarSyncTarget,
} from './sync-requests.types';

const ORGANIZER_PRIORITY: Record<OrganizerSyncKind, number> = {
  initial: SYNC_PRIORITY.INITIAL,
  on_demand: SYNC_PRIORITY.ON_DEMAND,
};

// The one door for "sync this organizer", "sync this webinar's participants" and "sync before
// this mailing". It owns the job types, the priorities, the skip rules (organizer deactivated,
// integration inactive, webinar cancelled: checked here when asked and again by the handlers when
// the job runs) and what a finished job means for the caller.
//
// It depends on the queue and on IntegrationSettingsService only, so organizers, webinars and
// mailings can all import it without a cycle; the organizer and webinar facts come with the
// request (the caller already holds the rows, and their owners say what they mean).
@Injectable()
export class SyncRequestsService {
  private readonly logger = new Logger(SyncRequestsService.name);

  constructor(
    private readonly queue: SyncQueue,
    private readonly settings: IntegrationSettingsService,
  ) {}

  /** Why this organizer (and webinar) must not sync now, or null. */
  async skipFor(
    organizer: OrganizerSyncTarget,
    webinar?: WebinarSyncTarget | null,
  ): Promise<SyncSkip | null> {
    const webinarSkip = webinar === undefined ? null : skipForWebinar(webinar);
    if (webinarSkip) return webinarSkip;
    return (await this.skipsFor([organizer])).get(organizer.id) ?? null;
  }

  /** The organizer rule for many organizers at once (one settings query): skipped ones only. */
  async skipsFor(organizers: readonly OrganizerSyncTarget[]): Promise<Map<number, SyncSkip>> {
    const out = new Map<number, SyncSkip>();
    const active = organizers.filter((o) => {
      if (!o.active) out.set(o.id, skipOf('organizer_inactive'));
      return o.active;
    });
    const inactive = await this.settings.inactiveAccounts([
      ...new Set(active.map((o) => o.accountId)),
    ]);
    for (const o of active)
      if (inactive.has(o.accountId)) out.set(o.id, skipOf('integration_inactive'));
    return out;
  }

  /** The organizer's complete sync: every webinar in the window, then their participants. */
  async syncOrganizer(
    organizer: OrganizerSyncTarget,
    kind: OrganizerSyncKind,
  ): Promise<SyncRequestOutcome> {
    const skip = await this.skipFor(organizer);
    if (skip) return { queued: false, skip };
    const job = await this.queue.enqueue({
      type: SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC,
      accountId: organizer.accountId,
      organizerId: organizer.id,
      priority: ORGANIZER_PRIORITY[kind],
    });
    return { queued: true, jobId: job.id };
  }

  /**
   * The organizer's webinar list re-read now, then the participants the schedule says are due (a
   * webhook named a webinar or organizer not stored yet): the periodic job at on-demand priority.
   */
  async refreshOrganizer(organizer: OrganizerSyncTarget): Promise<SyncRequestOutcome> {
    const skip = await this.skipFor(organizer);
    if (skip) return { queued: false, skip };
    const job = await this.queue.enqueue({
      type: SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC,
      accountId: organizer.accountId,
      organizerId: organizer.id,
      priority: SYNC_PRIORITY.ON_DEMAND,
    });
    return { queued: true, jobId: job.id };
  }

  /** One webinar's participants now, at on-demand priority (always a fresh read). */
  async syncWebinar(
    webinar: WebinarSyncTarget,
    organizer: OrganizerSyncTarget,
  ): Promise<SyncRequestOutcome> {
    const skip = await this.skipFor(organizer, webinar);
    if (skip) return { queued: false, skip };
    const job = await this.enqueueParticipants(webinar, SYNC_PRIORITY.ON_DEMAND);
    return { queued: true, jobId: job.id };
  }

  /**
   * Before a mailing: one participant sync per webinar at mailing priority (deduped with a queued
   * or running one, whose priority is raised), all awaited together until `deadline`. Never
   * throws for one webinar: each gets its outcome.
   */
  async syncBeforeMailing(
    items: ReadonlyArray<{
      webinarId: number;
      webinar: WebinarSyncTarget | null;
      organizer: OrganizerSyncTarget | null;
    }>,
    deadline: Date,
  ): Promise<MailingSyncOutcome[]> {
    const outcomes = new Map<number, MailingSyncOutcome>();
    const queued: Array<{ webinarId: number; jobId: number }> = [];
    const organizers = [
      ...new Map(
        items.flatMap((i) => (i.organizer ? [[i.organizer.id, i.organizer]] : [])),
      ).values(),
    ];
    const organizerSkips = await this.skipsFor(organizers);
    for (const { webinarId, webinar, organizer } of items) {
      const skip =
        skipForWebinar(webinar) ??
        (organizer ? organizerSkips.get(organizer.id) : skipOf('not_found'));
      if (skip) {
        outcomes.set(webinarId, { webinarId, outcome: 'skipped', reason: skip.message });
        continue;
      }
      try {
        const job = await this.enqueueParticipants(webinar!, SYNC_PRIORITY.MAILING);
        queued.push({ webinarId, jobId: job.id });
      } catch (err) {
        outcomes.set(webinarId, {
          webinarId,
          outcome: 'not_started',
          message: `participant sync not started: ${(err as Error).message}`,
        });
      }
    }
    if (queued.length > 0) {
      let finished: SyncJob[] = [];
      let waitError: string | null = null;
      try {
        finished = await this.queue.waitForJobs(
          queued.map((q) => q.jobId),
          deadline,
        );
      } catch (err) {
        waitError = (err as Error).message;
      }
      const byId = new Map(finished.map((j) => [j.id, j]));
      for (const { webinarId, jobId } of queued) {
        const job = byId.get(jobId);
        outcomes.set(
          webinarId,
          job
            ? mailingOutcome(webinarId, job)
            : {
                webinarId,
                outcome: 'not_started',
                message: `participant sync not awaited: ${waitError ?? `job ${jobId} not found`}`,
              },
        );
      }
    }
    return items.map((i) => outcomes.get(i.webinarId)!);
  }

  private enqueueParticipants(webinar: WebinarSyncTarget, priority: number): Promise<SyncJob> {
    return this.queue.enqueue({
      type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
      accountId: webinar.accountId,
      organizerId: webinar.organizerId,
      webinarId: webinar.id,
      priority,
    });
  }
}

/** The webinar half of the skip rules: gone, or cancelled in GoTo (its stored participants stay). */
export function skipForWebinar(webinar: WebinarSyncTarget | null): SyncSkip | null {
  if (webinar === null) return skipOf('not_found');
  return webinar.status === 'cancelled' ? skipOf('webinar_cancelled') : null;
}

// A job that found nothing to do (JobSkipped: organizer deactivated after it was queued, webinar
// gone from GoTo) ends succeeded with { skipped: true, reason }: skipped, not synced.
function mailingOutcome(webinarId: number, job: SyncJob): MailingSyncOutcome {
  if (job.status === 'succeeded') {
    if (job.result?.skipped === true)
      return {
        webinarId,
        outcome: 'skipped',
        reason: typeof job.result.reason === 'string' ? job.result.reason : 'nothing to sync',
      };
    return { webinarId, outcome: 'synced', jobId: job.id };
  }
  if (job.status === 'failed')
    return {
      webinarId,
      outcome: 'failed',
      jobId: job.id,
      message: `participant sync failed (job ${job.id}): ${job.lastError ?? 'unknown error'}`,
    };
  const last = job.lastError ? ` (last error: ${job.lastError})` : '';
  return {
    webinarId,
    outcome: 'unfinished',
    jobId: job.id,
    message: `participant sync (job ${job.id}, ${job.status}) did not finish within the time budget; sent with the participants stored before${last}`,
  };
}
