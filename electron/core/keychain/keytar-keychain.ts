/**
 * The real keychain adapter, through keytar (macOS Keychain, Windows Credential
 * Manager, libsecret / Secret Service on Linux). keytar is loaded on first use,
 * so commands that never touch the keychain do not pay for the native module.
 */
import { KEYCHAIN_SERVICE, KeychainUnavailableError, type Keychain } from './keychain.js';

type Keytar = typeof import('keytar');

let loaded: Promise<Keytar> | null = null;

function loadKeytar(): Promise<Keytar> {
  loaded ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? m) as Keytar);
  return loaded;
}

/** Translates keytar's platform errors into one explanation a person can act on. */
function explain(err: unknown): KeychainUnavailableError {
  const text = err instanceof Error ? err.message : String(err);
  if (/D-Bus|dbus|org\.freedesktop\.secrets|secret service/i.test(text))
    return new KeychainUnavailableError(
      'No OS keychain is reachable (no Secret Service on D-Bus — e.g. a headless or SSH session). Unlock with the master password instead.',
    );
  if (/locked collection|prompt|dismissed|cancel/i.test(text))
    return new KeychainUnavailableError('The OS keychain is locked or the request was dismissed. Unlock the keychain, or use the master password.');
  if (/Cannot find module|keytar\.node|NODE_MODULE_VERSION|was compiled against/i.test(text))
    return new KeychainUnavailableError('The keychain module is not installed for this platform. Use the master password.');
  return new KeychainUnavailableError('The OS keychain refused the request. Use the master password.');
}

async function call<T>(op: (k: Keytar) => Promise<T>): Promise<T> {
  try {
    return await op(await loadKeytar());
  } catch (err) {
    throw explain(err);
  }
}

export const keytarKeychain: Keychain = {
  get: (account) => call((k) => k.getPassword(KEYCHAIN_SERVICE, account)),
  set: (account, secret) => call((k) => k.setPassword(KEYCHAIN_SERVICE, account, secret)),
  delete: (account) => call((k) => k.deletePassword(KEYCHAIN_SERVICE, account)),
};
