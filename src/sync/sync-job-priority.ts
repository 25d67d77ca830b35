// Raising the priority of a queued job that a more urgent request asked for again (dedupe keeps
// one active job per target). Only a queued job is raised, never lowered; running jobs keep theirs.
import { In, Repository } from 'typeorm';
import { chunks } from '../common/chunks';
import { retryOnLockConflict } from '../database/db-errors';
import { SyncJob } from './sync-job.entity';

/** Keys or ids per `IN (…)` list. */
export const IN_CHUNK = 500;

/** `existing` with at least `priority` if it is still queued (re-read after the update). */
export async function raiseQueuedPriority(
  jobs: Repository<SyncJob>,
  existing: SyncJob,
  priority: number,
): Promise<SyncJob> {
  if (existing.status !== 'queued' || existing.priority >= priority) return existing;
  await retryOnLockConflict(() =>
    jobs
      .createQueryBuilder()
      .update(SyncJob)
      .set({ priority })
      .where('id = :id AND status = :queued AND priority < :priority', {
        id: existing.id,
        queued: 'queued',
        priority,
      })
      .execute(),
  );
  return (await jobs.findOneBy({ id: existing.id })) ?? existing;
}

/** Batch form: one UPDATE per distinct priority, one re-read; updates the jobs in place. */
export async function raiseQueuedPriorities(
  jobs: Repository<SyncJob>,
  items: Array<{ job: SyncJob; priority: number }>,
): Promise<void> {
  const low = items.filter(
    ({ job, priority }) => job.status === 'queued' && job.priority < priority,
  );
  if (low.length === 0) return;
  const byPriority = new Map<number, number[]>();
  for (const { job, priority } of low)
    byPriority.set(priority, [...(byPriority.get(priority) ?? []), job.id]);
  for (const [priority, ids] of byPriority)
    for (const part of chunks(ids, IN_CHUNK))
      await retryOnLockConflict(() =>
        jobs
          .createQueryBuilder()
          .update(SyncJob)
          .set({ priority })
          .where('id IN (:...ids) AND status = :queued AND priority < :priority', {
            ids: part,
            queued: 'queued',
            priority,
          })
          .execute(),
      );
  const ids = low.map(({ job }) => job.id);
  const fresh = new Map<number, SyncJob>();
  for (const part of chunks(ids, IN_CHUNK))
    for (const j of await jobs.findBy({ id: In(part) })) fresh.set(j.id, j);
  for (const { job } of low) {
    const now = fresh.get(job.id);
    if (now) Object.assign(job, now);
  }
}
