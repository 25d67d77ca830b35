// GoTo's authentication host (oauth/token, oauth/authorize) and the "who am I" endpoints.
import { AccessToken, SCOPE } from './sim-auth';
import { SimContext, invalidToken, oauthError } from './sim-context';
import { SimReply, SimRequest, SimRouter, json } from './sim-http';
import { num } from './sim-json';
import { SimOrganizer } from './sim-types';

export function bearer(ctx: SimContext, req: SimRequest): AccessToken | SimReply {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const token = m ? ctx.auth.checkAccess(m[1]) : undefined;
  return token ?? invalidToken();
}

function clientOf(ctx: SimContext, req: SimRequest, form: URLSearchParams): string | SimReply {
  let id = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (m) {
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    id = decodeURIComponent(decoded.slice(0, i < 0 ? decoded.length : i));
    secret = i < 0 ? '' : decodeURIComponent(decoded.slice(i + 1));
  }
  if (id !== ctx.settings.clientId || secret !== ctx.settings.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed.');
  }
  return id;
}

function tokenResponse(
  ctx: SimContext,
  org: SimOrganizer,
  clientId: string,
  origin: string,
  refresh?: string,
): SimReply {
  const body: Record<string, unknown> = {
    access_token: ctx.auth.issueAccess(
      org.organizerKey,
      clientId,
      ctx.settings.tokenTtlSeconds,
      origin,
    ),
    token_type: 'Bearer',
    refresh_token: refresh ?? ctx.auth.issueRefresh(org.organizerKey, clientId, origin),
    expires_in: ctx.settings.tokenTtlSeconds,
    scope: SCOPE,
    principal: org.email,
  };
  return json(200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

type GrantHandler = (ctx: SimContext, form: URLSearchParams, client: string) => SimReply;

const badGrant = (description: string) => oauthError(400, 'invalid_grant', description);
const missing = (what: string) => oauthError(400, 'invalid_request', `Missing ${what}.`);

const GRANTS: Record<string, GrantHandler> = {
  password: (ctx, form, client) => {
    if (!ctx.settings.passwordGrant) {
      return oauthError(
        401,
        'invalid_client',
        'Unauthorized grant type: password (Direct Login) is not enabled for this client. Use the authorization code or personal access token grant.',
      );
    }
    const username = (form.get('username') ?? '').toLowerCase();
    if (!username || !form.get('password')) return missing('username or password');
    const org = ctx.store.organizers.find((o) => !o.removed && o.email.toLowerCase() === username);
    if (!org || org.password !== form.get('password')) return badGrant('Bad credentials');
    return tokenResponse(ctx, org, client, 'pwd');
  },
  personal_access_token: (ctx, form, client) => {
    const pat = form.get('pat');
    if (!pat) return missing('pat');
    const org = ctx.store.organizers.find((o) => !o.removed && o.personalAccessToken === pat);
    if (!org) return badGrant('Invalid personal access token.');
    return tokenResponse(ctx, org, client, 'pat');
  },
  authorization_code: (ctx, form, client) => {
    const code = form.get('code');
    if (!code) return missing('code');
    const c = ctx.auth.useCode(
      code,
      client,
      form.get('redirect_uri') ?? undefined,
      form.get('code_verifier') ?? undefined,
    );
    if (c === 'mismatch') return badGrant('Redirect URI mismatch.');
    if (c === 'pkce') return badGrant('PKCE verification failed.');
    const org = c && ctx.store.activeOrganizer(c.organizerKey);
    if (!org) return badGrant('Invalid authorization code.');
    return tokenResponse(ctx, org, client, 'ac');
  },
  refresh_token: (ctx, form, client) => {
    const token = form.get('refresh_token');
    if (!token) return missing('refresh_token');
    const r = ctx.auth.useRefresh(token, client);
    const org = r && ctx.store.activeOrganizer(r.organizerKey);
    if (!org) return badGrant('Invalid refresh token.');
    if (ctx.settings.rotateRefreshTokens) {
      ctx.auth.dropRefresh(token);
      return tokenResponse(ctx, org, client, 'rt');
    }
    // GoTo omits refresh_token (and sometimes token_type) when it did not issue a new one.
    const ttl = ctx.settings.tokenTtlSeconds;
    return json(200, {
      access_token: ctx.auth.issueAccess(org.organizerKey, client, ttl, 'rt'),
      expires_in: ttl,
      scope: SCOPE,
      principal: org.email,
    });
  },
};

function tokenGrant(ctx: SimContext, req: SimRequest): SimReply {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return oauthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded.',
    );
  }
  const form = new URLSearchParams(req.body);
  const client = clientOf(ctx, req, form);
  if (typeof client !== 'string') return client;
  const grant = form.get('grant_type');
  if (grant === null) return missing('grant_type');
  const handler = Object.hasOwn(GRANTS, grant) ? GRANTS[grant] : undefined;
  if (!handler)
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
  return handler(ctx, form, client);
}

function authorize(ctx: SimContext, req: SimRequest): SimReply {
  const q = req.query;
  if (q.get('client_id') !== ctx.settings.clientId)
    return oauthError(400, 'invalid_client', 'Unknown client_id.');
  const redirect = q.get('redirect_uri');
  if (!redirect || !/^https?:\/\//.test(redirect))
    return oauthError(400, 'invalid_request', 'Missing or invalid redirect_uri.');
  const target = new URL(redirect);
  const state = q.get('state');
  if (state !== null) target.searchParams.set('state', state);
  const fail = (error: string) => {
    target.searchParams.set('error', error);
    return { status: 302, headers: { Location: target.toString() } };
  };
  if (q.get('response_type') !== 'code') return fail('unsupported_response_type');
  // PKCE: S256 only (GoTo's metadata lists S256); a 43-128 character base64url challenge.
  const challenge = q.get('code_challenge') ?? undefined;
  if (challenge !== undefined) {
    if (q.get('code_challenge_method') !== 'S256' || !/^[\w-]{43,128}$/.test(challenge))
      return fail('invalid_request');
  }
  const hint = q.get('login_hint')?.toLowerCase();
  const { store } = ctx;
  const org = hint
    ? store.organizers.find((o) => !o.removed && o.email.toLowerCase() === hint)
    : ((ctx.auth.authorizeAs && store.activeOrganizer(ctx.auth.authorizeAs)) ??
      store.organizers.find((o) => !o.removed));
  if (!org) return fail('access_denied');
  target.searchParams.delete('state');
  target.searchParams.set(
    'code',
    ctx.auth.issueCode(org.organizerKey, ctx.settings.clientId, redirect, challenge),
  );
  if (state !== null) target.searchParams.set('state', state);
  return { status: 302, headers: { Location: target.toString() } };
}

function usersMe(ctx: SimContext, req: SimRequest): SimReply {
  const t = bearer(ctx, req);
  if ('status' in t) return t;
  const org = ctx.store.activeOrganizer(t.organizerKey);
  if (!org) {
    return json(404, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'User not found',
    });
  }
  return json(200, {
    schemas: ['urn:scim:schemas:core:1.0'],
    id: org.organizerKey,
    userName: org.email,
    displayName: `${org.firstName} ${org.lastName}`,
    name: { familyName: org.lastName, givenName: org.firstName },
    emails: [{ value: org.email, type: 'work', primary: true }],
    locale: org.locale,
    timezone: org.timeZone,
    title: '',
    accounts: [{ value: org.accountKey, display: org.accountName }],
  });
}

function adminMe(ctx: SimContext, req: SimRequest): SimReply {
  const t = bearer(ctx, req);
  if ('status' in t) return t;
  const org = ctx.store.activeOrganizer(t.organizerKey);
  if (!org) return json(404, { errorCode: 'NotFound', description: 'User not found' });
  return json(200, {
    key: num(org.organizerKey),
    accountKey: num(org.accountKey),
    email: org.email,
    firstName: org.firstName,
    lastName: org.lastName,
    locale: org.locale,
    timeZone: org.timeZone,
    createTime: '2019-04-02T08:15:00.000Z',
  });
}

export function addOauthRoutes(router: SimRouter, ctx: SimContext): void {
  router
    .add('POST', '/oauth/token', (req) => tokenGrant(ctx, req))
    .add('GET', '/oauth/authorize', (req) => authorize(ctx, req))
    .add('GET', '/identity/v1/Users/me', (req) => usersMe(ctx, req))
    .add('GET', '/admin/rest/v1/me', (req) => adminMe(ctx, req));
}
