import { Injectable } from '@nestjs/common';
import { API_PREFIX } from '../common/api-prefix';
import { ParticipantCountsRepository } from '../participants/participant-counts.repository';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { WebinarsService } from '../webinars/webinars.service';
import {
  CheckDto,
  DriftPageDto,
  ListReconciliationQueryDto,
  RepairDto,
  SessionReportsDto,
  WebinarReconciliationDto,
} from './reconciliation.dto';
import { ReconciliationRepository } from './reconciliation.repository';
import { StoredSessionReports, storedSessionReports } from './stored-session-reports';

/** The two comparisons: people not cancelled (registrants + walk-ins), and attended. */
export function checks(
  goto: { registrants: number; walkIns: number; attendees: number },
  stored: { notCancelled: number; attended: number },
): CheckDto[] {
  const check = (name: string, g: number, s: number) => ({ name, goto: g, stored: s, ok: g === s });
  return [
    check('participants', goto.registrants + goto.walkIns, stored.notCancelled),
    check('attended', goto.attendees, stored.attended),
  ];
}

/**
 * GoTo's session reports, shown beside the other counts but never checked: they count other things
 * than the stored participants (registrants per session, no walk-ins; GoTo's own registrant total),
 * and a participant sync cannot change them (docs/reconciliation.md).
 */
function sessionReportsDto(r: StoredSessionReports | null): SessionReportsDto | null {
  if (r === null) return null;
  return {
    sessions: r.sessions,
    registrantsAttended: r.registrantsAttended,
    registrantCount: r.registrantCount,
    observedAt: new Date(r.at).toISOString(),
  };
}

const repair = (webinarId: number): RepairDto => ({
  method: 'POST',
  href: `/${API_PREFIX}/webinars/${webinarId}/sync`,
});

// GoTo's counts (stored by the participant sync: no GoTo call here) beside the stored participants
// and the group sizes. A webinar drifts when a check disagrees; the repair is a participant sync.
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly webinars: WebinarsService,
    private readonly counts: ParticipantCountsRepository,
    private readonly groups: TargetGroupsService,
    private readonly repo: ReconciliationRepository,
  ) {}

  async forWebinar(accountId: number, webinarId: number): Promise<WebinarReconciliationDto> {
    const w = await this.webinars.getForAccount(accountId, webinarId);
    const [byWebinar, groups] = await Promise.all([
      this.counts.countsByWebinar([w.id]),
      this.groups.list(accountId, { webinarId: w.id, page: 1, pageSize: 20 }),
    ]);
    const stored = byWebinar.get(w.id)!;
    const goto =
      w.gotoCountsAt === null
        ? null
        : {
            registrants: w.gotoRegistrantCount ?? 0,
            walkIns: w.gotoWalkInCount ?? 0,
            attendees: w.gotoAttendeeCount ?? 0,
            observedAt: new Date(w.gotoCountsAt).toISOString(),
          };
    const list = goto
      ? checks(goto, {
          notCancelled: stored.total - stored.byRegistrationStatus.cancelled,
          attended: stored.attended,
        })
      : [];
    const drift = list.some((c) => !c.ok);
    return {
      webinarId: w.id,
      goto,
      sessionReports: sessionReportsDto(
        storedSessionReports({
          sessions: w.gotoSessionsReported,
          registrantsAttended: w.gotoRegistrantsAttended,
          registrantCount: w.gotoSessionRegistrantCount,
          at: w.gotoSessionsAt,
        }),
      ),
      stored,
      groups: groups.items.map((g) => ({
        id: g.id,
        kind: g.kind ?? '',
        name: g.name,
        memberCount: g.memberCount,
      })),
      checks: list,
      drift,
      repair: drift ? repair(w.id) : null,
    };
  }

  async list(accountId: number, q: ListReconciliationQueryDto): Promise<DriftPageDto> {
    const { rows, total } = await this.repo.page(accountId, q.drift === true, q.page, q.pageSize);
    return {
      items: rows.map((r) => {
        const goto = {
          registrants: r.gotoRegistrants,
          walkIns: r.gotoWalkIns,
          attendees: r.gotoAttendees,
          observedAt: new Date(r.gotoCountsAt ?? 0).toISOString(),
        };
        const list = checks(goto, {
          notCancelled: r.storedNotCancelled,
          attended: r.storedAttended,
        });
        const drift = list.some((c) => !c.ok);
        return {
          webinarId: r.webinarId,
          subject: r.subject,
          startsAt: new Date(r.startsAt).toISOString(),
          goto,
          sessionReports: sessionReportsDto(r.sessionReports),
          checks: list,
          drift,
          repair: drift ? repair(r.webinarId) : null,
        };
      }),
      page: q.page,
      pageSize: q.pageSize,
      total,
    };
  }
}
