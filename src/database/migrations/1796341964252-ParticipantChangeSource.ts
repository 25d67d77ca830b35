import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

// The participant history also records changes applied from webhook events: where a row came from.
export class ParticipantChangeSource1796341964252 implements MigrationInterface {
  name = 'ParticipantChangeSource1796341964252';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'participant_sync_change',
      new TableColumn({ name: 'source', type: 'varchar', length: '16', default: "'sync'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('participant_sync_change', 'source');
  }
}
