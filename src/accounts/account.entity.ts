import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('account')
export class Account {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'varchar', length: 200 }) name: string;
  // sha256 of the API key; the key itself is shown once and never stored.
  @Index('uq_account_api_key_hash', { unique: true })
  @Column({ name: 'api_key_hash', type: 'varchar', length: 64 })
  apiKeyHash: string;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
