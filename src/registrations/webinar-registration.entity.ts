import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REGISTRATION_OUTCOMES = [
  'pending',
  'registered',
  'already_registered',
  'refused',
  'invalid_email',
] as const;
export type RegistrationOutcome = (typeof REGISTRATION_OUTCOMES)[number];

// One subscriber asked to be registered for one webinar in GoTo, and what came of it. Unique per
// (webinar, subscriber): asking twice registers nobody twice.
@Entity('webinar_registration')
@Index('uq_webinar_registration', ['webinarId', 'subscriberId'], { unique: true })
@Index('ix_webinar_registration_status', ['webinarId', 'outcome'])
export class WebinarRegistration {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'webinar_id', type: 'integer' }) webinarId: number;
  @Column({ name: 'subscriber_id', type: 'integer' }) subscriberId: number;
  @Column({ type: 'varchar', length: 20 }) outcome: RegistrationOutcome;
  @Column({ type: 'varchar', length: 300, nullable: true }) reason: string | null;
  @Column({ name: 'registrant_key', type: 'varchar', length: 20, nullable: true })
  registrantKey: string | null;
  @Column({ name: 'sync_job_id', type: 'integer', nullable: true }) syncJobId: number | null;
  @Column({ name: 'requested_at', type: 'datetime' }) requestedAt: Date;
  @Column({ name: 'done_at', type: 'datetime', nullable: true }) doneAt: Date | null;
}
