import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import {
  GotoWebhookEvent,
  RegistrantAddedEvent,
  RegistrantJoinedEvent,
  WebinarChangedEvent,
} from '../goto-webinar/goto-webhook-payloads';
import { OrganizersService } from '../organizers/organizers.service';
import {
  RegistrantEventChange,
  registrationStatusOf,
} from '../participants/apply-registrant-event';
import { normalizeEmail } from '../participants/merge-participants';
import { ChangeKind } from '../participants/participant-changes';
import { ParticipantEventsRepository } from '../participants/participant-events.repository';
import { SyncRequestsService } from '../sync/sync-requests.service';
import { TargetGroupCreationService } from '../target-groups/target-group-creation.service';
import { WebinarImportService } from '../webinars/webinar-import.service';
import { WebinarsService } from '../webinars/webinars.service';

/** One participant change an event made, for the history (the handler sums them per webinar). */
export interface EventParticipantChange {
  accountId: number;
  webinarId: number;
  email: string;
  kinds: ChangeKind[];
}

/** What one event did; stored on the event row and as the job's result. */
export interface EventOutcome {
  outcome: 'applied' | 'unchanged' | 'stale' | 'gap' | 'ignored';
  detail?: string;
  organizerIds: number[];
  /** The history kinds of each participant row it changed (none for webinar events). */
  participantChanges?: EventParticipantChange[];
}

// One webhook event, applied at once through the owners of each rule: participants (subscriber +
// participant row), webinars (the import's upsert), target groups (standard groups). An event about a
// webinar or organizer we do not have queues the sync that fills the gap.
@Injectable()
export class WebhookEventProcessor {
  private readonly logger = new Logger(WebhookEventProcessor.name);

  constructor(
    private readonly organizers: OrganizersService,
    private readonly webinars: WebinarsService,
    private readonly importer: WebinarImportService,
    private readonly participants: ParticipantEventsRepository,
    private readonly targetGroups: TargetGroupCreationService,
    private readonly syncRequests: SyncRequestsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Applies one event. `allowed` caches, for one batch, whether an organizer may sync now (the
   * caller records the organizers' last event time once per batch).
   */
  async process(
    event: GotoWebhookEvent,
    allowed = new Map<number, boolean>(),
  ): Promise<EventOutcome> {
    return event.eventName === 'registrant.added' || event.eventName === 'registrant.joined'
      ? await this.registrant(event, allowed)
      : await this.webinar(event, allowed);
  }

  private async mayApply(organizerId: number, allowed: Map<number, boolean>): Promise<boolean> {
    let ok = allowed.get(organizerId);
    if (ok === undefined) {
      ok = (await this.organizers.getForSync(organizerId)).syncAllowed;
      allowed.set(organizerId, ok);
    }
    return ok;
  }

  private async registrant(
    e: RegistrantAddedEvent | RegistrantJoinedEvent,
    allowed: Map<number, boolean>,
  ): Promise<EventOutcome> {
    const email = normalizeEmail(e.email);
    if (!email) return { outcome: 'ignored', detail: 'no valid email', organizerIds: [] };
    let change: RegistrantEventChange;
    if (e.eventName === 'registrant.joined') {
      change = { kind: 'joined', at: e.timestamp ?? null, registrantKey: e.registrantKey };
    } else {
      const status = registrationStatusOf(e.status);
      if (!status) return { outcome: 'ignored', detail: `status ${e.status}`, organizerIds: [] };
      change = {
        kind: 'added',
        at: e.timestamp ?? null,
        registrantKey: e.registrantKey,
        registrationStatus: status,
        registeredAt: e.registrationDate ?? null,
        joinUrl: e.joinUrl ?? null,
      };
    }
    const person = { email, firstName: name(e.firstName), lastName: name(e.lastName) };
    const rows = await this.webinars.findAllByKey(e.webinarKey);
    const organizerIds: number[] = [];
    const participantChanges: EventParticipantChange[] = [];
    let written = 0;
    for (const w of rows) {
      if (w.status === 'cancelled') continue;
      if (!(await this.mayApply(w.organizerId, allowed))) continue;
      organizerIds.push(w.organizerId);
      const res = await this.participants.apply(
        w.accountId,
        w.id,
        person,
        change,
        this.clock.now(),
      );
      if (res.outcome !== 'written') continue;
      written++;
      if (res.kinds.length > 0)
        participantChanges.push({
          accountId: w.accountId,
          webinarId: w.id,
          email,
          kinds: res.kinds,
        });
    }
    if (organizerIds.length > 0)
      return { outcome: written > 0 ? 'applied' : 'unchanged', organizerIds, participantChanges };
    return this.fillGap(e.organizerKey, `webinar ${e.webinarKey} not stored`);
  }

  private async webinar(
    e: WebinarChangedEvent,
    allowed: Map<number, boolean>,
  ): Promise<EventOutcome> {
    const organizers = e.organizerKey ? await this.organizers.findActiveByKey(e.organizerKey) : [];
    if (organizers.length === 0)
      return { outcome: 'ignored', detail: 'organizer not linked', organizerIds: [] };
    const now = this.clock.now();
    const out: EventOutcome = { outcome: 'unchanged', organizerIds: [] };
    for (const o of organizers) {
      if (!(await this.mayApply(o.id, allowed))) continue;
      out.organizerIds.push(o.id);
      if (e.status === 'DELETED') {
        for (const w of await this.webinars.findAllByKey(e.webinarKey)) {
          if (w.accountId !== o.accountId || w.status === 'cancelled') continue;
          await this.webinars.markCancelled(w.id, now);
          out.outcome = 'applied';
        }
        continue;
      }
      const stored = await this.importer.importOne(
        { accountId: o.accountId, organizerId: o.id, organizerKey: o.organizerKey },
        {
          webinarKey: e.webinarKey,
          organizerKey: e.organizerKey,
          subject: e.subject ?? '',
          description: e.description,
          times: e.times,
          timeZone: e.timeZone,
          recurrenceType: recurrence(e.recurrenceType),
          experienceType: e.experienceType,
        },
        now,
        e.timestamp ?? null,
      );
      if (stored === null) {
        await this.syncRequests.refreshOrganizer(o);
        out.outcome = 'gap';
        out.detail = 'event without usable times: organizer sync queued';
        continue;
      }
      if (stored.outcome === 'stale') {
        if (out.outcome === 'unchanged') out.outcome = 'stale';
        continue;
      }
      await this.targetGroups.ensureForWebinars(o.accountId, [stored.id]);
      if (stored.outcome !== 'unchanged') out.outcome = 'applied';
    }
    return out;
  }

  /** An event about something we do not have: the organizer's sync brings it in. */
  private async fillGap(organizerKey: string | undefined, why: string): Promise<EventOutcome> {
    const organizers = organizerKey ? await this.organizers.findActiveByKey(organizerKey) : [];
    if (organizers.length === 0)
      return { outcome: 'ignored', detail: `${why}; organizer not linked`, organizerIds: [] };
    for (const o of organizers) await this.syncRequests.refreshOrganizer(o);
    this.logger.log(
      { organizerKey, why, organizerIds: organizers.map((o) => o.id) },
      'webhook gap: organizer sync queued',
    );
    return {
      outcome: 'gap',
      detail: `${why}: organizer sync queued`,
      organizerIds: organizers.map((o) => o.id),
    };
  }
}

const name = (v: string | undefined): string | null => {
  const s = v?.trim();
  return s ? s.slice(0, 200) : null;
};

function recurrence(v: string | undefined): 'single_session' | 'series' | 'sequence' | undefined {
  const s = v?.toLowerCase();
  return s === 'series' || s === 'sequence' || s === 'single_session' ? s : undefined;
}
