import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DEFAULT_FOLDER_NAME = 'Webinars';

@Entity('target_group_folder')
@Index('uq_target_group_folder_name', ['accountId', 'name'], { unique: true })
export class TargetGroupFolder {
  @PrimaryGeneratedColumn() id: number;
  @Column({ name: 'account_id', type: 'integer' }) accountId: number;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @CreateDateColumn({ name: 'created_at', type: 'datetime' }) createdAt: Date;
}
