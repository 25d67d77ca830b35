import { EntityManager } from 'typeorm';
import { leaseEnd } from './sync-queue-sql';
import { SyncJob } from './sync-job.entity';

/** The job a worker has just claimed (it holds the organizer). */
export type ClaimedJob = Pick<SyncJob, 'id' | 'organizerId' | 'type'>;

// Participant jobs of one organizer run side by side (SYNC_ORGANIZER_BATCH, docs/sync-queue.md):
// the claim of the others, in the transaction of the claim that took the holder or of
// SyncJobClaimRepository.claimMoreBeside.

/**
 * Up to `limit` more queued, due jobs of the claimed job's type and organizer (at or above
 * `minPriority` when given: the worker's urgent loop), taken in the claim's transaction: read
 * without locks, then locked by primary key (SKIP LOCKED) and started without
 * `running_organizer_id` (the claimed job holds the organizer).
 */
export async function claimBeside(
  manager: EntityManager,
  holder: ClaimedJob,
  workerId: string,
  now: Date,
  leaseMs: number,
  limit: number,
  minPriority?: number,
): Promise<number[]> {
  const query = manager.createQueryBuilder(SyncJob, 'j');
  if (minPriority !== undefined) query.andWhere('j.priority >= :minPriority', { minPriority });
  const wanted = (
    await query
      .select(['j.id'])
      .andWhere(
        'j.organizer_id = :organizerId AND j.type = :type AND j.status = :queued AND j.run_after <= :now AND j.id <> :id',
        {
          organizerId: holder.organizerId,
          type: holder.type,
          queued: 'queued',
          now,
          id: holder.id,
        },
      )
      .orderBy('j.priority', 'DESC')
      .addOrderBy('j.id', 'ASC')
      .limit(limit)
      .getMany()
  ).map((j) => j.id);
  if (wanted.length === 0) return [];
  const locked = (
    await manager
      .createQueryBuilder(SyncJob, 'j')
      .select(['j.id'])
      .where('j.id IN (:...ids) AND j.status = :queued AND j.run_after <= :now', {
        ids: wanted,
        queued: 'queued',
        now,
      })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany()
  ).map((j) => j.id);
  if (locked.length === 0) return [];
  await manager
    .createQueryBuilder()
    .update(SyncJob)
    .set({
      status: 'running',
      attempts: () => 'attempts + 1',
      lockedBy: workerId,
      leaseUntil: leaseEnd(now, leaseMs),
      startedAt: now,
    })
    .where('id IN (:...ids) AND status = :queued', { ids: locked, queued: 'queued' })
    .execute();
  return wanted.filter((id) => locked.includes(id));
}
