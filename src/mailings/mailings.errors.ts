import { DomainError } from '../common/errors/domain-error';
import { MailingStatus } from './mailing.entity';

export const mailingNotDraft = (id: number, status: MailingStatus | undefined) =>
  new DomainError(
    'conflict',
    status === 'sending' ? 'MAILING_SEND_IN_PROGRESS' : 'MAILING_ALREADY_SENT',
    status === 'sending' ? `Mailing ${id} is being sent` : `Mailing ${id} has already been sent`,
  );
