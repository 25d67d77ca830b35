import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

// Written with the Table API so one migration serves MySQL/MariaDB and SQLite.
const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'integer',
  ...extra,
});
const str = (
  name: string,
  length: number,
  extra: Partial<TableColumnOptions> = {},
): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const dt = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  isNullable: nullable,
});
// TypeORM's own defaults for @CreateDateColumn/@UpdateDateColumn differ per dialect.
// On MySQL they are datetime(6) with CURRENT_TIMESTAMP(6); on SQLite datetime('now').
const createdAt = (now: string): TableColumnOptions => ({
  name: 'created_at',
  type: 'datetime',
  default: now,
  precision: now.endsWith('(6)') ? 6 : undefined,
});
const updatedAt = (now: string): TableColumnOptions => ({
  ...createdAt(now),
  name: 'updated_at',
  onUpdate: now.endsWith('(6)') ? now : undefined,
});
const text = (name: string, nullable = true): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
const bool = (name: string, def: boolean): TableColumnOptions => ({
  name,
  type: 'boolean',
  default: def ? 1 : 0,
});
const uq = (name: string, columnNames: string[]) =>
  new TableIndex({ name, columnNames, isUnique: true });
const ix = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });

const tables = (now: string): Table[] => [
  new Table({
    name: 'account',
    columns: [id, str('name', 200), str('api_key_hash', 64), createdAt(now)],
    indices: [uq('uq_account_api_key_hash', ['api_key_hash'])],
  }),
  new Table({
    name: 'webinar_integration_settings',
    columns: [
      int('account_id', { isPrimary: true }),
      bool('active', true),
      int('target_group_folder_id', { isNullable: true }),
      str('displayed_time_zone', 64, { default: "'America/New_York'" }),
      updatedAt(now),
    ],
  }),
  new Table({
    name: 'organizer',
    columns: [
      id,
      int('account_id'),
      str('email', 320),
      str('auth_method', 32),
      text('credentials_encrypted', false),
      str('organizer_key', 20),
      str('goto_account_key', 20, { isNullable: true }),
      bool('active', true),
      str('deactivated_reason', 500, { isNullable: true }),
      str('connection_status', 16, { default: "'unknown'" }),
      text('last_error'),
      dt('last_tested_at', true),
      dt('last_synced_at', true),
      createdAt(now),
      updatedAt(now),
    ],
    indices: [uq('uq_organizer_account_key', ['account_id', 'organizer_key'])],
  }),
  new Table({
    name: 'oauth_state',
    columns: [
      str('nonce', 64, { isPrimary: true }),
      int('account_id'),
      dt('expires_at'),
      dt('used_at', true),
    ],
  }),
  new Table({
    name: 'webinar',
    columns: [
      id,
      int('account_id'),
      int('organizer_id'),
      str('webinar_key', 20),
      str('subject', 500),
      text('description'),
      dt('starts_at'),
      dt('ends_at'),
      str('time_zone', 64, { isNullable: true }),
      str('recurrence_type', 20, { default: "'single_session'" }),
      text('sessions', false),
      str('registration_url', 1000, { isNullable: true }),
      str('status', 16, { default: "'scheduled'" }),
      dt('participants_synced_at', true),
      createdAt(now),
      updatedAt(now),
    ],
    indices: [
      uq('uq_webinar_account_key', ['account_id', 'webinar_key']),
      ix('ix_webinar_organizer_starts', ['organizer_id', 'starts_at']),
    ],
  }),
  new Table({
    name: 'subscriber',
    columns: [
      id,
      int('account_id'),
      str('email', 320),
      str('first_name', 200, { isNullable: true }),
      str('last_name', 200, { isNullable: true }),
      createdAt(now),
    ],
    indices: [uq('uq_subscriber_account_email', ['account_id', 'email'])],
  }),
  new Table({
    name: 'webinar_participant_status',
    columns: [int('id', { isPrimary: true }), str('name', 50)],
  }),
  new Table({
    name: 'webinar_participant',
    columns: [
      id,
      int('webinar_id'),
      int('subscriber_id'),
      str('registrant_key', 20, { isNullable: true }),
      int('webinar_participant_status_id'),
      str('registration_status', 16),
      dt('registered_at', true),
      int('attendance_seconds', { default: 0 }),
      int('sessions_attended', { default: 0 }),
      dt('first_joined_at', true),
      dt('last_left_at', true),
      createdAt(now),
      updatedAt(now),
    ],
    indices: [
      uq('uq_webinar_participant', ['webinar_id', 'subscriber_id']),
      ix('ix_webinar_participant_subscriber', ['subscriber_id']),
    ],
  }),
  new Table({
    name: 'target_group_folder',
    columns: [id, int('account_id'), str('name', 200), createdAt(now)],
    indices: [uq('uq_target_group_folder_name', ['account_id', 'name'])],
  }),
  new Table({
    name: 'target_group',
    columns: [
      id,
      int('account_id'),
      int('folder_id'),
      int('webinar_id', { isNullable: true }),
      str('kind', 20, { isNullable: true }),
      str('name', 255),
      createdAt(now),
    ],
    indices: [
      uq('uq_target_group_webinar_kind', ['webinar_id', 'kind']),
      uq('uq_target_group_name', ['folder_id', 'name']),
      ix('ix_target_group_account', ['account_id']),
    ],
  }),
  new Table({
    name: 'mailing',
    columns: [
      id,
      int('account_id'),
      str('subject', 500),
      str('status', 16, { default: "'draft'" }),
      dt('sent_at', true),
      text('send_report'),
      createdAt(now),
    ],
    indices: [ix('ix_mailing_account', ['account_id'])],
  }),
  new Table({
    name: 'mailing_target_group',
    columns: [int('mailing_id', { isPrimary: true }), int('target_group_id', { isPrimary: true })],
  }),
  new Table({
    name: 'mailing_recipient',
    columns: [id, int('mailing_id'), int('subscriber_id')],
    indices: [uq('uq_mailing_recipient', ['mailing_id', 'subscriber_id'])],
  }),
  new Table({
    name: 'sync_job',
    columns: [
      id,
      int('account_id'),
      int('organizer_id', { isNullable: true }),
      int('webinar_id', { isNullable: true }),
      str('type', 40),
      int('priority', { default: 0 }),
      str('status', 16, { default: "'queued'" }),
      str('active_key', 191, { isNullable: true }),
      int('attempts', { default: 0 }),
      dt('run_after'),
      str('locked_by', 100, { isNullable: true }),
      dt('lease_until', true),
      text('payload'),
      text('progress'),
      text('result'),
      text('last_error'),
      createdAt(now),
      dt('started_at', true),
      dt('finished_at', true),
    ],
    indices: [
      uq('uq_sync_job_active_key', ['active_key']),
      ix('ix_sync_job_claim', ['status', 'run_after', 'priority']),
      ix('ix_sync_job_account', ['account_id', 'created_at']),
    ],
  }),
];

const nowDefault = (qr: QueryRunner) =>
  qr.connection.driver.options.type === 'better-sqlite3'
    ? "datetime('now')"
    : 'CURRENT_TIMESTAMP(6)';

export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables(nowDefault(queryRunner))) await queryRunner.createTable(table, true);
    await queryRunner.query(
      `INSERT INTO webinar_participant_status (id, name) VALUES (1, 'Not Attended'), (2, 'Attended')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables(nowDefault(queryRunner)).reverse())
      await queryRunner.dropTable(table.name, true);
  }
}
