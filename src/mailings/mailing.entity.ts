import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type MailingStatus = 'draft' | 'sending' | 'sent';

@Entity('mailing')
@Index('ix_mailing_account', ['accountId'])
export class Mailing {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ type: 'varchar', length: 500 }) subject: string;
  @Column({ type: 'varchar', length: 16, default: 'draft' }) status: MailingStatus;
  @Column({ name: 'sent_at', type: 'datetime', nullable: true }) sentAt: Date | null;
  // What the before-send hook did: webinars synced, skipped, warnings.
  @Column({ name: 'send_report', type: 'simple-json', nullable: true }) sendReport: unknown | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}

@Entity('mailing_target_group')
export class MailingTargetGroup {
  @PrimaryColumn({ name: 'mailing_id', type: 'integer' }) mailingId: number;
  @PrimaryColumn({ name: 'target_group_id', type: 'integer' }) targetGroupId: number;
}

@Entity('mailing_recipient')
@Index('uq_mailing_recipient', ['mailingId', 'subscriberId'], { unique: true })
export class MailingRecipient {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'mailing_id', type: 'integer' }) mailingId: number;
  @Column({ name: 'subscriber_id', type: 'integer' }) subscriberId: number;
}
