// GoTo's webhooks as the simulator plays them (goto-webinar-api.md §6): the developer-level secret key
// and webhooks, each organizer's user subscriptions, and signed deliveries to the callback when the
// data changes. GoTo's signature scheme is unpublished; the simulator signs the way webinar-sync
// verifies by default: x-webinar-signature = base64(HMAC-SHA256(secret, `${unixSeconds}.${body}`)).
import { createHmac } from 'node:crypto';
import { webhookPayload, simUuid } from './sim-webhook-payloads';
import { SimChange, SimStore } from './sim-store';

export const SIM_WEBHOOK_EVENTS = [
  'registrant.added',
  'registrant.joined',
  'webinar.created',
  'webinar.changed',
];

export interface SimWebhook {
  webhookKey: string;
  callbackUrl: string;
  eventName: string;
  eventVersion: string;
  product: 'g2w';
  state: 'ACTIVE' | 'INACTIVE';
  createTime: string;
}

export interface SimUserSubscription {
  userSubscriptionKey: string;
  organizerKey: string;
  webhookKey: string;
  callbackUrl: string;
  userSubscriptionState: 'ACTIVE' | 'INACTIVE';
  createTime: string;
}

/** Delivery faults: counts apply to the next N events; `delayMs` and `down` to all while set. */
export interface SimDeliveryFaults {
  duplicate: number;
  drop: number;
  badSignature: number;
  /** Hold the next N events, then deliver them newest first. */
  reorder: number;
  delayMs: number;
  /** The callback is unreachable: deliveries fail (GoTo's retries are undocumented: none here). */
  down: boolean;
}

export interface SimDelivery {
  eventName: string;
  eventKey: string;
  callbackUrl: string;
  /** HTTP status, or 'dropped' | 'down' | 'error'. */
  result: number | string;
  badSignature: boolean;
}

const NO_FAULTS: SimDeliveryFaults = {
  duplicate: 0,
  drop: 0,
  badSignature: 0,
  reorder: 0,
  delayMs: 0,
  down: false,
};

export class SimWebhooks {
  readonly secrets: Array<{ id: number; value: string; validFrom: string }> = [];
  readonly webhooks = new Map<string, SimWebhook>();
  readonly subscriptions = new Map<string, SimUserSubscription>();
  readonly deliveries: SimDelivery[] = [];
  faults: SimDeliveryFaults = { ...NO_FAULTS };
  /** GET checks made of callback URLs (create/activate). */
  readonly checks: Array<{ url: string; status: number | string }> = [];
  private serial = 0;
  private readonly held: Array<() => Promise<void>> = [];
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly store: SimStore) {
    store.listeners.add((c) => this.onChange(c));
  }

  nextKey(kind: string): string {
    return simUuid(this.store.seed, kind, ++this.serial);
  }

  now(): string {
    return new Date(this.store.nowMs()).toISOString();
  }

  /** The secret in force (the newest whose validFrom has come). */
  currentSecret(): string | undefined {
    const now = this.store.nowMs();
    return [...this.secrets].reverse().find((s) => Date.parse(s.validFrom) <= now)?.value;
  }

  setFaults(patch: Partial<SimDeliveryFaults>): SimDeliveryFaults {
    this.faults = { ...this.faults, ...patch };
    return this.faults;
  }

  clearFaults(): void {
    this.faults = { ...NO_FAULTS };
    void this.flushHeld();
  }

  /** Resolves once every delivery started so far has finished (tests wait on it; no sleeps). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** GoTo's check of a callback URL: a GET that must answer 200. */
  async check(url: string): Promise<boolean> {
    try {
      const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(5000) });
      this.checks.push({ url, status: res.status });
      return res.status === 200;
    } catch (e) {
      this.checks.push({ url, status: (e as Error).name });
      return false;
    }
  }

  private onChange(change: SimChange): void {
    const organizerKey = change.webinar.organizerKey;
    const hooks = [...this.webhooks.values()].filter(
      (h) => h.state === 'ACTIVE' && h.eventName === change.kind,
    );
    for (const hook of hooks) {
      const subs = [...this.subscriptions.values()].filter(
        (s) =>
          s.organizerKey === organizerKey &&
          s.webhookKey === hook.webhookKey &&
          s.userSubscriptionState === 'ACTIVE',
      );
      for (const sub of subs) {
        const eventKey = this.nextKey('event');
        const body = webhookPayload(
          change,
          this.store.organizer(organizerKey),
          eventKey,
          this.store.nowMs(),
        );
        this.schedule(change.kind, eventKey, sub.callbackUrl, body);
      }
    }
  }

  private schedule(eventName: string, eventKey: string, url: string, body: string): void {
    const f = this.faults;
    const log = (result: number | string, badSignature = false) =>
      this.deliveries.push({ eventName, eventKey, callbackUrl: url, result, badSignature });
    if (f.drop > 0) {
      f.drop--;
      log('dropped');
      return;
    }
    const bad = f.badSignature > 0;
    if (bad) f.badSignature--;
    const copies = f.duplicate > 0 ? 2 : 1;
    if (f.duplicate > 0) f.duplicate--;
    const send = async () => {
      for (let i = 0; i < copies; i++) log(await this.post(url, body, bad), bad);
    };
    if (f.reorder > 0) {
      f.reorder--;
      this.held.push(send);
      if (f.reorder === 0) void this.flushHeld();
      return;
    }
    this.track(send());
  }

  private async flushHeld(): Promise<void> {
    const batch = this.held.splice(0).reverse();
    const run = (async () => {
      for (const send of batch) await send();
    })();
    this.track(run);
    await run;
  }

  private track(p: Promise<void>): void {
    const q = p.catch(() => undefined);
    this.inflight.add(q);
    void q.finally(() => this.inflight.delete(q));
  }

  private async post(url: string, body: string, badSignature: boolean): Promise<number | string> {
    if (this.faults.delayMs > 0) await new Promise((r) => setTimeout(r, this.faults.delayMs));
    if (this.faults.down) return 'down';
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const secret = this.currentSecret();
    if (secret) {
      const ts = String(Math.floor(Date.now() / 1000));
      const key = badSignature ? `${secret}-wrong` : secret;
      headers['x-webinar-signature-timestamp'] = ts;
      headers['x-webinar-signature'] = createHmac('sha256', key)
        .update(`${ts}.${body}`)
        .digest('base64');
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 'error';
    }
  }
}
