/**
 * The one IPC contract between the renderer and the main process. Each method
 * is declared once here (request → response); main's handlers and the
 * renderer's client are both derived from this table, and main validates
 * every request against the schema of the same name in `schemas.ts`.
 *
 * Transport-neutral: the Electron preload and the test harness bridge carry
 * exactly these calls and events.
 */
import type {
  BackupInfo,
  CredentialChanges,
  CredentialDetail,
  CredentialPatch,
  CredentialSummary,
  NewCredential,
  ValueSource,
  VaultInfo,
} from '../domain.js';
import type { CredentialReport, ValueCheck, ValueCheckRequest, VaultHealth } from '../analysis/findings.js';
import type { Result } from '../errors.js';
import type { DueItem, RotationOverride, RotationPolicySettings } from '../rotation.js';
import type { GeneratedValue, GeneratorOptions } from '../generator-options.js';
import type { LinkId } from '../links.js';

export interface AppSettings {
  /** 0: never lock on idle. */
  autoLockMinutes: number;
  clipboardClearSeconds: number;
}

export type AppPhase = 'no-vault' | 'locked' | 'unlocked';

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

export interface RotationSchedule {
  items: DueItem[];
  policy: RotationPolicySettings;
  vaultKeyDueAt: string | null;
  /** How many credentials have a reminder showing (due soon or overdue, not snoozed). */
  reminders: number;
}

export type PolicyScopeRequest = { credentialId: string } | { type: string } | { provider: string } | { defaults: true };

export interface RotatorDryRun {
  commands: Array<{ step: 'create' | 'test' | 'revoke'; command: string; found: boolean }>;
  testOfCurrent: { passed: boolean; exitCode: number | null; timedOut: boolean } | null;
}

export interface CopyResult {
  /** When the clipboard will be cleared (if it still holds the copied value). */
  clearsAt: string;
  clearAfterSeconds: number;
}

export type CopyTarget = 'value' | { field: string };

export interface KeywardApi {
  'app.state': { request: Record<string, never>; response: AppState };
  'vault.create': {
    /** allowWeakPassword: the person chose a master password below the minimum on purpose (recorded in the audit log). */
    request: { password: string; useKeychain: boolean; kdfIterations?: number; allowWeakPassword?: boolean };
    response: { state: AppState; keychainNote: string | null };
  };
  'vault.unlock': { request: { method: 'password'; password: string } | { method: 'keychain' }; response: AppState };
  'vault.lock': { request: Record<string, never>; response: AppState };
  /** Lets the user pick another vault file (a native dialog in the app); the current vault is locked first. */
  'vault.chooseFile': { request: { mode: 'open' | 'create' }; response: AppState };
  'vault.changePassword': { request: { currentPassword: string; newPassword: string }; response: { changed: true } };
  /** Turning the keychain on needs the master password again (`password`). */
  'vault.setKeychain': { request: { enabled: boolean; password?: string }; response: { state: AppState; note: string | null } };
  'vault.listBackups': { request: Record<string, never>; response: BackupInfo[] };
  /**
   * Opens a backup read-only. A backup made under an earlier vault key needs `password`: the
   * master password that was current when it was written (checked under the same lockout as unlock).
   */
  'vault.previewBackup': { request: { file: string; password?: string }; response: BackupPreview };
  'vault.restoreBackup': { request: { file?: string }; response: AppState };
  /**
   * While the vault cannot be opened (a damaged file): every backup with what it holds, for those
   * the master password opens. One password check, counted under the same lockout as unlock.
   */
  'vault.inspectBackups': { request: { password: string }; response: BackupInfo[] };
  /** A change that weakens protection (auto-lock later or off, clipboard cleared later) needs `password`. */
  'settings.update': { request: Partial<AppSettings> & { password?: string }; response: AppSettings };
  'credentials.list': { request: Record<string, never>; response: CredentialSummary[] };
  'credentials.get': { request: { id: string }; response: CredentialDetail };
  'credentials.add': { request: { credential: NewCredential; value: ValueSource; force?: boolean }; response: CredentialDetail };
  'credentials.update': { request: { id: string; patch: CredentialPatch }; response: CredentialDetail };
  'credentials.rotate': { request: { id: string; value: ValueSource; force?: boolean }; response: CredentialDetail };
  'credentials.setActive': { request: { id: string; active: boolean }; response: CredentialDetail };
  'credentials.remove': { request: { id: string }; response: { id: string } };
  /** Puts back a credential deleted moments ago (main keeps it, sealed as stored, while the toast offering Undo is up). */
  'credentials.undoRemove': { request: { id: string }; response: CredentialDetail };
  'credentials.reveal': { request: { id: string; version?: number }; response: { value: string } };
  'credentials.copy': { request: { id: string; target: CopyTarget }; response: CopyResult };
  'app.activity': { request: Record<string, never>; response: { ok: true } };
  /** Opens one of the fixed documentation links in the system browser, named by id (never a URL). */
  'app.openLink': { request: { id: LinkId }; response: { opened: boolean } };
  /** Findings, risk and the health score for the whole vault (runs in a worker thread). */
  'analysis.health': { request: Record<string, never>; response: VaultHealth };
  'analysis.check': { request: { id: string }; response: CredentialReport };
  /**
   * What analysis would say about a value not saved yet (the add and rotate
   * forms, as the person types): format, placeholder, pasted characters,
   * policy and strength, analysed in main like every stored value. With `id`
   * (rotating), the credential's own type, provider, name and tags are used.
   */
  'analysis.checkValue': { request: ValueCheckRequest; response: ValueCheck };
  /** Everything active with its due date (soonest first), the vault key's due date, and how many reminders are showing. */
  'rotation.schedule': { request: Record<string, never>; response: RotationSchedule };
  'rotation.setPolicy': { request: { scope: PolicyScopeRequest; override: RotationOverride }; response: RotationPolicySettings };
  'rotation.snooze': { request: { id: string; days: number }; response: CredentialDetail };
  'rotation.markRotated': { request: { id: string }; response: CredentialDetail };
  /** Takes back the latest "rotated at the provider" of this credential, if nothing changed it since. */
  'rotation.undoMarkRotated': { request: { id: string }; response: CredentialDetail };
  'rotation.rollback': { request: { id: string }; response: CredentialDetail };
  /**
   * Configuring a command rotator lets it run programs as the user, so it needs
   * the master password again (a script injected into the page cannot know it)
   * and, in the desktop app, a native confirmation dialog.
   */
  'rotation.setRotator': {
    request: { id: string; create: string; test?: string; revoke?: string; timeoutSeconds?: number; password: string };
    response: CredentialDetail;
  };
  'rotation.clearRotator': { request: { id: string }; response: CredentialDetail };
  'rotation.dryRun': { request: { id: string }; response: RotatorDryRun };
  'rotation.runRotator': { request: { id: string }; response: { detail: CredentialDetail; revokeFailed: boolean } };
  'vault.rotateKey': { request: { password: string }; response: AppState };
  /** After an older copy replaced the file: write the session's newer state back over it. */
  'vault.keepSessionState': { request: Record<string, never>; response: AppState };
  /** After an older copy replaced the file: lock, so the next unlock opens the file as it is. */
  'vault.reopen': { request: Record<string, never>; response: AppState };
  /** A new value; passwords satisfy the active policy unless `force`. */
  'generator.generate': { request: { options: GeneratorOptions; force?: boolean }; response: GeneratedValue };
}

export type Method = keyof KeywardApi;
export type Request<M extends Method> = KeywardApi[M]['request'];
export type Response<M extends Method> = KeywardApi[M]['response'];

export type LockReason = 'user' | 'idle' | 'suspend' | 'screen-lock' | 'key-changed' | 'reopen';

/** Events main sends to the renderer. */
export type KeywardEvent =
  | { type: 'locked'; reason: LockReason }
  | { type: 'unlocked' }
  | { type: 'vault-changed' }
  | { type: 'clipboard-copied'; clearsAt: string }
  | { type: 'clipboard-cleared' }
  /** The clipboard no longer held what Keyward copied (the user copied something else): it was left alone. */
  | { type: 'clipboard-left-alone' }
  | { type: 'reminder-due'; count: number }
  /** Values rotators minted while the vault was locked were written at unlock (names only). */
  | { type: 'rotation-rescued'; names: string[]; left: number };

/** The API as the renderer sees it: every call answers a Result, never throws for an expected error. */
export interface KeywardClient {
  call<M extends Method>(method: M, request: Request<M>): Promise<Result<Response<M>>>;
  onEvent(listener: (event: KeywardEvent) => void): () => void;
}

/** The name under which the preload (or the harness bridge) exposes the client on `window`. */
export const CLIENT_GLOBAL = 'keyward';

/** The only IPC channels Keyward uses: one for calls, one for events. */
export const IPC_CHANNELS = { call: 'keyward:call', event: 'keyward:event' } as const;
