import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { OrganizersService } from '../organizers/organizers.service';
import { normalizeEmail } from '../participants/merge-participants';
import { ParticipantRegistrationsRepository } from '../participants/participant-registrations.repository';
import { JobContext, SyncJobHandler, SyncJobHandlerInstance } from '../sync/sync-job-handler';
import { SYNC_JOB_TYPES } from '../sync/sync-job-types';
import { JobSkipped } from '../sync/sync.errors';
import { WebinarsService } from '../webinars/webinars.service';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationOutcome } from './webinar-registration.entity';

const BATCH = 100;
// GoTo's answers that are about this person or this webinar, not about the call: the person's
// outcome is "refused" and the job goes on. Anything else (429, 5xx, auth) fails the attempt; the
// queue retries it and the people done so far are not asked again.
const REFUSALS = new Set(['BAD_REQUEST', 'NOT_FOUND']);

// Registers the webinar's pending people in GoTo, one create-registrant call each (paced by the
// client's rate limiter), until none is pending (people asked for meanwhile included).
@SyncJobHandler(SYNC_JOB_TYPES.WEBINAR_REGISTRATIONS)
export class WebinarRegistrationsHandler implements SyncJobHandlerInstance {
  private readonly logger = new Logger(WebinarRegistrationsHandler.name);

  constructor(
    private readonly organizers: OrganizersService,
    private readonly webinars: WebinarsService,
    private readonly client: GotoWebinarClient,
    private readonly participants: ParticipantRegistrationsRepository,
    private readonly repo: RegistrationsRepository,
    private readonly clock: Clock,
  ) {}

  async handle(ctx: JobContext): Promise<Record<string, unknown>> {
    const { job } = ctx;
    const webinar =
      job.webinarId === null
        ? null
        : await this.webinars.findForAccount(job.accountId, job.webinarId);
    if (!webinar) throw new JobSkipped(`webinar ${job.webinarId} not found`);
    const target = await this.organizers.getForSync(webinar.organizerId);
    if (!target.syncAllowed) throw new JobSkipped(target.reason ?? 'sync not allowed');
    const { organizer, auth } = target;
    const tally: Record<RegistrationOutcome, number> = {
      pending: 0,
      registered: 0,
      already_registered: 0,
      refused: 0,
      invalid_email: 0,
    };
    let apiCalls = 0;
    const done = async (id: number, outcome: RegistrationOutcome, extra = {}) => {
      await this.repo.complete(id, outcome, { jobId: job.id, at: this.clock.now(), ...extra });
      tally[outcome]++;
    };

    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await this.repo.pending(webinar.id, BATCH);
      if (!batch.length) break;
      const ids = batch.map((r) => r.subscriberId);
      const [contacts, registered] = await Promise.all([
        this.participants.subscribersOf(job.accountId, ids),
        this.participants.registeredKeys(webinar.id, ids),
      ]);
      const byId = new Map(contacts.map((c) => [c.id, c]));
      for (const row of batch) {
        ctx.signal.throwIfAborted();
        const known = registered.get(row.subscriberId);
        if (known) {
          await done(row.id, 'already_registered', { registrantKey: known });
          continue;
        }
        const s = byId.get(row.subscriberId);
        const email = s ? normalizeEmail(s.email) : null;
        if (!s || !email) {
          await done(row.id, 'invalid_email', {
            reason: s ? 'not a usable address' : 'no such subscriber',
          });
          continue;
        }
        try {
          apiCalls++;
          const created = await this.client.createRegistrant(
            auth,
            organizer.organizerKey,
            webinar.webinarKey,
            {
              // GoTo requires both names; a subscriber without them is named by the address.
              firstName: s.firstName ?? email.split('@')[0],
              lastName: s.lastName ?? '-',
              email,
            },
            { signal: ctx.signal },
          );
          await this.participants.linkRegistrant(
            webinar.id,
            s.id,
            created.registrantKey,
            created.joinUrl ?? null,
            this.clock.now(),
          );
          await done(row.id, created.alreadyRegistered ? 'already_registered' : 'registered', {
            registrantKey: created.registrantKey,
          });
        } catch (err) {
          if (!(err instanceof GotoWebinarError) || !REFUSALS.has(err.code)) throw err;
          await done(row.id, 'refused', { reason: err.message });
        }
      }
      await ctx.reportProgress({ phase: 'registering', ...tally, apiCalls });
    }
    this.logger.log(
      { accountId: job.accountId, webinarId: webinar.id, jobId: job.id, ...tally, apiCalls },
      'registrations done',
    );
    return { webinarId: webinar.id, ...tally, apiCalls };
  }
}
