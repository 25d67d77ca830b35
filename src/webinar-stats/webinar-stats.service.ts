import { Injectable } from '@nestjs/common';
import { MAX_PAGE_SIZE } from '../common/pagination';
import { IntegrationSettingsService } from '../integration-settings/integration-settings.service';
import { TargetGroupsService } from '../target-groups/target-groups.service';
import { WebinarsService } from '../webinars/webinars.service';
import { attendanceHistogram, registrationsPerDay } from './bucket-webinar-stats';
import { FunnelStepDto, WebinarStatsDto } from './webinar-stats.dto';
import { WebinarStatsRepository } from './webinar-stats.repository';

// The figures behind the webinar page's charts: registrations per day (displayed zone), the
// Registered → Attended → Engaged funnel and the attendance-time histogram. Read-only.
@Injectable()
export class WebinarStatsService {
  constructor(
    private readonly webinars: WebinarsService,
    private readonly settings: IntegrationSettingsService,
    private readonly groups: TargetGroupsService,
    private readonly repo: WebinarStatsRepository,
  ) {}

  async forWebinar(accountId: number, webinarId: number): Promise<WebinarStatsDto> {
    const webinar = await this.webinars.getForAccount(accountId, webinarId);
    const settings = await this.settings.get(accountId);
    const { displayedTimeZone } = settings;
    // Engaged = the webinar's Engaged group, whose threshold is frozen at its creation (a later
    // setting names only new groups); without one yet, the current setting.
    const groups = await this.groups.list(accountId, {
      webinarId: webinar.id,
      page: 1,
      pageSize: MAX_PAGE_SIZE,
    });
    const engagementMinutes =
      groups.items.find((g) => g.kind === 'engaged')?.engagementMinutes ??
      settings.engagementMinutes;
    const [funnel, slots, minutes] = await Promise.all([
      this.repo.funnel(webinar.id, engagementMinutes),
      this.repo.registrationSlots(webinar.id),
      this.repo.attendanceMinutes(webinar.id),
    ]);
    const steps: FunnelStepDto[] = [
      { step: 'registered', count: funnel.registered },
      { step: 'attended', count: funnel.attended },
    ];
    if (engagementMinutes !== null) steps.push({ step: 'engaged', count: funnel.engaged });
    return {
      webinarId: webinar.id,
      timeZone: displayedTimeZone,
      registrationsPerDay: registrationsPerDay(slots, displayedTimeZone),
      registrationsUndated: funnel.undated,
      funnel: steps,
      engagementMinutes,
      attendanceMinutes: attendanceHistogram(minutes),
    };
  }
}
