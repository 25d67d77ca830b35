import { CipherContext } from '../common/credential-cipher';

/**
 * The associated data of an organizer's stored credentials: its account and GoTo organizer key
 * (unique per account). A ciphertext copied to another organizer row does not decrypt there.
 */
export function credentialsContext(accountId: number, organizerKey: string): CipherContext {
  return { purpose: 'organizer-credentials', accountId, organizerKey };
}
