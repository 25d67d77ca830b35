import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// Reconciliation: GoTo's session-report counts (registrantsAttended, registrantCount) as the last
// participant sync that read the webinar's sessions saw them.
export class GotoSessionCounts1796341428341 implements MigrationInterface {
  name = 'GotoSessionCounts1796341428341';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('webinar', [
      new TableColumn({ name: 'goto_sessions_reported', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'goto_registrants_attended', type: 'integer', isNullable: true }),
      new TableColumn({
        name: 'goto_session_registrant_count',
        type: 'integer',
        isNullable: true,
      }),
      new TableColumn({ name: 'goto_sessions_at', type: 'datetime', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const c of [
      'goto_sessions_at',
      'goto_session_registrant_count',
      'goto_registrants_attended',
      'goto_sessions_reported',
    ])
      await queryRunner.dropColumn('webinar', c);
  }
}
