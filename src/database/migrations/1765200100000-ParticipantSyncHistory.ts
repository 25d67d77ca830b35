import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

// The participant sync history (GET /webinars/:id/history): one row per sync that changed something.
export class ParticipantSyncHistory1765200100000 implements MigrationInterface {
  name = 'ParticipantSyncHistory1765200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const int = (name: string, extra = {}) => ({ name, type: 'integer', ...extra });
    await queryRunner.createTable(
      new Table({
        name: 'participant_sync_change',
        columns: [
          int('id', { isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
          int('account_id'),
          int('webinar_id'),
          int('sync_job_id', { isNullable: true }),
          { name: 'synced_at', type: 'datetime' },
          int('added', { default: 0 }),
          int('cancelled', { default: 0 }),
          int('attended', { default: 0 }),
          int('status_changed', { default: 0 }),
          { name: 'samples', type: 'text' },
        ],
        indices: [
          new TableIndex({
            name: 'ix_participant_sync_change_webinar',
            columnNames: ['webinar_id', 'id'],
          }),
          new TableIndex({
            name: 'ix_participant_sync_change_synced_at',
            columnNames: ['synced_at'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('participant_sync_change');
  }
}
