import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

// Retention of processed webhook events walks them by processed_at (the sync job retention pass).
export class WebhookEventProcessedIndex1796342277920 implements MigrationInterface {
  name = 'WebhookEventProcessedIndex1796342277920';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'webhook_event',
      new TableIndex({ name: 'ix_webhook_event_processed', columnNames: ['processed_at', 'id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('webhook_event', 'ix_webhook_event_processed');
  }
}
