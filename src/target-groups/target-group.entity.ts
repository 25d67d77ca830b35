import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type TargetGroupKind = 'registered' | 'attended' | 'not_attended' | 'engaged';

@Entity('target_group')
@Index('uq_target_group_webinar_kind', ['webinarId', 'kind'], { unique: true })
@Index('uq_target_group_name', ['folderId', 'name'], { unique: true })
@Index('ix_target_group_account', ['accountId'])
export class TargetGroup {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ name: 'folder_id', type: 'integer' }) folderId: number;
  @Column({ name: 'webinar_id', type: 'integer', nullable: true }) webinarId: number | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) kind: TargetGroupKind | null;
  // Frozen at creation: a later change of time zone or subject never renames it.
  @Column({ type: 'varchar', length: 255 }) name: string;
  // Kind `engaged` only: the threshold (minutes of summed attendance) frozen at creation, so its
  // membership keeps meaning what its name says after the setting changes.
  @Column({ name: 'engagement_minutes', type: 'integer', nullable: true }) engagementMinutes:
    number | null;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
