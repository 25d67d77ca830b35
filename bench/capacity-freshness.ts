// Worst age of stored participant data per class of webinar, sampled before every tick (when the
// data is oldest). Age = now − the finish of the webinar's latest succeeded participant sync (the
// job rows: the same measure before and after the adaptive schedule).
import { DataSource } from 'typeorm';
import { DEFAULT_POLLING } from '../src/config/polling-config';
import { dbTime } from '../src/database/datetime';
import { classifyWebinar, PollClass, PollingRules } from '../src/sync/polling-schedule';

const RULES: PollingRules = { ...DEFAULT_POLLING, endedFor: 7 * 86_400_000 };

export class FreshnessProbe {
  private readonly worst = new Map<PollClass, number>();
  private readonly seen = new Map<PollClass, Set<number>>();

  constructor(private readonly ds: DataSource) {}

  async sample(now: Date): Promise<void> {
    const webinars: Array<Record<string, unknown>> = await this.ds.query(
      "SELECT id, starts_at, ends_at, sessions, status FROM webinar WHERE status <> 'cancelled'",
    );
    const reads: Array<{ webinar_id: unknown; at: unknown }> = await this.ds.query(
      `SELECT webinar_id, MAX(finished_at) AS at FROM sync_job
       WHERE type = 'webinar_participants_sync' AND status = 'succeeded' GROUP BY webinar_id`,
    );
    const lastRead = new Map(reads.map((r) => [Number(r.webinar_id), dbTime(r.at)]));
    for (const w of webinars) {
      const id = Number(w.id);
      const cls = classifyWebinar(
        {
          startsAt: new Date(dbTime(w.starts_at)!),
          endsAt: new Date(dbTime(w.ends_at)!),
          status: String(w.status),
          sessions: JSON.parse(String(w.sessions)),
          participantsCheckedAt: null,
        },
        now,
        RULES,
      );
      const read = lastRead.get(id);
      const age = read === undefined || read === null ? Infinity : now.getTime() - read;
      this.worst.set(cls, Math.max(this.worst.get(cls) ?? 0, age));
      if (!this.seen.has(cls)) this.seen.set(cls, new Set());
      this.seen.get(cls)!.add(id);
    }
  }

  rows(): Array<{ pollClass: PollClass; webinars: number; worst: string }> {
    const order: PollClass[] = [
      'live',
      'just_ended',
      'soon',
      'days_ahead',
      'ended_days',
      'months_ahead',
      'long_past',
    ];
    return order.map((c) => ({
      pollClass: c,
      webinars: this.seen.get(c)?.size ?? 0,
      worst: this.seen.has(c) ? age(this.worst.get(c)!) : '–',
    }));
  }
}

function age(ms: number): string {
  if (!Number.isFinite(ms)) return 'never read';
  const min = Math.round(ms / 60_000);
  return min < 120 ? `${min} min` : `${(min / 60).toFixed(1)} h`;
}
