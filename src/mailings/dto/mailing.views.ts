import { BeforeSendReport } from '../before-send-hook';
import { MailingStatus } from '../mailing.entity';

export interface MailingView {
  id: number;
  subject: string;
  status: MailingStatus;
  targetGroupIds: number[];
  createdAt: Date;
  sentAt: Date | null;
  recipientCount: number;
  sync: BeforeSendReport | null;
}

export interface MailingRecipientView {
  subscriberId: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

export interface SendMailingResult {
  id: number;
  status: MailingStatus;
  sentAt: Date;
  recipientCount: number;
  sync: BeforeSendReport;
}
