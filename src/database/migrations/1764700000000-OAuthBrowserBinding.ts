import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

// "Connect with GoTo" bound to the browser that started it (a hash of its cookie), with PKCE (the
// code verifier, encrypted) and a confirmation step (the pending link, encrypted, until the user
// confirms the GoTo user shown). The index keeps the purge of expired states bounded.
export class OAuthBrowserBinding1764700000000 implements MigrationInterface {
  name = 'OAuthBrowserBinding1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_state', [
      new TableColumn({ name: 'browser_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'code_verifier', type: 'text', isNullable: true }),
      new TableColumn({ name: 'pending_link', type: 'text', isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'oauth_state',
      new TableIndex({ name: 'ix_oauth_state_expires', columnNames: ['expires_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('oauth_state', 'ix_oauth_state_expires');
    for (const c of ['pending_link', 'code_verifier', 'browser_hash'])
      await queryRunner.dropColumn('oauth_state', c);
  }
}
