import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// Reconciliation: GoTo's own counts as the last participant sync saw them, on the webinar.
export class GotoCounts1765200200000 implements MigrationInterface {
  name = 'GotoCounts1765200200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('webinar', [
      new TableColumn({ name: 'goto_registrant_count', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'goto_walk_in_count', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'goto_attendee_count', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'goto_counts_at', type: 'datetime', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const c of [
      'goto_counts_at',
      'goto_attendee_count',
      'goto_walk_in_count',
      'goto_registrant_count',
    ])
      await queryRunner.dropColumn('webinar', c);
  }
}
