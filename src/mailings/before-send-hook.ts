import { DiscoveryService } from '@nestjs/core';

// The contract between the mailing module and anything that must run before a mailing goes
// out. Another internal module adds a hook by decorating one of its providers with
// `@MailingBeforeSendHook()` and implementing `BeforeSendHook`; the mailing module discovers
// every such provider at start-up (no import of the mailing module needed, so dependencies
// keep pointing towards the mailing module, never away from it).

export interface BeforeSendTargetGroup {
  id: number;
  /** Null for groups that are not webinar groups. */
  webinarId: number | null;
  kind: string | null;
}

export interface BeforeSendContext {
  accountId: number;
  mailingId: number;
  targetGroups: BeforeSendTargetGroup[];
  /** Every hook shares one budget (MAILING_SYNC_TIMEOUT_MS): finish, or give up, by then. */
  deadline: Date;
}

export interface SyncedWebinar {
  webinarId: number;
  jobId: number;
}
export interface SkippedWebinar {
  webinarId: number;
  reason: string;
}
export interface SendWarning {
  /** The webinar concerned; null for a problem of a hook as a whole. */
  webinarId: number | null;
  message: string;
}

/** What the hooks did; stored on the mailing (`send_report`) and returned by send. */
export interface BeforeSendReport {
  synced: SyncedWebinar[];
  skipped: SkippedWebinar[];
  warnings: SendWarning[];
}

export const emptyReport = (): BeforeSendReport => ({ synced: [], skipped: [], warnings: [] });

export interface BeforeSendHook {
  /** Shown in logs and in warnings about the hook itself. */
  readonly name: string;
  /**
   * Must not throw for a partial failure: report it as a warning and let the mailing go out.
   * A throw (or running past the deadline) is caught by the runner and becomes a warning.
   */
  beforeSend(ctx: BeforeSendContext): Promise<BeforeSendReport>;
}

export interface BeforeSendHookOptions {
  /** Lower runs first (default 0). Hooks run one after another, sharing the deadline. */
  order?: number;
}

/** Marks a provider as a before-send hook (discovered through Nest's DiscoveryService). */
export const MailingBeforeSendHook = DiscoveryService.createDecorator<
  BeforeSendHookOptions | undefined
>();

/** Injection token of the discovered hooks, in run order: `BeforeSendHook[]`. */
export const MAILING_BEFORE_SEND_HOOKS = Symbol('MAILING_BEFORE_SEND_HOOKS');
