import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// One subscriber per (account, normalized email). The email compares byte for byte on every
// database (MySQL/MariaDB: binary collation, migration 1764600000000; SQLite: BINARY by default).
@Entity('subscriber')
@Index('uq_subscriber_account_email', ['accountId', 'email'], { unique: true })
export class Subscriber {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ type: 'varchar', length: 320 }) email: string;
  @Column({ name: 'first_name', type: 'varchar', length: 200, nullable: true }) firstName:
    string | null;
  @Column({ name: 'last_name', type: 'varchar', length: 200, nullable: true }) lastName:
    string | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
