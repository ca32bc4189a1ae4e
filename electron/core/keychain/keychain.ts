/**
 * The OS keychain as a port. The vault key is stored under service "Keyward",
 * one entry per vault and key id. When there is no keychain (no Secret Service,
 * a headless session) the adapter says why, and the vault opens with the
 * master password alone — never with a plaintext fallback.
 */
export const KEYCHAIN_SERVICE = 'Keyward';

export function keychainAccount(vaultId: string, keyId: string): string {
  return `vault:${vaultId}:key:${keyId}`;
}

export class KeychainUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'KeychainUnavailableError';
  }
}

export interface Keychain {
  /** Null when there is no such entry. Throws KeychainUnavailableError when there is no keychain. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when an entry was deleted. */
  delete(account: string): Promise<boolean>;
}

/** A keychain that is never there: `--no-keychain`, or a platform without one. */
export function disabledKeychain(reason: string): Keychain {
  const refuse = async (): Promise<never> => {
    throw new KeychainUnavailableError(reason);
  };
  return { get: refuse, set: refuse, delete: refuse };
}

/** In-memory keychain for unit tests. */
export class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  async get(account: string): Promise<string | null> {
    return this.entries.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.entries.set(account, secret);
  }
  async delete(account: string): Promise<boolean> {
    return this.entries.delete(account);
  }
}
