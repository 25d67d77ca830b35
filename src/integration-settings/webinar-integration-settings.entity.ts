import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const DEFAULT_DISPLAYED_TIME_ZONE = 'America/New_York';

@Entity('webinar_integration_settings')
export class WebinarIntegrationSettings {
  @PrimaryColumn({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ type: 'boolean', width: 1, default: true }) active: boolean;
  @Column({ name: 'target_group_folder_id', type: 'integer', nullable: true }) targetGroupFolderId:
    number | null;
  @Column({
    name: 'displayed_time_zone',
    type: 'varchar',
    length: 64,
    default: DEFAULT_DISPLAYED_TIME_ZONE,
  })
  displayedTimeZone: string;
  /** GoTo webhooks for the account's organizers (polling alone when false). */
  @Column({ name: 'real_time_updates', type: 'boolean', width: 1, default: true })
  realTimeUpdates: boolean;
  // Minutes of summed attendance for the `Engaged (≥ N min)` group; null = no engaged groups.
  @Column({ name: 'engagement_minutes', type: 'integer', nullable: true }) engagementMinutes:
    number | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' }) updatedAt: Date;
}
