import { Injectable, Logger } from '@nestjs/common';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { GotoAttendee, GotoSession, OrganizerAuth } from '../goto-webinar/goto-webinar.types';
import { sessionReportCounts } from '../webinars/session-report-counts';
import { hasStartedSession } from '../webinars/webinar-values';
import { Webinar } from '../webinars/webinar.entity';
import { WebinarsService } from '../webinars/webinars.service';
import { isAttendanceFinal, isLongPast } from './attendance-finality';
import { mergeParticipants, normalizeEmail, SkipReason } from './merge-participants';
import { CHANGE_KINDS, ChangeKind, participantChanges } from './participant-changes';
import { ParticipantHistoryService } from './participant-history.service';
import { ParticipantsRepository, ParticipantWriteStats } from './participants.repository';

export interface ParticipantSyncResult extends ParticipantWriteStats {
  webinarId: number;
  webinarKey: string;
  registrantsRead: number;
  attendeeRowsRead: number;
  participants: number;
  attended: number;
  notAttended: number;
  /** Participant rows inserted, updated or cancelled. */
  participantsWritten: number;
  recordsSkipped: number;
  skipped: Record<SkipReason, number>;
  /** GoTo calls this sync needed (pages requested; retries and token calls not counted). */
  apiCalls: number;
  /** False when GoTo reported no completed session, so attendees were not asked for. */
  attendeesFetched: boolean;
  /** Completed sessions GoTo reported; null when not asked (not started yet, or already final). */
  sessionsCompleted: number | null;
  /** The attendance is final (docs/sync.md): now, or already before this sync. */
  attendanceFinal: boolean;
  /** This sync set `attendance_final_at` (it was not set before). */
  attendanceFinalMarked: boolean;
  /** How many people this sync changed, per kind (the history also keeps a few sample emails). */
  changes: Record<ChangeKind, number>;
  /** Where the time went: GoTo, merging, database. */
  timingsMs: { fetch: number; merge: number; write: number };
}

// One webinar's participants: fetch every page from GoTo first (no transaction open meanwhile),
// merge, then write the differences in short chunked transactions.
@Injectable()
export class ParticipantSyncService {
  private readonly logger = new Logger(ParticipantSyncService.name);

  constructor(
    private readonly client: GotoWebinarClient,
    private readonly repo: ParticipantsRepository,
    private readonly history: ParticipantHistoryService,
    private readonly webinars: WebinarsService,
  ) {}

  async syncWebinar(
    webinar: Webinar,
    organizerKey: string,
    auth: OrganizerAuth,
    now: Date,
    signal?: AbortSignal,
    /** The sync job this runs in, for the history record. */
    jobId: number | null = null,
  ): Promise<ParticipantSyncResult> {
    const t0 = performance.now();
    // The stored rows the writes compare against are read meanwhile (one SELECT, no transaction).
    const stored = this.repo.storedParticipants(webinar.id);
    stored.catch(() => undefined); // awaited below; unobserved only if the fetch fails first
    // Registrants and attendance are fetched side by side (no transaction is open meanwhile);
    // writes start after both.
    const [registrants, attendance] = await Promise.all([
      collect(
        this.client.listRegistrants(auth, organizerKey, webinar.webinarKey, { signal }),
        signal,
      ),
      this.fetchAttendance(webinar, organizerKey, auth, now, signal),
    ]);
    const { attendees, sessions } = attendance;
    const apiCalls = registrants.calls + attendees.calls + (sessions?.calls ?? 0);
    const attendeesFetched = attendees.calls > 0;
    const attendanceFinal =
      finalBefore(webinar, now) ||
      (sessions !== null &&
        isAttendanceFinal({
          scheduled: webinar.sessions,
          completed: sessions.items,
          attendees: attendees.items,
          now,
        }));

    const t1 = performance.now();
    const merged = mergeParticipants(registrants.items, attendees.items);
    signal?.throwIfAborted();
    const t2 = performance.now();
    // The change record comes from what the merge decided against the rows stored before the write.
    const changes = participantChanges(await stored, merged.participants);
    const written = await this.repo.syncWebinarParticipants(
      webinar.accountId,
      webinar.id,
      merged.participants,
      now,
      stored,
      attendeesFetched,
    );
    await this.history.record(webinar.accountId, webinar.id, jobId, changes, now);
    // GoTo's own counts, from the lists just read (no extra call), for reconciliation.
    const listed = new Set<string>();
    const active = new Set<string>();
    for (const r of registrants.items) {
      const email = normalizeEmail(r.email);
      if (!email) continue;
      listed.add(email);
      if (r.rawStatus !== 'CANCELLED' && r.rawStatus !== 'CANCELED') active.add(email);
    }
    const attended = merged.participants.filter((p) => p.attended);
    const attendanceFinalMarked = attendanceFinal && webinar.attendanceFinalAt === null;
    // One UPDATE of the webinar row: every read counts for the polling schedule, "synced at" moves
    // only when something changed, GoTo's counts, and the attendance once it is final.
    await this.webinars.recordParticipantRead(webinar.id, {
      at: now,
      changed: written.rowsWritten > 0 || webinar.participantsSyncedAt === null,
      counts: {
        registrants: active.size,
        walkIns: merged.participants.filter((p) => !listed.has(p.email)).length,
        attendees: attended.length,
        // The sessions read that decides finality (no call of its own); not read → stored stay.
        sessionReports: sessions === null ? null : sessionReportCounts(sessions.items),
      },
      attendanceFinal: attendanceFinalMarked,
    });
    const t3 = performance.now();
    const recordsSkipped = Object.values(merged.skipped).reduce((a, b) => a + b, 0);
    if (recordsSkipped > 0) {
      this.logger.warn(
        {
          accountId: webinar.accountId,
          organizerId: webinar.organizerId,
          webinarId: webinar.id,
          webinarKey: webinar.webinarKey,
          recordsSkipped,
          skipped: merged.skipped,
        },
        'participant records skipped',
      );
    }
    return {
      webinarId: webinar.id,
      webinarKey: webinar.webinarKey,
      registrantsRead: merged.registrantsRead,
      attendeeRowsRead: merged.attendeeRowsRead,
      participants: merged.participants.length,
      attended: attended.length,
      notAttended: merged.participants.length - attended.length,
      participantsWritten:
        written.participantsInserted + written.participantsUpdated + written.participantsCancelled,
      recordsSkipped,
      skipped: merged.skipped,
      apiCalls,
      attendeesFetched,
      sessionsCompleted: sessions === null ? null : sessions.items.length,
      attendanceFinal,
      attendanceFinalMarked,
      ...written,
      // Counts only: job results are not the place for emails.
      changes: Object.fromEntries(CHANGE_KINDS.map((k) => [k, changes[k].count])) as Record<
        ChangeKind,
        number
      >,
      timingsMs: {
        fetch: Math.round(t1 - t0),
        merge: Math.round(t2 - t1),
        write: Math.round(t3 - t2),
      },
    };
  }

  /** Whether GoTo says the webinar itself is gone: GET …/webinars/{key} answers 404 (else throws). */
  async webinarGone(
    webinar: Webinar,
    organizerKey: string,
    auth: OrganizerAuth,
    signal?: AbortSignal,
  ): Promise<boolean> {
    try {
      await this.client.getWebinar(auth, organizerKey, webinar.webinarKey, { signal });
      return false;
    } catch (e) {
      if (e instanceof GotoWebinarError && e.code === 'NOT_FOUND') return true;
      throw e;
    }
  }

  /**
   * What GoTo says happened: its completed sessions (none before a scheduled session has started,
   * so no call then), and the attendees of all sessions once one is completed. A webinar whose
   * attendance is already final (stored, or long past) skips the sessions call and reads its
   * attendees directly.
   */
  private async fetchAttendance(
    webinar: Webinar,
    organizerKey: string,
    auth: OrganizerAuth,
    now: Date,
    signal?: AbortSignal,
  ): Promise<{ sessions: Listed<GotoSession> | null; attendees: Listed<GotoAttendee> }> {
    const none = { items: [] as GotoAttendee[], calls: 0 };
    const attendees = () =>
      collect(
        this.client.listWebinarAttendees(auth, organizerKey, webinar.webinarKey, { signal }),
        signal,
      );
    if (finalBefore(webinar, now)) return { sessions: null, attendees: await attendees() };
    if (!hasStartedSession(webinar.sessions, now)) return { sessions: null, attendees: none };
    const sessions = await collect(
      this.client.listSessions(auth, organizerKey, webinar.webinarKey, { signal }),
      signal,
    );
    return { sessions, attendees: sessions.items.length > 0 ? await attendees() : none };
  }
}

type Listed<T> = { items: T[]; calls: number };

/** Final without asking GoTo's sessions: stored as final, or long past its schedule. */
const finalBefore = (webinar: Webinar, now: Date): boolean =>
  webinar.attendanceFinalAt !== null || isLongPast(webinar.sessions, now);

/** Every page of a listing; `calls` counts the requests (at least the one that found nothing). */
async function collect<T>(pages: AsyncGenerator<T[]>, signal?: AbortSignal): Promise<Listed<T>> {
  const items: T[] = [];
  let calls = 0;
  for await (const page of pages) {
    signal?.throwIfAborted();
    calls++;
    for (const x of page) items.push(x);
  }
  return { items, calls: Math.max(1, calls) };
}
