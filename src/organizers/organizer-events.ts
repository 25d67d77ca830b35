import { Injectable, Logger } from '@nestjs/common';

/** linked/reactivated/credentials changed: `active`; deactivated: `inactive`; Test Connection ok: `tested`. */
export type OrganizerChange = 'active' | 'inactive' | 'tested';

export interface OrganizerEvent {
  change: OrganizerChange;
  organizerId: number;
  accountId: number;
}

type Listener = (e: OrganizerEvent) => void | Promise<void>;

// In-process notice of organizer lifecycle changes, so modules above this one (the webhook
// subscriptions) can follow without the organizers module knowing them. A listener's failure is
// logged and never reaches the caller.
@Injectable()
export class OrganizerEvents {
  private readonly logger = new Logger(OrganizerEvents.name);
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the listeners; resolves when they are done (their failures are logged, never thrown). */
  async emit(event: OrganizerEvent): Promise<void> {
    await Promise.all(
      [...this.listeners].map((l) =>
        Promise.resolve()
          .then(() => l(event))
          .catch((err: unknown) =>
            this.logger.error(
              {
                organizerId: event.organizerId,
                accountId: event.accountId,
                change: event.change,
                err: (err as Error)?.message ?? err,
              },
              'organizer event listener failed',
            ),
          ),
      ),
    );
  }
}
