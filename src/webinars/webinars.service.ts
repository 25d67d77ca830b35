import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ParticipantCountsRepository } from '../participants/participant-counts.repository';
import { OrganizersService } from '../organizers/organizers.service';
import { SyncRequestsService } from '../sync/sync-requests.service';
import {
  ListWebinarsQueryDto,
  toWebinarView,
  WebinarDetailView,
  WebinarPageDto,
} from './webinar.dto';
import { Webinar } from './webinar.entity';
import { ParticipantRead, WebinarPollingState, WebinarsRepository } from './webinars.repository';

// Webinar queries (REST) and the on-demand sync requests; the import itself is WebinarImportService.
@Injectable()
export class WebinarsService {
  constructor(
    private readonly repo: WebinarsRepository,
    private readonly participantCounts: ParticipantCountsRepository,
    private readonly organizers: OrganizersService,
    private readonly syncRequests: SyncRequestsService,
    private readonly clock: Clock,
  ) {}

  /** The webinar if it belongs to the account, else a 404 (another account's id included). */
  async getForAccount(accountId: number, id: number): Promise<Webinar> {
    const w = Number.isSafeInteger(id) ? await this.repo.findForAccount(accountId, id) : null;
    if (!w) throw notFound('Webinar', id);
    return w;
  }

  /** Subject of each of these webinars of the account (for read models such as activity). */
  subjectsOf(accountId: number, ids: number[]): Promise<Map<number, string>> {
    return this.repo.subjectsOf(accountId, [...new Set(ids)]);
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

  /** Queues a participant sync of one webinar now (on-demand priority); 409 when it may not sync. */
  async requestParticipantSync(accountId: number, webinarId: number): Promise<{ jobId: number }> {
    const w = await this.getForAccount(accountId, webinarId);
    const organizer = await this.organizers.getForAccount(accountId, w.organizerId);
    const outcome = await this.syncRequests.syncWebinar(w, organizer);
    if (outcome.queued) return { jobId: outcome.jobId };
    const { reason } = outcome.skip;
    if (reason === 'webinar_cancelled') {
      throw new DomainError(
        'conflict',
        'WEBINAR_CANCELLED',
        `Webinar ${webinarId} was cancelled in GoTo Webinar; it has nothing to sync`,
      );
    }
    throw new DomainError(
      'conflict',
      reason === 'organizer_inactive' ? 'ORGANIZER_INACTIVE' : 'INTEGRATION_INACTIVE',
      `Webinar ${webinarId} cannot sync: ${outcome.skip.message}`,
    );
  }

  /** After a successful participant read: one UPDATE (WebinarsRepository.recordParticipantRead). */
  recordParticipantRead(id: number, read: ParticipantRead): Promise<void> {
    return this.repo.recordParticipantRead(id, read);
  }

  /** For the periodic scheduler: the webinars of these organizers it may have to poll. */
  pollingStates(organizerIds: number[], endedAfter: Date): Promise<WebinarPollingState[]> {
    return this.repo.pollingStates(organizerIds, endedAfter);
  }

  /** Every account's row of this GoTo webinar (webhook events name webinars by key only). */
  findAllByKey(webinarKey: string): Promise<Webinar[]> {
    return this.repo.findAllByKey(webinarKey);
  }

  markCancelled(id: number, at: Date = this.clock.now()): Promise<void> {
    return this.repo.setStatus([id], 'cancelled', at);
  }
}
