import { MigrationInterface, QueryRunner, Table } from 'typeorm';

// The GoTo call budget shared by every instance on MySQL (SQLite paces in process; the tables
// exist there too, unused): one row per OAuth client with its next free slot and 429 cool-down
// (microseconds on the database's clock), and one row per instance with the highest priority
// waiting there (short expiry), which holds lower priorities on other instances back.
export class GotoCallBudget1764800000000 implements MigrationInterface {
  name = 'GotoCallBudget1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'goto_call_budget',
        columns: [
          { name: 'client_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'next_slot_us', type: 'bigint', default: 0 },
          { name: 'cooldown_until_us', type: 'bigint', default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'goto_call_demand',
        columns: [
          { name: 'client_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'instance_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'priority', type: 'integer' },
          { name: 'expires_at_us', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('goto_call_demand');
    await queryRunner.dropTable('goto_call_budget');
  }
}
