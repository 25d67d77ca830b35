import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

// Adaptive polling and bounded job history:
// - webinar.participants_checked_at: when its participants were last read from GoTo (every
//   successful read; participants_synced_at stays "last changed"), what the schedule counts from;
// - sync_job indexes for pruning finished jobs by age while keeping each organizer's and each
//   webinar's latest job.
export class AdaptivePolling1764900000000 implements MigrationInterface {
  name = 'AdaptivePolling1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webinar',
      new TableColumn({ name: 'participants_checked_at', type: 'datetime', isNullable: true }),
    );
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({ name: 'ix_sync_job_finished', columnNames: ['status', 'finished_at'] }),
    );
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({
        name: 'ix_sync_job_organizer',
        columnNames: ['organizer_id', 'webinar_id'],
      }),
    );
    await queryRunner.createIndex(
      'sync_job',
      new TableIndex({ name: 'ix_sync_job_webinar', columnNames: ['webinar_id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('sync_job', 'ix_sync_job_webinar');
    await queryRunner.dropIndex('sync_job', 'ix_sync_job_organizer');
    await queryRunner.dropIndex('sync_job', 'ix_sync_job_finished');
    await queryRunner.dropColumn('webinar', 'participants_checked_at');
  }
}
