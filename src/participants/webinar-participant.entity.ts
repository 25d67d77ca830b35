import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type RegistrationStatus = 'approved' | 'waiting' | 'denied' | 'cancelled';

@Entity('webinar_participant')
@Index('uq_webinar_participant', ['webinarId', 'subscriberId'], { unique: true })
@Index('ix_webinar_participant_subscriber', ['subscriberId'])
export class WebinarParticipant {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'webinar_id', type: 'integer' }) webinarId: number;
  @Column({ name: 'subscriber_id', type: 'integer' }) subscriberId: number;
  @Column({ name: 'registrant_key', type: 'varchar', length: 20, nullable: true }) registrantKey:
    string | null;
  // The personal join link GoTo gave: when we registered the person (registrations) or in a
  // registrant.added webhook; for mailings.
  @Column({ name: 'join_url', type: 'varchar', length: 1024, nullable: true }) joinUrl:
    string | null;
  @Column({ name: 'webinar_participant_status_id', type: 'integer' })
  webinarParticipantStatusId: number;
  @Column({ name: 'registration_status', type: 'varchar', length: 16 })
  registrationStatus: RegistrationStatus;
  @Column({ name: 'registered_at', type: 'datetime', nullable: true }) registeredAt: Date | null;
  @Column({ name: 'attendance_seconds', type: 'integer', default: 0 }) attendanceSeconds: number;
  @Column({ name: 'sessions_attended', type: 'integer', default: 0 }) sessionsAttended: number;
  @Column({ name: 'first_joined_at', type: 'datetime', nullable: true }) firstJoinedAt: Date | null;
  @Column({ name: 'last_left_at', type: 'datetime', nullable: true }) lastLeftAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}
