import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinar, OrganizerAuth } from '../goto-webinar/goto-webinar.types';
import { sameWebinar, startsWithin, toWebinarValues, WebinarValues } from './webinar-rows';
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
    const result: ImportResult = {
      window: { from: from.toISOString(), to: to.toISOString() },
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
    const seen = new Set<string>();

    for await (const page of this.client.listWebinars(input.auth, input.organizerKey, from, to, {
      signal: input.signal,
    })) {
      input.signal?.throwIfAborted();
      result.pages++;
      const values: WebinarValues[] = [];
      for (const w of page) {
        if (seen.has(w.webinarKey)) continue; // a list that shifted between pages
        const v = toWebinarValues(w, now);
        if ('invalid' in v) {
          result.recordsSkipped++;
          this.logger.warn(
            `organizer ${organizerId}: webinar ${w.webinarKey} skipped: ${v.invalid}`,
          );
          continue;
        }
        seen.add(w.webinarKey);
        values.push(v);
      }
      await this.writePage(accountId, organizerId, values, now, result);
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
   * One webinar as a webhook event describes it, through the same compare-and-upsert as the import.
   * Skipped (`stale`) when the stored row changed after `eventTime`: an old event never undoes a
   * newer state. Returns the webinar's id, or null when the event's values cannot be stored.
   */
  async importOne(
    accountId: number,
    organizerId: number,
    webinar: GotoWebinar,
    now: Date,
    eventTime: Date | null,
  ): Promise<{ id: number; outcome: 'inserted' | 'updated' | 'unchanged' | 'stale' } | null> {
    const v = toWebinarValues(webinar, now);
    if ('invalid' in v) return null;
    const stored = (await this.repo.findByKeys(accountId, [v.webinarKey])).get(v.webinarKey);
    if (stored && eventTime && stored.updatedAt > eventTime.getTime())
      return { id: stored.id, outcome: 'stale' };
    if (stored && stored.status === 'cancelled') return { id: stored.id, outcome: 'stale' };
    if (stored && sameWebinar(stored, v, organizerId))
      return { id: stored.id, outcome: 'unchanged' };
    await this.repo.upsert(accountId, organizerId, [v], now);
    const id =
      stored?.id ?? (await this.repo.findByKeys(accountId, [v.webinarKey])).get(v.webinarKey)!.id;
    return { id, outcome: stored ? 'updated' : 'inserted' };
  }

  private async writePage(
    accountId: number,
    organizerId: number,
    values: WebinarValues[],
    now: Date,
    result: ImportResult,
  ) {
    if (values.length === 0) return;
    const stored = await this.repo.findByKeys(
      accountId,
      values.map((v) => v.webinarKey),
    );
    const changed = values.filter((v) => {
      const s = stored.get(v.webinarKey);
      return !s || !sameWebinar(s, v, organizerId);
    });
    if (changed.length > 0) await this.repo.upsert(accountId, organizerId, changed, now);
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
      });
    }
  }
}
