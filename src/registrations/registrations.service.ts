import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError, fieldError } from '../common/errors/domain-error';
import { ParticipantRegistrationsRepository } from '../participants/participant-registrations.repository';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from '../sync/sync-job-types';
import { SyncQueue } from '../sync/sync-queue.service';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { WebinarsService } from '../webinars/webinars.service';
import {
  CreateRegistrationsDto,
  ListRegistrationsQueryDto,
  MAX_REGISTRATIONS_PER_REQUEST,
  RegistrationPageDto,
  RegistrationsAcceptedDto,
} from './registrations.dto';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationOutcome } from './webinar-registration.entity';

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

// POST /webinars/:id/registrations: checks the request, stores one pending row per person (unique
// per webinar and subscriber, so asking twice registers nobody twice) and queues the job that
// calls GoTo, at the lowest priority.
@Injectable()
export class RegistrationsService {
  constructor(
    private readonly webinars: WebinarsService,
    private readonly groups: TargetGroupsService,
    private readonly participants: ParticipantRegistrationsRepository,
    private readonly repo: RegistrationsRepository,
    private readonly queue: SyncQueue,
    private readonly clock: Clock,
  ) {}

  async request(
    accountId: number,
    webinarId: number,
    dto: CreateRegistrationsDto,
  ): Promise<RegistrationsAcceptedDto> {
    const byGroup = dto.targetGroupId !== undefined;
    if (byGroup === (dto.subscriberIds !== undefined))
      throw fieldError(
        'bad_request',
        'targetGroupId',
        'give either targetGroupId or subscriberIds',
      );
    const webinar = await this.webinars.getForAccount(accountId, webinarId);
    const now = this.clock.now();
    if (webinar.status === 'cancelled')
      throw new DomainError('conflict', 'WEBINAR_CANCELLED', `Webinar ${webinarId} was cancelled`);
    if (new Date(webinar.endsAt).getTime() <= now.getTime())
      throw new DomainError('conflict', 'WEBINAR_OVER', `Webinar ${webinarId} is over`);

    let ids: number[];
    if (byGroup) {
      // 404 for a group of another account; one more than the limit tells "too many".
      ids = await this.groups.memberSubscriberIds(accountId, [dto.targetGroupId!], {
        limit: MAX_REGISTRATIONS_PER_REQUEST + 1,
      });
      if (ids.length > MAX_REGISTRATIONS_PER_REQUEST)
        throw fieldError(
          'bad_request',
          'targetGroupId',
          `the group has more than ${MAX_REGISTRATIONS_PER_REQUEST} members; register at most ${MAX_REGISTRATIONS_PER_REQUEST} per request`,
        );
    } else {
      const asked = [...new Set(dto.subscriberIds!)];
      ids = (await this.participants.subscribersOf(accountId, asked)).map((s) => s.id);
    }
    const requested = byGroup ? ids.length : new Set(dto.subscriberIds!).size;
    const { queued } = await this.repo.request(accountId, webinar.id, ids, now);
    const job = await this.queue.enqueue({
      type: SYNC_JOB_TYPES.WEBINAR_REGISTRATIONS,
      accountId,
      organizerId: webinar.organizerId,
      webinarId: webinar.id,
      priority: SYNC_PRIORITY.REGISTRATION,
    });
    return {
      jobId: job.id,
      requested,
      queued,
      alreadyRequested: ids.length - queued,
      unknownSubscribers: requested - ids.length,
    };
  }

  async list(
    accountId: number,
    webinarId: number,
    q: ListRegistrationsQueryDto,
  ): Promise<RegistrationPageDto> {
    const webinar = await this.webinars.getForAccount(accountId, webinarId);
    const [{ rows, total }, counts] = await Promise.all([
      this.repo.page(webinar.id, q.outcome, q.page, q.pageSize),
      this.repo.counts(webinar.id),
    ]);
    return {
      items: rows.map((r) => ({
        subscriberId: Number(r.subscriber_id),
        email: String(r.email),
        outcome: r.outcome as RegistrationOutcome,
        reason: (r.reason as string | null) ?? null,
        registrantKey: r.registrant_key === null ? null : String(r.registrant_key),
        jobId: r.sync_job_id === null ? null : Number(r.sync_job_id),
        requestedAt: iso(r.requested_at)!,
        doneAt: iso(r.done_at),
      })),
      page: q.page,
      pageSize: q.pageSize,
      total,
      counts,
    };
  }
}
