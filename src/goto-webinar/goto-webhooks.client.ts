import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { GotoAuthService } from './goto-auth.service';
import { GotoHttpService } from './goto-http.service';
import { fieldPath, Json, optArr, optStr, readObject, readString } from './goto-json-readers';
import { mapPayload } from './goto-payloads';
import { OrganizerAuth } from './goto-webinar.types';

export type GotoWebhookState = 'ACTIVE' | 'INACTIVE';

export interface GotoWebhook {
  webhookKey: string;
  callbackUrl: string;
  eventName: string;
  state: string;
}

export interface GotoUserSubscription {
  userSubscriptionKey: string;
  webhookKey: string;
  callbackUrl: string;
  userSubscriptionState: string;
  /** ACTIVE only when both the webhook and the subscription are ACTIVE. */
  activationState?: string;
}

const E = {
  secret: 'POST /webhooks/secretkey',
  listWebhooks: 'GET /webhooks',
  createWebhooks: 'POST /webhooks',
  updateWebhooks: 'PUT /webhooks',
  listSubscriptions: 'GET /userSubscriptions',
  createSubscriptions: 'POST /userSubscriptions',
  updateSubscriptions: 'PUT /userSubscriptions',
} as const;

// GoTo's webhook API (goto-webinar-api.md §6.1): the developer-level secret key and webhooks, and
// each organizer's user subscriptions (made with that organizer's own token). Keys are strings.
@Injectable()
export class GotoWebhooksClient {
  constructor(
    private readonly http: GotoHttpService,
    private readonly auth: GotoAuthService,
    private readonly config: AppConfig,
  ) {}

  /** A new secret key for the whole OAuth client, active now. GoTo has no call to read it back. */
  createSecretKey(auth: OrganizerAuth): Promise<{ id: string; value: string }> {
    return this.call(auth, 'POST', '/webhooks/secretkey', E.secret, {}, (j) => {
      const o = readObject(j, '');
      return { id: optStr(o.id, 'id') ?? '', value: readString(o.value, 'value') };
    });
  }

  listWebhooks(auth: OrganizerAuth): Promise<GotoWebhook[]> {
    return this.call(auth, 'GET', '/webhooks?product=g2w', E.listWebhooks, undefined, (j) =>
      embedded(j, 'webhooks').map((w, i) => webhook(w, `_embedded.webhooks[${i}]`)),
    );
  }

  /** Creates webhooks (INACTIVE); GoTo first checks each callback URL with a GET that must answer 200. */
  createWebhooks(
    auth: OrganizerAuth,
    items: Array<{ callbackUrl: string; eventName: string }>,
  ): Promise<GotoWebhook[]> {
    const body = items.map((i) => ({ ...i, eventVersion: '1.0.0', product: 'g2w' }));
    return this.call(auth, 'POST', '/webhooks', E.createWebhooks, body, (j) =>
      embedded(j, 'webhooks').map((w, i) => webhook(w, `_embedded.webhooks[${i}]`)),
    );
  }

  async setWebhookStates(
    auth: OrganizerAuth,
    items: Array<{ webhookKey: string; state: GotoWebhookState }>,
  ): Promise<void> {
    await this.call(auth, 'PUT', '/webhooks', E.updateWebhooks, items, () => undefined);
  }

  listUserSubscriptions(auth: OrganizerAuth): Promise<GotoUserSubscription[]> {
    return this.call(
      auth,
      'GET',
      '/userSubscriptions?product=g2w',
      E.listSubscriptions,
      undefined,
      (j) =>
        embedded(j, 'userSubscriptions').map((s, i) =>
          subscription(s, `_embedded.userSubscriptions[${i}]`),
        ),
    );
  }

  createUserSubscriptions(
    auth: OrganizerAuth,
    items: Array<{ webhookKey: string; callbackUrl: string }>,
  ): Promise<GotoUserSubscription[]> {
    const body = items.map((i) => ({ ...i, userSubscriptionState: 'ACTIVE' }));
    return this.call(auth, 'POST', '/userSubscriptions', E.createSubscriptions, body, (j) =>
      embedded(j, 'userSubscriptions').map((s, i) =>
        subscription(s, `_embedded.userSubscriptions[${i}]`),
      ),
    );
  }

  async setUserSubscriptionStates(
    auth: OrganizerAuth,
    items: Array<{
      webhookKey: string;
      userSubscriptionKey: string;
      userSubscriptionState: GotoWebhookState;
    }>,
  ): Promise<void> {
    await this.call(
      auth,
      'PUT',
      '/userSubscriptions',
      E.updateSubscriptions,
      items,
      () => undefined,
    );
  }

  private call<T>(
    auth: OrganizerAuth,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    endpoint: string,
    body: unknown,
    map: (json: Json) => T,
  ): Promise<T> {
    return this.http.request(
      {
        method,
        url: `${this.config.goto.apiUrl}/G2W/rest/v2${path}`,
        endpoint,
        kind: 'api',
        data: body === undefined ? undefined : JSON.stringify(body),
      },
      // 204 answers have no body: parsed as empty, mapped to nothing.
      (json) => mapPayload(endpoint, json, map),
      this.auth.tokenSource(auth),
    );
  }
}

/** `_embedded.<name>` of a HAL answer; an answer without it (no items) is an empty list. */
function embedded(j: Json, name: string): Json[] {
  if (Array.isArray(j)) return j;
  if (j === undefined || j === null || j === '') return [];
  const e = readObject(j, '')._embedded;
  if (e === undefined || e === null) return [];
  return optArr(readObject(e, '_embedded')[name], fieldPath('_embedded', name)) ?? [];
}

function webhook(v: Json, path: string): GotoWebhook {
  const o = readObject(v, path);
  return {
    webhookKey: keyText(o.webhookKey, fieldPath(path, 'webhookKey')),
    callbackUrl: readString(o.callbackUrl, fieldPath(path, 'callbackUrl')),
    eventName: readString(o.eventName, fieldPath(path, 'eventName')),
    state: optStr(o.state ?? o.webhookState, fieldPath(path, 'state')) ?? 'INACTIVE',
  };
}

function subscription(v: Json, path: string): GotoUserSubscription {
  const o = readObject(v, path);
  return {
    userSubscriptionKey: keyText(o.userSubscriptionKey, fieldPath(path, 'userSubscriptionKey')),
    webhookKey: keyText(o.webhookKey, fieldPath(path, 'webhookKey')),
    callbackUrl: readString(o.callbackUrl, fieldPath(path, 'callbackUrl')),
    userSubscriptionState:
      optStr(o.userSubscriptionState, fieldPath(path, 'userSubscriptionState')) ?? 'INACTIVE',
    activationState: optStr(o.activationState, fieldPath(path, 'activationState')),
  };
}

/** Webhook and subscription keys are UUID-like strings in GoTo's samples; numbers are kept exact. */
function keyText(v: Json, path: string): string {
  const s = optStr(v, path);
  if (!s) return readString(v, path);
  return s;
}
