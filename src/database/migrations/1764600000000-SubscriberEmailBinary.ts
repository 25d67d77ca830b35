import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `subscriber.email` compares byte for byte on MySQL/MariaDB, as it already does on SQLite (its
 * default BINARY collation). The column holds the normalized address (trimmed, NFC, lower-cased:
 * merge-participants.ts), so two addresses are one subscriber exactly when they are equal after
 * that normalization. Under the database's utf8mb4_unicode_ci the unique key
 * (account_id, email) also merged `jöhn@` into `john@` and `straße@` into `strasse@`, so a
 * stranger's registration joined an existing subscriber's groups.
 * A NO PAD collation where the server has one (MariaDB utf8mb4_nopad_bin, MySQL 8
 * utf8mb4_0900_bin), so trailing spaces count too; emails hold no whitespace anyway.
 * Rows merged before this migration cannot be told apart again: they stay one subscriber.
 */
export class SubscriberEmailBinary1764600000000 implements MigrationInterface {
  name = 'SubscriberEmailBinary1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!isMysql(queryRunner)) return;
    await setEmailCollation(queryRunner, await binaryCollation(queryRunner));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isMysql(queryRunner)) return;
    // Fails on the unique key if the binary collation let accent variants become two subscribers.
    await setEmailCollation(queryRunner, 'utf8mb4_unicode_ci');
  }
}

const isMysql = (qr: QueryRunner) =>
  qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';

async function binaryCollation(qr: QueryRunner): Promise<string> {
  const rows: Array<{ name: string }> = await qr.query(
    `SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (?, ?)`,
    ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'],
  );
  return rows.map((r) => r.name).sort()[0] ?? 'utf8mb4_bin';
}

async function setEmailCollation(qr: QueryRunner, collation: string): Promise<void> {
  const table = await qr.getTable('subscriber');
  const email = table?.findColumnByName('email');
  if (!table || !email) throw new Error('subscriber.email not found');
  // Same type and length (else TypeORM would drop and re-add the column): an ALTER … CHANGE.
  const changed = email.clone();
  changed.charset = 'utf8mb4';
  changed.collation = collation;
  await qr.changeColumn(table, email, changed);
}
