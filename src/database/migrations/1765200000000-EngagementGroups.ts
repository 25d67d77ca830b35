import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// Engagement groups: the account's threshold (null = off) and the threshold frozen on each
// `engaged` target group.
export class EngagementGroups1765200000000 implements MigrationInterface {
  name = 'EngagementGroups1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webinar_integration_settings',
      new TableColumn({ name: 'engagement_minutes', type: 'integer', isNullable: true }),
    );
    await queryRunner.addColumn(
      'target_group',
      new TableColumn({ name: 'engagement_minutes', type: 'integer', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('target_group', 'engagement_minutes');
    await queryRunner.dropColumn('webinar_integration_settings', 'engagement_minutes');
  }
}
