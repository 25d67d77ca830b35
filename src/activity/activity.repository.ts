import { Injectable } from '@nestjs/common';
import { OrganizersService } from '../organizers/organizers.service';
import { ParticipantHistoryService } from '../participants/participant-history.service';
import { SyncJobHistory } from '../sync/sync-job-history.service';
import { WebinarsService } from '../webinars/webinars.service';
import { ActivityEntryDto, ListActivityQueryDto } from './activity.dto';

// The account's finished sync jobs, newest first (asked of the sync module, which owns what
// "finished" means), with their organizer's email, webinar's subject and what each changed, each
// asked of its owner for the page's ids at once: four queries a page, however long it is.
@Injectable()
export class ActivityRepository {
  constructor(
    private readonly jobs: SyncJobHistory,
    private readonly organizers: OrganizersService,
    private readonly webinars: WebinarsService,
    private readonly history: ParticipantHistoryService,
  ) {}

  async page(
    accountId: number,
    q: ListActivityQueryDto,
  ): Promise<{ items: ActivityEntryDto[]; total: number }> {
    const { items: jobs, total } = await this.jobs.finishedPage(accountId, q);
    const ids = <K extends 'organizerId' | 'webinarId'>(k: K) =>
      jobs.flatMap((j) => (j[k] === null ? [] : [j[k]]));
    const [emails, subjects, changes] = await Promise.all([
      this.organizers.emailsOf(accountId, ids('organizerId')),
      this.webinars.subjectsOf(accountId, ids('webinarId')),
      this.history.countsByJob(
        accountId,
        jobs.flatMap((j) =>
          j.webinarId === null ? [] : [{ jobId: j.id, webinarId: j.webinarId }],
        ),
      ),
    ]);
    return {
      total,
      items: jobs.map((j) => ({
        jobId: j.id,
        type: j.type,
        status: j.status,
        organizerId: j.organizerId,
        organizerEmail: j.organizerId === null ? null : (emails.get(j.organizerId) ?? null),
        webinarId: j.webinarId,
        webinarSubject: j.webinarId === null ? null : (subjects.get(j.webinarId) ?? null),
        finishedAt: new Date(j.finishedAt).toISOString(),
        attempts: j.attempts,
        lastError: j.lastError,
        changes: changes.get(j.id) ?? null,
      })),
    };
  }
}
