import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ParticipantCountsRepository } from '../participants/participant-counts.repository';
import { OrganizersService } from '../organizers/organizers.service';
import { SyncQueue } from '../sync/sync-queue.service';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../sync/sync-job-types';
import {
  ListWebinarsQueryDto,
  toWebinarView,
  WebinarDetailView,
  WebinarPageDto,
} from './webinar.dto';
import { Webinar } from './webinar.entity';
import { GotoCounts, WebinarsRepository } from './webinars.repository';

// Webinar queries (REST) and the on-demand sync requests; the import itself is WebinarImportService.
@Injectable()
export class WebinarsService {
  constructor(
    private readonly repo: WebinarsRepository,
    private readonly participantCounts: ParticipantCountsRepository,
    private readonly organizers: OrganizersService,
    private readonly queue: SyncQueue,
    private readonly clock: Clock,
  ) {}

  /** The webinar if it belongs to the account, else a 404 (another account's id included). */
  async getForAccount(accountId: number, id: number): Promise<Webinar> {
    const w = Number.isSafeInteger(id) ? await this.repo.findForAccount(accountId, id) : null;
    if (!w) throw notFound('Webinar', id);
    return w;
  }

  /** The webinar if it belongs to the account, else null (for jobs: no HTTP error). */
  findForAccount(accountId: number, id: number): Promise<Webinar | null> {
    return this.repo.findForAccount(accountId, id);
  }

  async list(accountId: number, q: ListWebinarsQueryDto): Promise<WebinarPageDto> {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from > to) {
      throw new DomainError('bad_request', 'INVALID_FIELD', 'from: must not be after to', [
        { field: 'from', message: 'must not be after to' },
      ]);
    }
    const { items, total } = await this.repo.list(accountId, {
      organizerId: q.organizerId,
      from,
      to,
      search: q.search?.trim() || undefined,
      order: q.order,
      page: q.page,
      pageSize: q.pageSize,
    });
    return { items: items.map(toWebinarView), page: q.page, pageSize: q.pageSize, total };
  }

  async detail(accountId: number, id: number): Promise<WebinarDetailView> {
    const w = await this.getForAccount(accountId, id);
    const c = (await this.participantCounts.countsByWebinar([w.id])).get(w.id)!;
    return {
      ...toWebinarView(w),
      counts: { registered: c.registered, attended: c.attended, notAttended: c.notAttended },
    };
  }

  /** Queues the organizer's full sync (on-demand priority). */
  async requestOrganizerSync(accountId: number, organizerId: number): Promise<{ jobId: number }> {
    const organizer = await this.organizers.getForAccount(accountId, organizerId);
    if (!organizer.active) {
      throw new DomainError(
        'conflict',
        'ORGANIZER_INACTIVE',
        `Organizer ${organizerId} is deactivated; activate it to sync`,
      );
    }
    const job = await this.queue.enqueue({
      type: SYNC_JOB_TYPES.ORGANIZER_FULL_SYNC,
      accountId,
      organizerId,
      priority: SYNC_PRIORITY.ON_DEMAND,
    });
    return { jobId: job.id };
  }

  /** Queues a participant sync of one webinar now (on-demand priority). */
  async requestParticipantSync(accountId: number, webinarId: number): Promise<{ jobId: number }> {
    const w = await this.getForAccount(accountId, webinarId);
    if (w.status === 'cancelled') {
      throw new DomainError(
        'conflict',
        'WEBINAR_CANCELLED',
        `Webinar ${webinarId} was cancelled in GoTo Webinar; it has nothing to sync`,
      );
    }
    const job = await this.queue.enqueue({
      type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
      accountId,
      organizerId: w.organizerId,
      webinarId: w.id,
      priority: SYNC_PRIORITY.ON_DEMAND,
    });
    return { jobId: job.id };
  }

  markParticipantsSynced(id: number, at: Date = this.clock.now()): Promise<void> {
    return this.repo.markParticipantsSynced(id, at);
  }

  /** GoTo's counts seen by a participant sync, for reconciliation. */
  recordGotoCounts(id: number, counts: GotoCounts, at: Date = this.clock.now()): Promise<void> {
    return this.repo.recordGotoCounts(id, counts, at);
  }

  markCancelled(id: number, at: Date = this.clock.now()): Promise<void> {
    return this.repo.setStatus([id], 'cancelled', at);
  }
}
