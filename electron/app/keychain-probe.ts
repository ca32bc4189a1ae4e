/** Finds out once whether an OS keychain is reachable, and if not, why. */
import { KeychainUnavailableError, type Keychain } from '../core/keychain/keychain.js';

export async function keychainUnavailableReason(keychain: Keychain): Promise<string | null> {
  try {
    await keychain.get('keyward-availability-probe');
    return null;
  } catch (err) {
    return err instanceof KeychainUnavailableError ? err.reason : 'The OS keychain could not be reached.';
  }
}
