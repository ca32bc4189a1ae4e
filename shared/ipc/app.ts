/** The app domain: where the app is (no vault, locked, unlocked), user activity, documentation links. */
import type { BackupInfo, VaultInfo } from '../domain.js';
import type { LinkId } from '../links.js';
import type { AppSettings } from './settings.js';

export type AppPhase = 'no-vault' | 'locked' | 'unlocked';

/** Why the app locked; `incident`: an incident whose response is to lock (a sweep, tampering). */
export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'key-changed' | 'reopen' | 'incident';

export interface AppState {
  phase: AppPhase;
  vaultPath: string;
  /** Whether this vault keeps its key in the OS keychain (known before unlocking). */
  vaultUsesKeychain: boolean;
  /** Null when a keychain is reachable; otherwise why not. */
  keychainUnavailableReason: string | null;
  /** Present when unlocked. */
  vault: VaultInfo | null;
  settings: AppSettings | null;
  /** Why and when the vault last locked in this run of the app (null before the first lock). */
  lastLock: { reason: LockReason; at: string } | null;
  /**
   * Set while unlocked when the file on disk became an older copy than this session has seen
   * (restored by hand, synced back, replayed): nothing is adopted until the user chooses
   * `vault.keepSessionState` or `vault.reopen`.
   */
  olderCopy?: { message: string } | null;
  /** Set when the vault file could not be read: what is wrong, and the backups that could be restored. */
  problem: {
    code: 'CORRUPTED' | 'UNSUPPORTED_VERSION';
    message: string;
    backups: string[];
    /** The same intact backups (newest first) with their time, generation and size, for choosing one. */
    backupDetails?: BackupInfo[];
  } | null;
}

export interface AppApi {
  'app.state': { request: Record<string, never>; response: AppState };
  'app.activity': { request: Record<string, never>; response: { ok: true } };
  /** Opens one of the fixed documentation links in the system browser, named by id (never a URL). */
  'app.openLink': { request: { id: LinkId }; response: { opened: boolean } };
}
