import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

// The sync queue's lease bookkeeping: one running job per organizer (unique while running),
// and indexes for reclaiming expired leases and for the scheduler's per-tick check.
export class SyncJobLeases1764500000000 implements MigrationInterface {
  name = 'SyncJobLeases1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'sync_job',
      new TableColumn({ name: 'running_organizer_id', type: 'integer', isNullable: true }),
    );
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({
        name: 'uq_sync_job_running_organizer',
        columnNames: ['running_organizer_id'],
        isUnique: true,
      }),
    );
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({ name: 'ix_sync_job_lease', columnNames: ['status', 'lease_until'] }),
    );
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({ name: 'ix_sync_job_type_created', columnNames: ['type', 'created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('sync_job', 'ix_sync_job_type_created');
    await queryRunner.dropIndex('sync_job', 'ix_sync_job_lease');
    await queryRunner.dropIndex('sync_job', 'uq_sync_job_running_organizer');
    await queryRunner.dropColumn('sync_job', 'running_organizer_id');
  }
}
