import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { OrganizersService } from '../organizers/organizers.service';
import { webhooksHealthy } from '../webhooks/webhooks-health';
import { WebinarPollingState } from '../webinars/webinars.repository';
import { WebinarsService } from '../webinars/webinars.service';
import { participantsDue, PollingRules, webinarListDue } from './polling-schedule';
import { SYNC_JOB_TYPES, SYNC_PRIORITY } from './sync-job-types';
import { EnqueueRequest } from './sync-queue.service';

const DAY_MS = 86_400_000;
/** Organizers whose webinars are read per query. */
const ORGANIZER_BATCH = 200;

export interface PeriodicPlan {
  /** Organizers whose webinar list is due: an organizer_periodic_sync each (it re-lists, then
   *  queues the participant syncs that are due). */
  organizerSyncs: number;
  /** Webinars whose participants are due while their organizer's list is not. */
  participantSyncs: number;
  requests: EnqueueRequest[];
}

// What one periodic tick queues, from the stored state only (no GoTo call): the adaptive schedule
// of polling-schedule.ts applied to every organizer that may sync (asked from OrganizersService,
// which applies the skip rules to many organizers in one go), relaxed for an organizer whose
// webhooks flow (webhooks-health.ts, from the columns loaded with it).
@Injectable()
export class PeriodicSyncPlanner {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly webinars: WebinarsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  rules(): PollingRules {
    return { ...this.config.sync.polling, endedFor: this.config.sync.hotDays * DAY_MS };
  }

  /** `skip`: organizers that already got their periodic job in this tick (another instance). */
  async plan(skip: ReadonlySet<number>): Promise<PeriodicPlan> {
    const now = this.clock.now();
    const rules = this.rules();
    const organizers = (await this.organizers.listSyncable()).filter((o) => !skip.has(o.id));
    const plan: PeriodicPlan = { organizerSyncs: 0, participantSyncs: 0, requests: [] };
    for (let i = 0; i < organizers.length; i += ORGANIZER_BATCH) {
      const batch = organizers.slice(i, i + ORGANIZER_BATCH);
      const states = await this.webinars.pollingStates(
        batch.map((o) => o.id),
        new Date(now.getTime() - rules.endedFor),
      );
      const byOrganizer = new Map<number, WebinarPollingState[]>();
      for (const w of states) {
        const list = byOrganizer.get(w.organizerId);
        if (list) list.push(w);
        else byOrganizer.set(w.organizerId, [w]);
      }
      for (const o of batch) {
        const webinars = byOrganizer.get(o.id) ?? [];
        // decided per tick: when events stop, the normal pace returns at the next tick
        const webhooks = webhooksHealthy(o, now);
        if (webinarListDue(o.lastSyncedAt, webinars, now, rules, webhooks)) {
          plan.organizerSyncs++;
          plan.requests.push({
            type: SYNC_JOB_TYPES.ORGANIZER_PERIODIC_SYNC,
            accountId: o.accountId,
            organizerId: o.id,
            priority: SYNC_PRIORITY.PERIODIC,
          });
          continue;
        }
        for (const w of webinars) {
          if (!participantsDue(w, now, rules, webhooks).due) continue;
          plan.participantSyncs++;
          plan.requests.push({
            type: SYNC_JOB_TYPES.WEBINAR_PARTICIPANTS_SYNC,
            accountId: w.accountId,
            organizerId: o.id,
            webinarId: w.id,
            priority: SYNC_PRIORITY.PERIODIC,
          });
        }
      }
    }
    return plan;
  }
}
