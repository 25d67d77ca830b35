import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

// Registering subscribers in GoTo: the per-person requests and outcomes, and the join link on the
// participant (nullable varchar(1024)). The Webhooks migration (1765100000000, earlier) adds the
// same column: it is added here only if missing, and widened if an older build made it narrower.
export class Registrations1765200300000 implements MigrationInterface {
  name = 'Registrations1765200300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const joinUrl = new TableColumn({
      name: 'join_url',
      type: 'varchar',
      length: '1024',
      isNullable: true,
    });
    const participants = await queryRunner.getTable('webinar_participant');
    const existing = participants?.findColumnByName('join_url');
    if (!existing) await queryRunner.addColumn('webinar_participant', joinUrl);
    else if (existing.length !== '1024')
      await queryRunner.changeColumn('webinar_participant', existing, joinUrl);
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
    // join_url stays: the earlier Webhooks migration owns it and drops it on its own revert.
  }
}
