import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// When a webinar's attendance became final (every session really ended and settled, see
// docs/sync.md): polling can stop re-reading its attendees.
export class WebinarAttendanceFinal1765000000000 implements MigrationInterface {
  name = 'WebinarAttendanceFinal1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webinar',
      new TableColumn({ name: 'attendance_final_at', type: 'datetime', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webinar', 'attendance_final_at');
  }
}
