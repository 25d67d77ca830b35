import { ApiProperty } from '@nestjs/swagger';
import { BeforeSendReport } from '../before-send-hook';
import { MailingStatus } from '../mailing.entity';

// Response shapes (classes only so that OpenAPI can describe them).

export class SyncedWebinarDto {
  @ApiProperty() webinarId: number;
  @ApiProperty({ description: 'The participant sync job that ran' }) jobId: number;
}

export class SkippedWebinarDto {
  @ApiProperty() webinarId: number;
  @ApiProperty({ example: 'organizer is deactivated' }) reason: string;
}

export class SendWarningDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Null for a problem of a hook as a whole',
  })
  webinarId: number | null;
  @ApiProperty({ example: 'participant sync failed (job 12): GoTo Webinar answered 503' })
  message: string;
}

export class SendReportDto implements BeforeSendReport {
  @ApiProperty({ type: [SyncedWebinarDto] }) synced: SyncedWebinarDto[];
  @ApiProperty({ type: [SkippedWebinarDto] }) skipped: SkippedWebinarDto[];
  @ApiProperty({ type: [SendWarningDto] }) warnings: SendWarningDto[];
}

export class MailingView {
  @ApiProperty() id: number;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: ['draft', 'sending', 'sent'] }) status: MailingStatus;
  @ApiProperty({ type: [Number] }) targetGroupIds: number[];
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) sentAt: Date | null;
  @ApiProperty() recipientCount: number;
  @ApiProperty({
    type: SendReportDto,
    nullable: true,
    description: 'What the before-send hooks did (after a send)',
  })
  sync: SendReportDto | null;
}

export class MailingRecipientView {
  @ApiProperty() subscriberId: number;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName: string | null;
}

export class MailingRecipientPageDto {
  @ApiProperty({ type: [MailingRecipientView] }) items: MailingRecipientView[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class SendMailingResult {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['sent'] }) status: MailingStatus;
  @ApiProperty() sentAt: Date;
  @ApiProperty() recipientCount: number;
  @ApiProperty({ type: SendReportDto }) sync: SendReportDto;
}
