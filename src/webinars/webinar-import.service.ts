import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinar, OrganizerAuth } from '../goto-webinar/goto-webinar.types';
import {
  sameWebinar,
  startsWithin,
  toWebinarValues,
  webinarOwner,
  WebinarValues,
} from './webinar-values';
import { WebinarSessionTime } from './webinar.entity';
import { WebinarsRepository } from './webinars.repository';

const DAY_MS = 86_400_000;

export interface ImportOrganizerInput {
  accountId: number;
  organizerId: number;
  organizerKey: string;
  auth: OrganizerAuth;
  now: Date;
  signal?: AbortSignal;
  onPage?: (progress: { webinarsSeen: number; pages: number }) => Promise<void> | void;
}

/** A webinar GoTo returned in this import, as the participant scheduling needs it. */
export interface ImportedWebinar {
  id: number;
  webinarKey: string;
  startsAt: Date;
  endsAt: Date;
  participantsSyncedAt: Date | null;
  /** Attendance final (docs/sync.md): its attendees need not be read again. */
  attendanceFinalAt: Date | null;
  // what the polling schedule reads (src/sync/polling-schedule.ts)
  status: string;
  sessions: WebinarSessionTime[];
  participantsCheckedAt: Date | null;
}

export interface ImportResult {
  window: { from: string; to: string };
  pages: number;
  webinarsSeen: number;
  webinarsInserted: number;
  webinarsUpdated: number;
  webinarsUnchanged: number;
  webinarsCancelled: number;
  recordsSkipped: number;
  rowsWritten: number;
  webinars: ImportedWebinar[];
}

// Imports an organizer's webinars in the sync window: upsert by (account, webinar key), compare
// before write, and mark cancelled what GoTo no longer returns (never delete). Each page of GoTo's
// list is written before the next is requested; no transaction spans an HTTP call.
// A webinar two organizers of the account see (co-organizer, moved) has one stable owner
// (`webinarOwner`); the other organizer's import counts it as seen and never cancels it.
@Injectable()
export class WebinarImportService {
  private readonly logger = new Logger(WebinarImportService.name);

  constructor(
    private readonly client: GotoWebinarClient,
    private readonly repo: WebinarsRepository,
    private readonly config: AppConfig,
  ) {}

  window(now: Date): { from: Date; to: Date } {
    return {
      from: new Date(now.getTime() - this.config.sync.lookbackDays * DAY_MS),
      to: new Date(now.getTime() + this.config.sync.lookaheadDays * DAY_MS),
    };
  }

  async importOrganizer(input: ImportOrganizerInput): Promise<ImportResult> {
    const { accountId, organizerId, now } = input;
    const { from, to } = this.window(now);
    const result = emptyImportResult({ from: from.toISOString(), to: to.toISOString() });
    const seen = new Set<string>();
    const ctx = { accountId, organizerId, organizerKey: input.organizerKey };

    for await (const page of this.client.listWebinars(input.auth, input.organizerKey, from, to, {
      signal: input.signal,
    })) {
      input.signal?.throwIfAborted();
      result.pages++;
      const values: WebinarValues[] = [];
      const gotoOwners = new Map<string, string | undefined>();
      for (const w of page) {
        if (seen.has(w.webinarKey)) continue; // a list that shifted between pages
        const v = toWebinarValues(w, now);
        if ('invalid' in v) {
          result.recordsSkipped++;
          this.logger.warn(
            { accountId, organizerId, webinarKey: w.webinarKey, reason: v.invalid },
            'webinar skipped',
          );
          continue;
        }
        seen.add(w.webinarKey);
        values.push(v);
        gotoOwners.set(w.webinarKey, w.organizerKey);
      }
      await this.writePage(ctx, values, gotoOwners, now, result);
      await input.onPage?.({ webinarsSeen: result.webinarsSeen, pages: result.pages });
    }
    if (result.pages === 0) result.pages = 1; // the one call that found nothing

    // Not returned any more although it would fall in the window: cancelled or deleted in GoTo.
    const gone = (await this.repo.activeOfOrganizer(organizerId)).filter(
      (s) => !seen.has(s.webinarKey) && startsWithin(JSON.parse(s.sessionsJson), from, to),
    );
    if (gone.length > 0) {
      await this.repo.setStatus(
        gone.map((g) => g.id),
        'cancelled',
        now,
      );
      result.webinarsCancelled = gone.length;
      result.rowsWritten += gone.length;
    }
    return result;
  }

  /**
   * One webinar as a webhook event describes it, through the import's own page write (owner rule,
   * compare-and-upsert, attendance finality). Skipped (`stale`) when the stored row changed after
   * `eventTime` or is cancelled: an old event never undoes a newer state. Null when the event's
   * values cannot be stored (no usable times).
   */
  async importOne(
    ctx: { accountId: number; organizerId: number; organizerKey: string },
    webinar: GotoWebinar,
    now: Date,
    eventTime: Date | null,
  ): Promise<{ id: number; outcome: 'inserted' | 'updated' | 'unchanged' | 'stale' } | null> {
    const v = toWebinarValues(webinar, now);
    if ('invalid' in v) return null;
    const stored = (await this.repo.findByKeys(ctx.accountId, [v.webinarKey])).get(v.webinarKey);
    if (
      stored &&
      (stored.status === 'cancelled' || (eventTime && stored.updatedAt > eventTime.getTime()))
    )
      return { id: stored.id, outcome: 'stale' };
    const result = emptyImportResult({ from: '', to: '' });
    await this.writePage(ctx, [v], new Map([[v.webinarKey, webinar.organizerKey]]), now, result);
    const id = result.webinars[0]?.id;
    if (id === undefined) return null;
    const outcome =
      result.webinarsInserted > 0
        ? 'inserted'
        : result.webinarsUpdated > 0
          ? 'updated'
          : 'unchanged';
    return { id, outcome };
  }

  private async writePage(
    ctx: { accountId: number; organizerId: number; organizerKey: string },
    values: WebinarValues[],
    gotoOwners: Map<string, string | undefined>,
    now: Date,
    result: ImportResult,
  ) {
    if (values.length === 0) return;
    const { accountId, organizerId } = ctx;
    const stored = await this.repo.findByKeys(
      accountId,
      values.map((v) => v.webinarKey),
    );
    const changed = values
      .map((v) => {
        const s = stored.get(v.webinarKey);
        const owner = webinarOwner(
          s,
          organizerId,
          gotoOwners.get(v.webinarKey) === ctx.organizerKey,
        );
        return { ...v, organizerId: owner };
      })
      .filter((v) => {
        const s = stored.get(v.webinarKey);
        return !s || !sameWebinar(s, v, v.organizerId);
      });
    if (changed.length > 0) await this.repo.upsert(accountId, changed, now);
    // New session times: attendance final by the old ones is not any more (docs/sync.md).
    const rescheduled = changed
      .map((v) => ({ s: stored.get(v.webinarKey), sessionsJson: JSON.stringify(v.sessions) }))
      .filter(({ s }) => s && s.attendanceFinalAt !== null)
      .filter(({ s, sessionsJson }) => s!.sessionsJson !== sessionsJson)
      .map(({ s }) => s!.id);
    if (rescheduled.length > 0) await this.repo.clearAttendanceFinal(rescheduled);
    const inserted = changed.filter((v) => !stored.has(v.webinarKey));
    const ids =
      inserted.length > 0
        ? await this.repo.findByKeys(
            accountId,
            inserted.map((v) => v.webinarKey),
          )
        : new Map();
    result.webinarsSeen += values.length;
    result.webinarsInserted += inserted.length;
    result.webinarsUpdated += changed.length - inserted.length;
    result.webinarsUnchanged += values.length - changed.length;
    result.rowsWritten += changed.length;
    for (const v of values) {
      const s = stored.get(v.webinarKey) ?? ids.get(v.webinarKey);
      if (!s) continue;
      result.webinars.push({
        id: s.id,
        webinarKey: v.webinarKey,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        participantsSyncedAt:
          s.participantsSyncedAt === null ? null : new Date(s.participantsSyncedAt),
        attendanceFinalAt: s.attendanceFinalAt === null ? null : new Date(s.attendanceFinalAt),
        status: v.status,
        sessions: v.sessions,
        participantsCheckedAt:
          s.participantsCheckedAt === null ? null : new Date(s.participantsCheckedAt),
      });
    }
  }
}

/** A result with nothing counted yet, for `window`. */
function emptyImportResult(window: ImportResult['window']): ImportResult {
  return {
    window,
    pages: 0,
    webinarsSeen: 0,
    webinarsInserted: 0,
    webinarsUpdated: 0,
    webinarsUnchanged: 0,
    webinarsCancelled: 0,
    recordsSkipped: 0,
    rowsWritten: 0,
    webinars: [],
  };
}
