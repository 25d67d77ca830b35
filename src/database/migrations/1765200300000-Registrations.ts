import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

// Registering subscribers in GoTo: the per-person requests and outcomes, and the join link on the
// participant (nullable varchar(1024), the name another branch may add too).
export class Registrations1765200300000 implements MigrationInterface {
  name = 'Registrations1765200300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await queryRunner.hasColumn('webinar_participant', 'join_url')))
      await queryRunner.addColumn(
        'webinar_participant',
        new TableColumn({ name: 'join_url', type: 'varchar', length: '1024', isNullable: true }),
      );
    const int = (name: string, extra = {}) => ({ name, type: 'integer', ...extra });
    await queryRunner.createTable(
      new Table({
        name: 'webinar_registration',
        columns: [
          int('id', { isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
          int('account_id'),
          int('webinar_id'),
          int('subscriber_id'),
          { name: 'outcome', type: 'varchar', length: '20' },
          { name: 'reason', type: 'varchar', length: '300', isNullable: true },
          { name: 'registrant_key', type: 'varchar', length: '20', isNullable: true },
          int('sync_job_id', { isNullable: true }),
          { name: 'requested_at', type: 'datetime' },
          { name: 'done_at', type: 'datetime', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_webinar_registration',
            columnNames: ['webinar_id', 'subscriber_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_webinar_registration_status',
            columnNames: ['webinar_id', 'outcome'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webinar_registration');
    await queryRunner.dropColumn('webinar_participant', 'join_url');
  }
}
