/**
 * The vault domain: its lifecycle (create, unlock, lock, choose another file),
 * the master password and the keychain, backups and restore, key rotation, and
 * what to do when the file on disk became an older copy.
 */
import type { BackupInfo, CredentialChanges } from '../domain.js';
import type { AppState, LockReason } from './app.js';

export interface BackupPreview {
  file: string;
  createdAt: string;
  credentialCount: number;
  /** The first names, for recognising the backup (metadata only). */
  sampleNames: string[];
  generation?: number;
  /** What restoring it would lose: the changes the vault has now that the backup does not. */
  lostOnRestore?: CredentialChanges;
  /**
   * What opened it: the key in memory, or a master password — the current one or the
   * one that was current when the backup was written (after a password change or key rotation).
   */
  openedWith?: 'vault-key' | 'current-password' | 'earlier-password';
}

export interface VaultApi {
  'vault.create': {
    /** allowWeakPassword: the person chose a master password below the minimum on purpose (recorded in the audit log). */
    request: { password: string; useKeychain: boolean; kdfIterations?: number; allowWeakPassword?: boolean };
    response: { state: AppState; keychainNote: string | null };
  };
  /**
   * `acceptOlder`: the person chose to open a file that is an older copy than
   * one seen before (the first try answered OLDER_COPY); it is recorded and saved as the newest.
   */
  'vault.unlock': { request: ({ method: 'password'; password: string } | { method: 'keychain' }) & { acceptOlder?: boolean }; response: AppState };
  'vault.lock': { request: Record<string, never>; response: AppState };
  /** Lets the user pick another vault file (a native dialog in the app); the current vault is locked first. */
  'vault.chooseFile': { request: { mode: 'open' | 'create' }; response: AppState };
  /** `allowWeakPassword`: the person chose a new password below the minimum on purpose (recorded in the audit log). */
  'vault.changePassword': { request: { currentPassword: string; newPassword: string; allowWeakPassword?: boolean }; response: { changed: true } };
  /** Turning the keychain on needs the master password again (`password`). */
  'vault.setKeychain': { request: { enabled: boolean; password?: string }; response: { state: AppState; note: string | null } };
  'vault.listBackups': { request: Record<string, never>; response: BackupInfo[] };
  /**
   * Opens a backup read-only. A backup made under an earlier vault key needs `password`: the
   * master password that was current when it was written (checked under the same lockout as unlock).
   */
  'vault.previewBackup': { request: { file: string; password?: string }; response: BackupPreview };
  /** `password`: asked when the restore would take a credential out of a custom rule, or the backup predates a vault key rotation. */
  'vault.restoreBackup': { request: { file?: string; password?: string }; response: AppState };
  /**
   * While the vault cannot be opened (a damaged file): every backup with what it holds, for those
   * the master password opens. One password check, counted under the same lockout as unlock.
   */
  'vault.inspectBackups': { request: { password: string }; response: BackupInfo[] };
  'vault.rotateKey': { request: { password: string }; response: AppState };
  /** After an older copy replaced the file: write the session's newer state back over it. */
  'vault.keepSessionState': { request: Record<string, never>; response: AppState };
  /** After an older copy replaced the file: lock, so the next unlock opens the file as it is. */
  'vault.reopen': { request: Record<string, never>; response: AppState };
}

/** Long work over the whole vault that main reports as it goes: re-encrypting every value under a new vault key. */
export type VaultOperation = 'rotate-key';

export type VaultEvent =
  | { type: 'locked'; reason: LockReason }
  | { type: 'unlocked' }
  | { type: 'vault-changed' }
  /** `done` of `total` items so far; the last event of an operation has `done === total`, or `failed` when it stopped short. */
  | { type: 'vault-progress'; operation: VaultOperation; done: number; total: number; failed?: boolean };
