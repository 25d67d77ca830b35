import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Not, Repository } from 'typeorm';
import { floorToSecond } from '../database/datetime';
import { SyncRetentionTask, SyncRetentionTaskProvider } from '../sync/sync-retention-task';
import { WebhookEvent } from './webhook-event.entity';

const BATCH = 500;

// Processed webhook events older than the sync job retention are deleted in batches of 500 (oldest
// first, on ix_webhook_event_processed). Unprocessed ones (waiting or claimed) are never touched,
// however old: they still have to be applied.
@Injectable()
@SyncRetentionTaskProvider()
export class WebhookEventRetention implements SyncRetentionTask {
  readonly name = 'webhook_event';

  constructor(@InjectRepository(WebhookEvent) private readonly events: Repository<WebhookEvent>) {}

  async prune(cutoff: Date, maxBatches: number): Promise<number> {
    let deleted = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const rows = await this.events.find({
        select: { id: true },
        where: { processedAt: LessThan(floorToSecond(cutoff)) },
        order: { processedAt: 'ASC', id: 'ASC' },
        take: BATCH,
      });
      if (rows.length === 0) break;
      const res = await this.events.delete({
        id: In(rows.map((r) => r.id)),
        processedAt: Not(IsNull()),
      });
      deleted += Number(res.affected ?? rows.length);
      if (rows.length < BATCH) break;
    }
    return deleted;
  }
}
