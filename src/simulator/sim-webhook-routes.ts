// GoTo's webhook API (goto-webinar-api.md §6.1) under /G2W/rest/v2, and /_sim/webhooks control.
import { SimContext, restError } from './sim-context';
import { SimReply, SimRequest, SimRouter, json } from './sim-http';
import { bearer } from './sim-oauth-routes';
import { SIM_WEBHOOK_EVENTS, SimDeliveryFaults, SimWebhook, SimWebhooks } from './sim-webhooks';

const BASE = '/G2W/rest/v2';
type Item = Record<string, unknown>;

function items(req: SimRequest): Item[] | SimReply {
  try {
    const v: unknown = JSON.parse(req.body || '[]');
    if (Array.isArray(v) && v.every((x) => x && typeof x === 'object')) return v as Item[];
  } catch {
    // answered below
  }
  return restError(400, 'InvalidRequest', 'Expected a JSON array.', req.path);
}

const okUrl = (u: unknown): u is string =>
  typeof u === 'string' &&
  (/^https:\/\//.test(u) || /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(u));

const hookView = (h: SimWebhook) => ({ ...h });

export function addWebhookRoutes(router: SimRouter, ctx: SimContext, hooks: SimWebhooks): void {
  // Every call needs a valid token of our client; webhooks are the client's, subscriptions the user's.
  const authed =
    (h: (req: SimRequest, organizerKey: string) => SimReply | Promise<SimReply>) =>
    (req: SimRequest) => {
      const t = bearer(ctx, req);
      if ('status' in t) return t;
      if (!ctx.store.activeOrganizer(t.organizerKey))
        return restError(403, 'AccessDenied', 'The token does not grant access.', req.path);
      return h(req, t.organizerKey);
    };

  router
    .add(
      'POST',
      `${BASE}/webhooks/secretkey`,
      authed((req) => {
        let validFrom = hooks.now();
        try {
          const b = JSON.parse(req.body || '{}') as { validFrom?: unknown };
          if (typeof b.validFrom === 'string' && !Number.isNaN(Date.parse(b.validFrom)))
            validFrom = new Date(b.validFrom).toISOString();
        } catch {
          return restError(400, 'InvalidRequest', 'Malformed JSON.', req.path);
        }
        const secret = { id: hooks.secrets.length + 63, value: hooks.nextKey('secret'), validFrom };
        hooks.secrets.push(secret);
        return json(200, secret);
      }),
    )
    .add(
      'GET',
      `${BASE}/webhooks`,
      authed(() =>
        json(200, { _embedded: { webhooks: [...hooks.webhooks.values()].map(hookView) } }),
      ),
    )
    .add(
      'POST',
      `${BASE}/webhooks`,
      authed(async (req) => {
        const list = items(req);
        if (!Array.isArray(list)) return list;
        const created: SimWebhook[] = [];
        for (const it of list) {
          if (!okUrl(it.callbackUrl) || !SIM_WEBHOOK_EVENTS.includes(String(it.eventName)))
            return restError(
              400,
              'InvalidRequest',
              'callbackUrl (https) and eventName required.',
              req.path,
            );
          if (!(await hooks.check(it.callbackUrl)))
            return restError(
              400,
              'InvalidRequest',
              'The callback URL did not answer 200 to GET.',
              req.path,
            );
          created.push({
            webhookKey: hooks.nextKey('webhook'),
            callbackUrl: it.callbackUrl,
            eventName: String(it.eventName),
            eventVersion: '1.0.0',
            product: 'g2w',
            state: 'INACTIVE',
            createTime: hooks.now(),
          });
        }
        for (const h of created) hooks.webhooks.set(h.webhookKey, h);
        return json(200, { _embedded: { webhooks: created.map(hookView) } });
      }),
    )
    .add(
      'PUT',
      `${BASE}/webhooks`,
      authed(async (req) => {
        const list = items(req);
        if (!Array.isArray(list)) return list;
        for (const it of list) {
          const h = hooks.webhooks.get(String(it.webhookKey));
          if (!h) return restError(404, 'NotFound', 'Webhook not found.', req.path);
          const url = okUrl(it.callbackUrl) ? it.callbackUrl : h.callbackUrl;
          const state = it.state ?? it.webhookState;
          if (state === 'ACTIVE' && !(await hooks.check(url)))
            return restError(
              400,
              'InvalidRequest',
              'The callback URL did not answer 200 to GET.',
              req.path,
            );
          h.callbackUrl = url;
          if (state === 'ACTIVE' || state === 'INACTIVE') h.state = state;
        }
        return { status: 204 };
      }),
    )
    .add(
      'DELETE',
      `${BASE}/webhooks`,
      authed((req) => {
        for (const k of keys(req)) hooks.webhooks.delete(k);
        return { status: 202 };
      }),
    )
    .add(
      'GET',
      `${BASE}/webhooks/{webhookKey}`,
      authed((req) => {
        const h = hooks.webhooks.get(req.params.webhookKey);
        return h
          ? json(200, hookView(h))
          : restError(404, 'NotFound', 'Webhook not found.', req.path);
      }),
    )
    .add(
      'GET',
      `${BASE}/userSubscriptions`,
      authed((_req, org) =>
        json(200, {
          _embedded: {
            userSubscriptions: [...hooks.subscriptions.values()]
              .filter((s) => s.organizerKey === org)
              .map((s) => subView(hooks, s)),
          },
        }),
      ),
    )
    .add(
      'POST',
      `${BASE}/userSubscriptions`,
      authed((req, org) => {
        const list = items(req);
        if (!Array.isArray(list)) return list;
        const made = [];
        for (const it of list) {
          if (!hooks.webhooks.has(String(it.webhookKey)) || !okUrl(it.callbackUrl))
            return restError(
              400,
              'InvalidRequest',
              'webhookKey and callbackUrl required.',
              req.path,
            );
          const s = {
            userSubscriptionKey: hooks.nextKey('subscription'),
            organizerKey: org,
            webhookKey: String(it.webhookKey),
            callbackUrl: it.callbackUrl,
            userSubscriptionState: it.userSubscriptionState === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
            createTime: hooks.now(),
          } as const;
          hooks.subscriptions.set(s.userSubscriptionKey, { ...s });
          made.push(subView(hooks, s));
        }
        return json(200, { _embedded: { userSubscriptions: made } });
      }),
    )
    .add(
      'PUT',
      `${BASE}/userSubscriptions`,
      authed((req, org) => {
        const list = items(req);
        if (!Array.isArray(list)) return list;
        for (const it of list) {
          const s = hooks.subscriptions.get(String(it.userSubscriptionKey));
          if (!s || s.organizerKey !== org)
            return restError(404, 'NotFound', 'User subscription not found.', req.path);
          if (it.userSubscriptionState === 'ACTIVE' || it.userSubscriptionState === 'INACTIVE')
            s.userSubscriptionState = it.userSubscriptionState;
          if (okUrl(it.callbackUrl)) s.callbackUrl = it.callbackUrl;
        }
        return { status: 204 };
      }),
    )
    .add(
      'DELETE',
      `${BASE}/userSubscriptions`,
      authed((req, org) => {
        for (const k of keys(req))
          if (hooks.subscriptions.get(k)?.organizerKey === org) hooks.subscriptions.delete(k);
        return { status: 202 };
      }),
    )
    .add(
      'GET',
      `${BASE}/userSubscriptions/{key}`,
      authed((req, org) => {
        const s = hooks.subscriptions.get(req.params.key);
        return s && s.organizerKey === org
          ? json(200, subView(hooks, s))
          : restError(404, 'NotFound', 'User subscription not found.', req.path);
      }),
    );
}

function keys(req: SimRequest): string[] {
  try {
    const v: unknown = JSON.parse(req.body || '[]');
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

function subView(
  hooks: SimWebhooks,
  s: { webhookKey: string; userSubscriptionState: string } & object,
) {
  const h = hooks.webhooks.get(s.webhookKey);
  const { organizerKey: _omit, ...rest } = s as typeof s & { organizerKey?: string };
  return {
    ...rest,
    eventName: h?.eventName,
    eventVersion: '1.0.0',
    product: 'g2w',
    activationState:
      h?.state === 'ACTIVE' && s.userSubscriptionState === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE',
  };
}

/** /_sim/webhooks: the state, the delivery log, and delivery faults. */
export function addWebhookControlRoutes(router: SimRouter, hooks: SimWebhooks): void {
  router
    .add('GET', '/_sim/webhooks', () =>
      json(200, {
        secretKeys: hooks.secrets.length,
        webhooks: [...hooks.webhooks.values()],
        userSubscriptions: [...hooks.subscriptions.values()],
        faults: hooks.faults,
        checks: hooks.checks,
        deliveries: hooks.deliveries,
      }),
    )
    .add('PATCH', '/_sim/webhooks/faults', (req) => {
      try {
        return json(
          200,
          hooks.setFaults(JSON.parse(req.body || '{}') as Partial<SimDeliveryFaults>),
        );
      } catch {
        return json(400, { error: 'bad_request', message: 'expected a JSON object' });
      }
    })
    .add('DELETE', '/_sim/webhooks/faults', () => {
      hooks.clearFaults();
      return { status: 204 };
    });
}
