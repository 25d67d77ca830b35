import { DomainError } from '../common/errors/domain-error';
import { MailingStatus } from './mailing.entity';

export const mailingNotDraft = (id: number, status: MailingStatus | undefined) =>
  new DomainError(
    'conflict',
    status === 'sending' ? 'MAILING_SEND_IN_PROGRESS' : 'MAILING_ALREADY_SENT',
    status === 'sending' ? `Mailing ${id} is being sent` : `Mailing ${id} has already been sent`,
  );

// Our send outlived its claim and another send took the mailing over: this one must not deliver.
export const sendClaimLost = (id: number) =>
  new DomainError(
    'conflict',
    'MAILING_SEND_IN_PROGRESS',
    `Mailing ${id} was taken over by another send`,
  );
