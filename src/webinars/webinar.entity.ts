import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type WebinarStatus = 'scheduled' | 'ended' | 'cancelled';
export interface WebinarSessionTime {
  startTime: string; // ISO UTC
  endTime: string;
}

@Entity('webinar')
@Index('uq_webinar_account_key', ['accountId', 'webinarKey'], { unique: true })
@Index('ix_webinar_organizer_starts', ['organizerId', 'startsAt'])
export class Webinar {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'organizer_id', type: 'integer' }) organizerId: number;
  @Column({ name: 'webinar_key', type: 'varchar', length: 20 }) webinarKey: string;
  @Column({ type: 'varchar', length: 500 }) subject: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ name: 'starts_at', type: 'datetime' }) startsAt: Date;
  @Column({ name: 'ends_at', type: 'datetime' }) endsAt: Date;
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true }) timeZone:
    string | null;
  @Column({ name: 'recurrence_type', type: 'varchar', length: 20, default: 'single_session' })
  recurrenceType: string;
  @Column({ type: 'simple-json' }) sessions: WebinarSessionTime[];
  @Column({ name: 'registration_url', type: 'varchar', length: 1000, nullable: true })
  registrationUrl: string | null;
  @Column({ type: 'varchar', length: 16, default: 'scheduled' }) status: WebinarStatus;
  @Column({ name: 'participants_synced_at', type: 'datetime', nullable: true })
  participantsSyncedAt: Date | null;
  /** Every session really ended and its attendance settled (docs/sync.md); null until then. */
  @Column({ name: 'attendance_final_at', type: 'datetime', nullable: true })
  attendanceFinalAt: Date | null;
  // Last successful read of its participants (also when nothing changed): the polling schedule's clock.
  @Column({ name: 'participants_checked_at', type: 'datetime', nullable: true })
  participantsCheckedAt: Date | null;
  // GoTo's own counts as the last participant sync saw them (reconciliation); null before one.
  // Registrants: distinct people (valid emails) in GoTo's registrant list, any status listed;
  // walk-ins: people in the attendee list who are not registrants; attendees: distinct people
  // in the attendee list.
  @Column({ name: 'goto_registrant_count', type: 'integer', nullable: true })
  gotoRegistrantCount: number | null;
  @Column({ name: 'goto_walk_in_count', type: 'integer', nullable: true })
  gotoWalkInCount: number | null;
  @Column({ name: 'goto_attendee_count', type: 'integer', nullable: true })
  gotoAttendeeCount: number | null;
  @Column({ name: 'goto_counts_at', type: 'datetime', nullable: true }) gotoCountsAt: Date | null;
  // GoTo's session reports as the last sync that read the sessions saw them (no extra call: that
  // read decides attendance finality); null until one did (docs/reconciliation.md). Attended: the
  // sum of `registrantsAttended` over the completed sessions (registrants only, one per person and
  // session); registrant count: `registrantCount` of the latest session (the webinar's total).
  @Column({ name: 'goto_sessions_reported', type: 'integer', nullable: true })
  gotoSessionsReported: number | null;
  @Column({ name: 'goto_registrants_attended', type: 'integer', nullable: true })
  gotoRegistrantsAttended: number | null;
  @Column({ name: 'goto_session_registrant_count', type: 'integer', nullable: true })
  gotoSessionRegistrantCount: number | null;
  @Column({ name: 'goto_sessions_at', type: 'datetime', nullable: true })
  gotoSessionsAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}
