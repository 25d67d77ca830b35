import { Injectable, Logger } from '@nestjs/common';

// Delivering email is out of scope: the mailing module hands a sent mailing to a transport.
// A real transport would page through the recipients itself (GET .../recipients or the table).
export interface OutgoingMailing {
  accountId: number;
  mailingId: number;
  subject: string;
  recipientCount: number;
}

export interface MailTransport {
  deliver(mailing: OutgoingMailing): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

// Logs what would be sent: ids and counts only, never addresses.
@Injectable()
export class LoggingMailTransport implements MailTransport {
  private readonly logger = new Logger(LoggingMailTransport.name);

  async deliver(m: OutgoingMailing): Promise<void> {
    this.logger.log(
      { accountId: m.accountId, mailingId: m.mailingId, recipientCount: m.recipientCount },
      'Mailing handed to the (logging) mail transport',
    );
  }
}
