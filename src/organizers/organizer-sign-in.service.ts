import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { gotoHttpError } from '../goto-webinar/goto-http-errors';
import { GotoWebinarClient } from '../goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../goto-webinar/goto-webinar.errors';
import { GotoIdentity, OrganizerCredentials } from '../goto-webinar/goto-webinar.types';

/** A verified sign-in: who GoTo says the credentials belong to, and the credentials to store. */
export interface Verified {
  identity: GotoIdentity;
  credentials: OrganizerCredentials;
}

// Checks credentials against GoTo before anything is stored (linking, new credentials, the OAuth
// callback). A failed sign-in answers as HTTP with the credential field named.
@Injectable()
export class OrganizerSignInService {
  constructor(private readonly client: GotoWebinarClient) {}

  /** Fresh sign-in with credentials not stored yet (own cache key, dropped afterwards). */
  async verify(credentials: OrganizerCredentials): Promise<Verified> {
    const cacheKey = `organizer:verify:${randomUUID()}`;
    let current = credentials;
    const field =
      credentials.method === 'password'
        ? 'password'
        : credentials.method === 'personal_access_token'
          ? 'personalAccessToken'
          : 'code';
    try {
      const identity = await this.client.signIn({
        cacheKey,
        credentials,
        // An oauth sign-in may rotate the refresh token: store the newest one.
        onRefreshTokenRotated: async (refreshToken) => {
          current = { method: 'oauth', refreshToken };
        },
      });
      return { identity, credentials: current };
    } catch (e) {
      throw e instanceof GotoWebinarError ? gotoHttpError(e, { credentialField: field }) : e;
    } finally {
      this.client.forget(cacheKey);
    }
  }
}
