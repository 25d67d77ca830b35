import {
  MigrationInterface,
  QueryRunner,
  Table,
  TableColumn,
  TableColumnOptions,
  TableIndex,
} from 'typeorm';

const str = (name: string, length: number, extra: Partial<TableColumnOptions> = {}) =>
  new TableColumn({ name, type: 'varchar', length: String(length), isNullable: true, ...extra });
const dt = (name: string, nullable = true) =>
  new TableColumn({ name, type: 'datetime', isNullable: nullable });

// GoTo webhooks: the received events, the developer-level setup, each organizer's subscription
// state, the per-account switch, and the registrant's join link.
export class Webhooks1765100000000 implements MigrationInterface {
  name = 'Webhooks1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'webhook_event',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          str('event_key', 64, { isNullable: false }),
          str('event_name', 40, { isNullable: false }),
          str('webinar_key', 20),
          str('registrant_key', 20),
          dt('event_time'),
          dt('received_at', false),
          { name: 'body', type: 'text' },
          dt('processed_at'),
          str('outcome', 200),
        ],
        indices: [
          new TableIndex({
            name: 'uq_webhook_event_key',
            columnNames: ['event_key'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'ix_webhook_event_webinar',
            columnNames: ['webinar_key', 'event_time'],
          }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'goto_webhook_setup',
        columns: [
          str('client_id', 191, { isPrimary: true, isNullable: false }),
          { name: 'secret_encrypted', type: 'text', isNullable: true },
          str('callback_url', 1000),
          { name: 'webhook_keys', type: 'text', isNullable: true },
          dt('checked_at'),
        ],
      }),
      true,
    );
    await queryRunner.addColumns('organizer', [
      str('webhook_state', 16, { isNullable: false, default: "'unknown'" }),
      str('webhook_reason', 500),
      dt('webhook_checked_at'),
      dt('webhook_last_event_at'),
    ]);
    await queryRunner.addColumn(
      'webinar_integration_settings',
      new TableColumn({ name: 'real_time_updates', type: 'boolean', default: 1 }),
    );
    // varchar(1024): the registrations' join link shares the column (1765200300000).
    await queryRunner.addColumn('webinar_participant', str('join_url', 1024));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webinar_participant', 'join_url');
    await queryRunner.dropColumn('webinar_integration_settings', 'real_time_updates');
    for (const c of [
      'webhook_last_event_at',
      'webhook_checked_at',
      'webhook_reason',
      'webhook_state',
    ])
      await queryRunner.dropColumn('organizer', c);
    await queryRunner.dropTable('goto_webhook_setup', true);
    await queryRunner.dropTable('webhook_event', true);
  }
}
