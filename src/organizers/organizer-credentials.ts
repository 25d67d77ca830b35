import { CipherContext, CredentialCipher } from '../common/credential-cipher';
import { fieldError } from '../common/errors/domain-error';
import { OrganizerCredentials } from '../goto-webinar/goto-webinar.types';
import { UpdateOrganizerDto } from './organizer.dto';
import { Organizer } from './organizer.entity';

/**
 * The associated data of an organizer's stored credentials: its account and GoTo organizer key
 * (unique per account). A ciphertext copied to another organizer row does not decrypt there.
 */
export function credentialsContext(accountId: number, organizerKey: string): CipherContext {
  return { purpose: 'organizer-credentials', accountId, organizerKey };
}

/** The credentials a new organizer's request body signs in with (password or token); undefined if neither. */
export function credentialsFromBody(
  email: string,
  body: { password?: string; personalAccessToken?: string },
): OrganizerCredentials | undefined {
  if (body.password !== undefined && body.personalAccessToken !== undefined) {
    throw fieldError(
      'bad_request',
      'personalAccessToken',
      'send either password or personalAccessToken, not both',
    );
  }
  if (body.password !== undefined) return { method: 'password', email, password: body.password };
  if (body.personalAccessToken !== undefined)
    return {
      method: 'personal_access_token',
      email,
      personalAccessToken: body.personalAccessToken,
    };
  return undefined;
}

/** The credentials an update signs in with, when it changes them; undefined when it does not. */
export function changedCredentials(
  cipher: CredentialCipher,
  o: Organizer,
  dto: UpdateOrganizerDto,
): OrganizerCredentials | undefined {
  if (dto.personalAccessToken !== undefined) {
    return {
      method: 'personal_access_token',
      email: dto.email ?? o.email,
      personalAccessToken: dto.personalAccessToken,
    };
  }
  if (dto.password !== undefined)
    return { method: 'password', email: dto.email ?? o.email, password: dto.password };
  // A new email alone is a new sign-in only for email + password (it is a label for the other methods).
  if (dto.email !== undefined && dto.email !== o.email && o.authMethod === 'password') {
    const stored = cipher.decryptJson<OrganizerCredentials>(
      o.credentialsEncrypted,
      credentialsContext(o.accountId, o.organizerKey),
      { legacy: true },
    );
    if (stored.method === 'password') return { ...stored, email: dto.email };
  }
  return undefined;
}
