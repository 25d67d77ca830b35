import { Column, Entity, PrimaryColumn } from 'typeorm';

// Lookup seeded by the initial migration (contract): 1 = Not Attended, 2 = Attended.
export const PARTICIPANT_STATUS = { NOT_ATTENDED: 1, ATTENDED: 2 } as const;
export type ParticipantStatusId = (typeof PARTICIPANT_STATUS)[keyof typeof PARTICIPANT_STATUS];

@Entity('webinar_participant_status')
export class WebinarParticipantStatus {
  @PrimaryColumn({ type: 'integer' }) id: number;
  @Column({ type: 'varchar', length: 50 }) name: string;
}
