import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

// GET /activity pages an account's finished jobs newest first:
// WHERE account_id = ? AND status IN (…) ORDER BY finished_at DESC, id DESC.
export class SyncJobAccountFinishedIndex1796345741781 implements MigrationInterface {
  name = 'SyncJobAccountFinishedIndex1796345741781';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({
        name: 'ix_sync_job_account_finished',
        columnNames: ['account_id', 'status', 'finished_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('sync_job', 'ix_sync_job_account_finished');
  }
}
