/**
 * The desktop app's lifecycle, without Electron: which vault is open, locking
 * (by the user, on idle, on suspend), clipboard copies with automatic clearing,
 * reminders, and noticing when another process (the CLI) changed the vault
 * file. Every vault operation goes through the core's application layer
 * (VaultLifecycle / UnlockedVault and their services), which records it; this
 * class never holds a session or a key. Electron main and the test harness
 * both build one of these and put a transport in front of it.
 */
import type { Incident } from '../../shared/incidents.js';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../core/vault/body.js';
import { unrecordedMessage } from '../../shared/ipc/audit.js';
import type { AppSettings, AppState, BackupPreview, CopyResult, CopyTarget, KeywardEvent, LockReason } from '../../shared/ipc/contract.js';
import type { BackupInfo } from '../../shared/domain.js';
import { MemoryAuditSink, type AuditActor, type AuditSink } from '../core/audit/audit-sink.js';
import type { GeneratedValue, GeneratorOptions } from '../../shared/generator-options.js';
import { openCore, type Core, type VaultDeps } from '../core/composition.js';
import { LocalApi } from '../core/api/local-api.js';
import { CliSessions, type CliSessionRequest } from '../core/api/cli-sessions.js';
import type { ApprovalRequest } from '../core/grants/grant-access.js';
import { GrantApprovals } from './grant-approvals.js';
import { serveLocalApi, type LocalApiServer } from './local-api-server.js';
import type { HealthRunner } from '../core/health/health-runner.js';
import type { DueItem, RotationOverride } from '../../shared/rotation.js';
import type { PolicyScopeRequest, RotationSchedule, RotationStatus, RotationTimeline, RotationTimelineRequest } from '../../shared/ipc/contract.js';
import { reminderViewPaced, vaultKeyDueAt } from '../core/rotation/due.js';
import type { PolicyScope, RotationService } from '../core/rotation/rotation-service.js';
import { RescuedValues } from '../core/rotation/rescued-values.js';
import type { RotatorCommandsToConfirm } from './rotator-dialog.js';
import { ReminderScheduler } from './reminder-scheduler.js';
import { TrailForwarding } from './trail-forwarding.js';
import type { SyslogTransport } from '../core/audit/forward/syslog-transport.js';
import type { SegmentChecker } from '../core/audit/trail-verify.js';
import { realTimers, type TimerPort } from '../core/ports/timers.js';
import { nodeFolderWatch, type FolderWatch } from '../core/ports/folder-watch.js';
import { fail, KeywardError } from '../core/errors.js';
import { findCredential, type VaultService } from '../core/service/vault-service.js';
import type { UnlockedVault, VaultLifecycle } from '../core/service/vault-lifecycle.js';
import { removeKeepingUndo, UndoBuffer, undoRemove } from '../core/service/undo-buffer.js';
import { ClipboardGuard, type ClipboardPort } from './clipboard-guard.js';
import { IdleLock } from './idle-lock.js';
import { keychainUnavailableReason } from './keychain-probe.js';
import { linkUrl } from './links.js';
import { VaultFileWatcher } from './vault-watcher.js';
import type { LinkId } from '../../shared/links.js';

/** How the app asks for a weak master password to be allowed: the onboarding and Settings checkbox. */
const WEAK_PASSWORD_HINT = 'Choose a longer one, or tick "Use this weak master password anyway".';

export interface AppControllerOptions {
  vaultPath: string;
  deps: VaultDeps;
  clipboard: ClipboardPort;
  emit: (event: KeywardEvent) => void;
  actor: AuditActor;
  audit?: AuditSink;
  /** Watch the vault file for changes by other processes (off in unit tests). */
  watchFile?: boolean;
  /** Asks the user for a vault file (a native dialog in the app); null when cancelled. */
  pickVaultFile?: (mode: 'open' | 'create') => Promise<string | null>;
  /** Called after the user switched to another vault file, to remember it. */
  onVaultPathChanged?: (path: string) => void;
  /** Where the health pipeline's slow half runs (a worker thread in the app; inline by default). */
  healthRunner?: HealthRunner;
  /** Checks sealed segments of the trail in parallel (a worker thread in the app). */
  segmentChecker?: SegmentChecker;
  /** Where forwarding sends (tests use a fake; the app the real sockets). */
  syslogTransport?: SyslogTransport;
  /** Shows an OS notification for incidents as they open (outside the page, even when it is hidden). */
  notifyIncidents?: (incidents: Incident[]) => void;
  /** Shows one OS notification for reminders that became due (grouped). */
  notifyReminders?: (fresh: DueItem[], total: number) => void;
  /** Asks the user, outside the page, to confirm rotator commands (a native dialog in the app). */
  /** Shown outside the page: the commands exactly as they will be stored and run. */
  confirmRotator?: (credentialName: string, commands: RotatorCommandsToConfirm) => Promise<boolean>;
  timers?: TimerPort;
  /** Watches the vault's folder (off in unit tests unless `watchFile`). */
  folderWatch?: FolderWatch;
  /** Asks about a use of an "ask" grant in a native dialog (the desktop app), closed through `signal`; absent: the page asks. */
  approveGrantUse?: (request: ApprovalRequest, signal: AbortSignal) => Promise<boolean>;
  /** Asks whether a terminal may use the CLI through the app, in a native dialog closed through `signal`; absent: the page asks. */
  approveCliSession?: (request: CliSessionRequest, signal: AbortSignal) => Promise<boolean>;
  /** Serve the local API for programs (docs/local-api.md) on this per-user socket path for the vault; absent: no local API. */
  localApiSocket?: (vaultPath: string) => string;
  /** Opens an allowlisted https URL in the system browser (Electron's shell.openExternal behind main's allowlist); absent in the harness. */
  openExternal?: (url: string) => Promise<void>;
}


export class AppController {
  private readonly core: Core;
  private lifecycle: VaultLifecycle;
  private vault: UnlockedVault | null = null;
  private readonly rescued = new RescuedValues();
  /** Deletes and "rotated at the provider" that can still be undone from their toast (dropped on lock). */
  private readonly undo: UndoBuffer;
  private readonly clipboard: ClipboardGuard;
  private readonly idle: IdleLock;
  private readonly watcher: VaultFileWatcher;
  private keychainReason: Promise<string | null> | null = null;
  private readonly healthRunner: HealthRunner | undefined;
  private scheduler: ReminderScheduler | null = null;
  /** The incidents the app has seen since the unlock (null until it first looked): what is new in the file is what is not here. */
  private knownIncidents: Set<string> | null = null;
  /** Forwards the audit trail while the vault is open, when a destination is set. */
  readonly forwarding: TrailForwarding;
  private lastLock: AppState['lastLock'] = null;
  /** Why the vault was closed after its unlock: its credentials could not be decoded (CORRUPTED, backups offered). Cleared by the next unlock or restore. */
  private undecodable: KeywardError | null = null;
  /** Set while the file on disk is an older copy than the session has seen (OLDER_COPY): the user chooses. */
  private olderCopy: string | null = null;
  private readonly approvals: GrantApprovals;
  /** Terminals the user let use the CLI through the app; all end when the vault locks. */
  private readonly cliSessions: CliSessions;
  private localApi: LocalApiServer | null = null;

  constructor(private readonly options: AppControllerOptions) {
    this.clipboard = new ClipboardGuard(options.clipboard, (end) => options.emit({ type: end === 'cleared' ? 'clipboard-cleared' : 'clipboard-left-alone' }));
    this.healthRunner = options.healthRunner;
    this.core = openCore({
      actor: options.actor,
      deps: options.deps,
      audit: options.audit ?? new MemoryAuditSink(),
      healthRunner: options.healthRunner,
      onIncidents: (incidents) => this.respondToIncidents(incidents),
      onUnrecorded: (reason, action) => this.options.emit({ type: 'audit-unrecorded', action, message: unrecordedMessage(reason) }),
      ...(options.segmentChecker ? { segmentChecker: options.segmentChecker } : {}),
    });
    this.lifecycle = this.core.vault(options.vaultPath);
    this.forwarding = new TrailForwarding({ fs: options.deps.fs, clock: options.deps.clock, timers: options.timers ?? realTimers, ...(options.syslogTransport ? { transport: options.syslogTransport } : {}) });
    this.undo = new UndoBuffer(options.deps.clock);
    const timers = options.timers ?? realTimers;
    this.idle = new IdleLock({
      clock: options.deps.clock,
      timers,
      autoLockMinutes: () => (this.vault && !this.vault.isLocked ? this.vault.state.settings.autoLockMinutes : null),
      onIdle: async () => void (await this.lock('idle')),
    });
    this.approvals = new GrantApprovals({
      emit: options.emit,
      random: options.deps.random,
      ...(options.approveGrantUse ? { native: options.approveGrantUse } : {}),
      ...(options.approveCliSession ? { nativeCli: options.approveCliSession } : {}),
      canAsk: () => this.vault !== null && !this.vault.isLocked,
    });
    this.cliSessions = new CliSessions({
      clock: options.deps.clock,
      minutes: () => (this.vault && !this.vault.isLocked ? (this.vault.state.settings.cliIntegrationMinutes ?? 0) : null),
      approve: this.approvals.approveCli,
    });
    this.watcher = new VaultFileWatcher(
      options.folderWatch ?? nodeFolderWatch,
      timers,
      () => void this.refreshFromDisk(),
      () => void this.incidentsChangedOnDisk(),
    );
  }

  /** The app's clock (the clock port), for handlers that compute a time. */
  now(): Date {
    return this.options.deps.clock.now();
  }

  get vaultPath(): string {
    return this.options.vaultPath;
  }

  /**
   * Serves the local API for the vault this app has chosen (docs/local-api.md),
   * from the same application layer the CLI's token path uses. A failure to
   * serve (another app serves this vault) leaves the app working without it.
   */
  async startLocalApi(): Promise<string | null> {
    await this.stopLocalApi();
    if (!this.options.localApiSocket) return null;
    const api = new LocalApi({
      lifecycle: () => this.lifecycle,
      vault: () => this.vault,
      clock: this.options.deps.clock,
      approve: this.approvals.approve,
      cli: this.cliSessions,
      rotate: (actor, credentialId) => this.rotating((r) => r.runRotator(credentialId), actor),
    });
    try {
      this.localApi = await serveLocalApi(api, this.options.localApiSocket(this.options.vaultPath));
      return this.localApi.path;
    } catch {
      return null;
    }
  }

  private async stopLocalApi(): Promise<void> {
    const server = this.localApi;
    this.localApi = null;
    await server?.close();
  }

  /** The page's answer to an approval it showed. */
  answerApproval(id: string, allow: boolean): boolean {
    return this.approvals.answer(id, allow);
  }

  /** Switches to another vault file chosen by the user; the current one is locked first. */
  async chooseFile(mode: 'open' | 'create'): Promise<AppState> {
    if (!this.options.pickVaultFile) throw fail.badRequest('Choosing another vault file is not available here.');
    const picked = await this.options.pickVaultFile(mode);
    if (picked) {
      await this.lock('user');
      this.undecodable = null;
      this.options.vaultPath = picked;
      this.lifecycle = this.core.vault(picked);
      this.options.onVaultPathChanged?.(picked);
      if (this.localApi) await this.startLocalApi();
    }
    return this.state();
  }

  private get unlocked(): UnlockedVault {
    if (!this.vault || this.vault.isLocked) throw fail.locked();
    return this.vault;
  }

  private settingsOf(vault: UnlockedVault): AppSettings {
    const s = vault.state.settings;
    return {
      autoLockMinutes: s.autoLockMinutes,
      clipboardClearSeconds: s.clipboardClearSeconds,
      auditRetentionDays: s.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
      auditForward: s.auditForward ?? null,
      detection: { ...(s.detection ?? {}) },
      auditFailClosed: s.auditFailClosed !== false,
    };
  }

  async state(): Promise<AppState> {
    this.keychainReason ??= keychainUnavailableReason(this.options.deps.keychain);
    const keychainUnavailableReason_ = await this.keychainReason;
    const base = { vaultPath: this.options.vaultPath, keychainUnavailableReason: keychainUnavailableReason_, problem: null, lastLock: this.lastLock, olderCopy: null };
    if (this.vault && !this.vault.isLocked) {
      return {
        ...base,
        phase: 'unlocked',
        vaultUsesKeychain: this.vault.info.keychainEnabled,
        vault: this.vault.info,
        settings: this.settingsOf(this.vault),
        olderCopy: this.olderCopy ? { message: this.olderCopy } : null,
      };
    }
    try {
      if (this.undecodable) throw this.undecodable;
      const probe = await this.lifecycle.probe();
      return { ...base, phase: 'locked', vaultUsesKeychain: probe.keychain, vault: null, settings: null };
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'NOT_FOUND') return { ...base, phase: 'no-vault', vaultUsesKeychain: false, vault: null, settings: null };
      if (err instanceof KeywardError && (err.code === 'CORRUPTED' || err.code === 'UNSUPPORTED_VERSION')) {
        return {
          ...base,
          phase: 'locked',
          vaultUsesKeychain: false,
          vault: null,
          settings: null,
          problem: { code: err.code, message: err.message, backups: err.extra.backups ?? [], backupDetails: await this.intactBackupsWhileLocked(err.extra.backups ?? []) },
        };
      }
      throw err;
    }
  }

  async create(password: string, useKeychain: boolean, kdfIterations?: number, allowWeakPassword = false): Promise<{ state: AppState; keychainNote: string | null }> {
    const vault = await this.lifecycle.create({ password, useKeychain, kdfIterations, allowWeakPassword, weakPasswordHint: WEAK_PASSWORD_HINT });
    await this.adopt(vault);
    return { state: await this.state(), keychainNote: vault.keychainNote ?? null };
  }

  async unlock(method: ({ method: 'password'; password: string } | { method: 'keychain' }) & { acceptOlder?: boolean }): Promise<AppState> {
    // Unlocked as soon as the key opens the file: the credentials are decoded after, between the window's requests,
    // which wait for them (credentialsDecoded) — at 100k, the main process is never held for the whole vault.
    const vault = await this.lifecycle.unlock(method.method === 'password' ? { password: method.password } : { keychain: true }, {
      acceptOlder: method.acceptOlder === true,
      credentials: 'in-background',
    });
    await this.adopt(vault);
    await this.writeRescued();
    if (method.method === 'password') void this.rotateVaultKeyIfDue(method.password);
    return this.state();
  }

  /**
   * The scheduled (default yearly) vault key rotation needs the master password,
   * so it happens right after a password unlock, in the background.
   */
  private async rotateVaultKeyIfDue(password: string): Promise<void> {
    // Re-encrypting reads every credential: after they are decoded, not by decoding the rest in one go.
    await this.credentialsDecoded();
    const vault = this.vault;
    if (!vault || vault.isLocked) return;
    const due = vaultKeyDueAt(vault.state, vault.info.createdAt);
    if (!due || due.getTime() > this.options.deps.clock.now().getTime()) return;
    try {
      await this.rotateVaultKey(password);
    } catch {
      /* recorded by the audit door; tried again at the next password unlock */
    }
  }

  private async adopt(vault: UnlockedVault): Promise<void> {
    // A second unlock replaces the open vault. The swap happens before any await,
    // so of two overlapping unlocks each replaced session is the one locked:
    // none is left open and unreferenced with its keys in memory.
    const replaced = this.vault;
    this.vault = vault;
    this.undecodable = null;
    // What could be undone belongs to the session (and the vault key) it was taken from.
    this.undo.clear();
    this.olderCopy = null;
    if (replaced) await replaced.lock('reopen');
    if (this.vault !== vault) return; // a later unlock replaced this one meanwhile: it starts the timers
    this.idle.start();
    if (this.options.watchFile) this.watcher.start(this.options.vaultPath);
    // Reminders read every credential: they start once the list is whole, not by decoding the rest in one go —
    // and after the requests that waited for it (the window's list first), not before them.
    void this.credentialsDecoded().then(() =>
      setImmediate(() => {
        if (this.vault === vault && !vault.isLocked) this.startReminders();
      }),
    );
    this.startForwarding(vault);
    this.knownIncidents = null;
    if (this.options.watchFile) void this.incidentsChangedOnDisk();
    this.options.emit({ type: 'unlocked' });
  }

  /** Forwarding that cannot start (a destination that no longer parses) says so in its status, never fails the unlock. */
  private startForwarding(vault: UnlockedVault): void {
    void this.forwarding.start(vault, this.options.vaultPath).catch(() => undefined);
  }

  private startReminders(): void {
    this.scheduler?.stop();
    this.scheduler = new ReminderScheduler({
      clock: this.options.deps.clock,
      timers: this.options.timers ?? realTimers,
      source: {
        reminders: (now) => {
          if (!this.vault || this.vault.isLocked) return null;
          return reminderViewPaced(this.vault.state, now);
        },
      },
      notify: (fresh, total) => {
        this.options.emit({ type: 'reminder-due', count: total });
        this.options.notifyReminders?.(fresh, total);
      },
    });
    this.scheduler.start();
  }

  /** Wake from sleep: catch up on everything that became due meanwhile. */
  onWake(): void {
    this.scheduler?.check();
  }

  /** Settles once the reminders' latest look has notified and armed: it runs in paced steps, after what set it off. */
  remindersLooked(): Promise<void> {
    return this.scheduler?.looked ?? Promise.resolve();
  }

  /**
   * What the app does by itself when the trail's watch opens incidents: tell
   * the page and the OS, and lock when a rule says so (a sweep, tampering) —
   * after the operation that set it off has finished its own recording.
   */
  private respondToIncidents(incidents: Incident[]): void {
    for (const i of incidents) this.knownIncidents?.add(i.id);
    this.options.emit({ type: 'incidents-opened', incidents });
    this.options.notifyIncidents?.(incidents);
    // (The keys go at once; should recording the lock fail, the vault is locked all the same.)
    if (incidents.some((i) => i.responses.includes('lock'))) setTimeout(() => void this.lock('incident').catch(() => undefined), 0);
  }

  /**
   * The incidents file changed: incidents another process opened (a CLI
   * sweep, say) get the app's responses too — the page is told, and the vault
   * locks when their rule says so. The first look after an unlock only learns
   * what is already there. (Reading them is recorded, as every read of them is.)
   */
  async incidentsChangedOnDisk(): Promise<void> {
    const vault = this.vault;
    if (!vault || vault.isLocked) return;
    let ids: Set<string>;
    let opened: Incident[];
    try {
      const book = await vault.incidents({ all: true });
      ids = new Set(book.incidents.map((i) => i.id));
      opened = book.incidents.filter((i) => i.status === 'open' && this.knownIncidents !== null && !this.knownIncidents.has(i.id));
    } catch {
      return; // (locked meanwhile, or the file being replaced: the next change says it again)
    }
    if (this.vault !== vault) return;
    this.knownIncidents = ids;
    if (opened.length) this.respondToIncidents(opened);
  }

  /** Drops every key from memory and clears a secret we left on the clipboard. */
  async lock(reason: LockReason = 'user'): Promise<AppState> {
    const vault = this.vault;
    if (vault) {
      this.vault = null;
      this.approvals.denyAll();
      this.cliSessions.clear();
      this.scheduler?.stop();
      this.scheduler = null;
      // The forwarder's feed wipes its keys at once; a delivery in flight ends by itself (it holds no key).
      void this.forwarding.stop();
      this.undo.clear();
      this.idle.stop();
      this.watcher.stop();
      // The keys go first (UnlockedVault.lock wipes them before its first await);
      // clearing the clipboard may wait on the OS and must not keep them alive.
      const locking = vault.lock(reason);
      await this.clipboard.clearIfStillOurs().catch(() => false);
      await locking;
      this.lastLock = { reason, at: this.options.deps.clock.now().toISOString() };
      this.options.emit({ type: 'locked', reason });
    }
    return this.state();
  }

  /** The user did something: push the idle lock back. */
  activity(): void {
    this.idle.activity();
  }

  /** See IdleLock: locks when the app has had no input for the auto-lock time. */
  async checkIdle(now?: number): Promise<void> {
    await this.idle.check(now);
  }

  /** Picks up another process's save; true when the view changed. */
  async refreshFromDisk(): Promise<boolean> {
    // Another process's changes are applied to the whole list: once it is decoded, not by decoding the rest in one go.
    await this.credentialsDecoded();
    const vault = this.vault;
    if (!vault || vault.isLocked) return false;
    try {
      const changed = await vault.refresh();
      if (this.olderCopy !== null) {
        // The file moved past the older copy by itself (another process saved a newer generation).
        this.olderCopy = null;
        this.options.emit({ type: 'vault-changed' });
      }
      if (changed) {
        this.scheduler?.check();
        this.options.emit({ type: 'vault-changed' });
      }
      return changed;
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'VAULT_LOCKED') await this.lock('key-changed');
      if (err instanceof KeywardError && err.code === 'OLDER_COPY' && this.olderCopy === null) {
        // Never adopted silently: the session keeps its state and the user is asked.
        this.olderCopy = err.message;
        await vault.recordOlderCopySeen();
        this.options.emit({ type: 'vault-changed' });
      }
      return false;
    }
  }

  /** The answer "keep what Keyward shows" to an older copy: the session's state is written back over it. */
  async keepSessionState(): Promise<AppState> {
    await this.unlocked.keepSessionState();
    this.olderCopy = null;
    this.options.emit({ type: 'vault-changed' });
    return this.state();
  }

  /** The answer "reopen the file as it is": lock, so the next unlock reads the file on disk. */
  async reopen(): Promise<AppState> {
    return this.lock('reopen');
  }

  async changePassword(currentPassword: string, newPassword: string, allowWeakPassword = false): Promise<{ changed: true }> {
    await this.unlocked.changePassword(currentPassword, newPassword, { allowWeakPassword, weakPasswordHint: WEAK_PASSWORD_HINT });
    return { changed: true };
  }

  /** Turning the keychain on needs the master password (checked in the core). */
  async setKeychain(enabled: boolean, password?: string): Promise<{ state: AppState; note: string | null }> {
    const result = await this.unlocked.setKeychain(enabled, password);
    this.keychainReason = null;
    return { state: await this.state(), note: result.keychainNote ?? null };
  }

  /** Every file in the backups folder; while unlocked, with what each holds and what changed from the one before. */
  async listBackups(): Promise<BackupInfo[]> {
    return this.vault && !this.vault.isLocked ? this.vault.listBackups() : this.lifecycle.listBackups();
  }

  /** The offered backups with their details (time, generation, size); their contents need a key the app does not hold. */
  private async intactBackupsWhileLocked(offered: string[]): Promise<BackupInfo[]> {
    if (offered.length === 0) return [];
    const all = await this.lifecycle.listBackups().catch(() => []);
    return all.filter((b) => offered.includes(b.file));
  }

  /** What a backup holds and what restoring it would lose; `password` for one made under an earlier vault key. */
  async previewBackup(file: string, password?: string): Promise<BackupPreview> {
    const { body, openedWith, info, lostOnRestore } = await this.unlocked.previewBackup(file, password);
    return {
      file,
      createdAt: info.createdAt,
      credentialCount: body.credentials.length,
      sampleNames: body.credentials.slice(0, 8).map((c) => c.name.slice(0, 200)),
      generation: info.generation,
      lostOnRestore,
      openedWith,
    };
  }

  /** What each backup holds, opened with the master password while the vault itself cannot be. */
  async inspectBackups(password: string): Promise<BackupInfo[]> {
    return this.lifecycle.inspectBackups(password);
  }

  /** Restores a backup; works while locked too, since a tampered vault cannot be unlocked. */
  async restoreBackup(file?: string, password?: string): Promise<AppState> {
    if (this.vault && !this.vault.isLocked) {
      // A backup from before a key rotation opens only with the master password it was saved with.
      if ((await this.vault.restoreBackup(file, password)) === 'needs-unlock') return this.lock('reopen');
      this.options.emit({ type: 'vault-changed' });
    } else {
      await this.lifecycle.restoreBackup(file);
      // Another file is in place: what could not be decoded in the one before says nothing of it.
      this.undecodable = null;
    }
    return this.state();
  }

  /**
   * Saves timer settings. A change that weakens protection (auto-lock later than
   * its secure default or off, the clipboard cleared later) needs the master password.
   */
  async updateSettings(patch: Partial<AppSettings>, password?: string): Promise<AppSettings> {
    const vault = this.unlocked;
    await vault.updateSettings(patch, password);
    if (patch.auditForward !== undefined) this.startForwarding(vault);
    return this.settingsOf(vault);
  }

  /**
   * Settles once the open vault's credentials are decoded (at once when none
   * is open): what requests that read them wait for. Never rejects. A vault
   * whose credentials cannot be decoded is locked, and the state then shows
   * the problem with the backups, as a failed unlock of it did.
   */
  async credentialsDecoded(): Promise<void> {
    // Waited for again when another vault was opened meanwhile (a lock and an unlock while a request waited).
    for (let vault = this.vault; vault && !vault.isLocked; vault = this.vault) {
      try {
        await vault.credentialsDecoded();
      } catch (err) {
        if (this.vault === vault && !vault.isLocked) {
          this.undecodable = err instanceof KeywardError ? err : fail.corrupted('The vault file could not be read.');
          await this.lock('reopen');
        }
      }
      if (this.vault === vault) return;
    }
  }

  /** The open vault's services (credentials, health, rotation, …): what the IPC handlers call. VAULT_LOCKED when none is open. */
  get services(): UnlockedVault {
    return this.unlocked;
  }

  get credentials(): VaultService {
    return this.unlocked.credentials;
  }

  /** Deletes, keeping the credential (sealed as stored) in memory for a moment so the toast can offer Undo. */
  async remove(id: string) {
    return removeKeepingUndo(this.credentials, this.undo, id);
  }

  async undoRemove(id: string) {
    return undoRemove(this.credentials, this.undo, id);
  }

  /** Copies in main: the renderer never needs the value to copy it. */
  async copy(id: string, target: CopyTarget): Promise<CopyResult> {
    const vault = this.unlocked;
    const text = target === 'value' ? await vault.credentials.reveal(id, undefined, 'copy') : await vault.credentials.field(id, target.field);
    const seconds = vault.state.settings.clipboardClearSeconds;
    const { clearsAt } = await this.clipboard.copy(text, seconds);
    const iso = new Date(clearsAt).toISOString();
    this.options.emit({ type: 'clipboard-copied', clearsAt: iso });
    return { clearsAt: iso, clearAfterSeconds: seconds };
  }

  /** Runs a rotation operation, then looks at the reminders again: every one can move a due date. */
  async rotating<T>(work: (rotation: RotationService) => Promise<T>, actor?: AuditActor): Promise<T> {
    try {
      return await work(this.rotation(actor));
    } finally {
      // A run that could not write its value (the vault locked meanwhile) left it in memory: write it while we can.
      if (this.rescued.size > 0 && this.vault) await this.writeRescued();
      this.scheduler?.check();
    }
  }

  private rotation(actor?: AuditActor): RotationService {
    return this.unlocked.rotation({ rescued: this.rescued, undo: this.undo }, actor);
  }

  /** How many rotated values are held in memory only, waiting for an unlock (the quit prompt warns about them). */
  get rescuedCount(): number {
    return this.rescued.size;
  }

  /**
   * Writes values rotators minted while the vault could not take them (see
   * RescuedValues). Never throws: what cannot be written now stays held and
   * is tried again at the next unlock.
   */
  private async writeRescued(): Promise<void> {
    if (this.rescued.size === 0 || !this.vault) return;
    try {
      await this.credentialsDecoded();
      const report = await this.rotation().flushRescued();
      if (report.written.length > 0) {
        this.options.emit({ type: 'rotation-rescued', names: report.written.map((w) => w.name), left: report.left });
        this.options.emit({ type: 'vault-changed' });
      }
    } catch {
      /* still held; tried again at the next unlock */
    }
  }

  async rotationSchedule(): Promise<RotationSchedule> {
    return this.rotation().overview();
  }

  rotationTimeline(request: RotationTimelineRequest): Promise<RotationTimeline> {
    return this.rotation().timeline(request);
  }

  rotationStatus(): Promise<RotationStatus> {
    return this.rotation().status();
  }

  rotationDue(id: string): Promise<DueItem | null> {
    return this.rotation().dueOf(id);
  }

  async setRotationPolicy(scope: PolicyScopeRequest, override: RotationOverride) {
    const core: PolicyScope = 'credentialId' in scope ? { credential: scope.credentialId } : scope;
    await this.rotating((r) => r.setPolicy(core, override));
    return this.unlocked.state.rotation;
  }

  /** Needs the master password again and, where available, a confirmation outside the page. */
  async setRotator(r: { id: string; create: string; test?: string; revoke?: string; timeoutSeconds?: number; password: string }) {
    const vault = this.unlocked;
    await vault.verifyPassword(r.password);
    const c = findCredential(vault.state, r.id);
    const rotation = this.rotation();
    // What the user confirms is what is stored: validated, one line each, programs resolved to absolute paths.
    const prepared = rotation.prepareRotator({ create: r.create, test: r.test, revoke: r.revoke, timeoutSeconds: r.timeoutSeconds });
    const shown: RotatorCommandsToConfirm = { create: prepared.create, test: prepared.test, revoke: prepared.revoke, folder: rotation.stepFolder };
    if (this.options.confirmRotator && !(await this.options.confirmRotator(c.name, shown)))
      throw fail.badRequest('The rotator commands were not confirmed; nothing was changed.');
    return this.rotating((rot) => rot.setRotator(r.id, prepared));
  }

  /** Replaces the vault key (needs the master password: the new key is wrapped under it). */
  async rotateVaultKey(password: string): Promise<AppState> {
    // Every value is re-encrypted: at 100k, seconds. The page shows how far it got (a whole percent at a time).
    let shown = -1;
    let last = { done: 0, total: 0 };
    const progress = (done: number, total: number) => {
      last = { done, total };
      const percent = total ? Math.floor((done * 100) / total) : 100;
      if (percent === shown) return;
      shown = percent;
      this.options.emit({ type: 'vault-progress', operation: 'rotate-key', done, total });
    };
    try {
      await this.unlocked.rotateVaultKey(password, progress);
    } catch (err) {
      if (shown >= 0) this.options.emit({ type: 'vault-progress', operation: 'rotate-key', ...last, failed: true });
      throw err;
    }
    this.options.emit({ type: 'vault-changed' });
    return this.state();
  }

  generate(options: GeneratorOptions, force = false): Promise<GeneratedValue> {
    return this.core.generator.generate(options, { force });
  }

  /** On quit: lock and leave nothing of ours on the clipboard. */
  async shutdown(): Promise<void> {
    await this.stopLocalApi();
    await this.lock('user');
    this.watcher.stop();
    await this.healthRunner?.close();
  }

  /** Opens a fixed documentation link, named by id (the renderer never passes a URL); false when the browser could not be asked. */
  async openLink(id: LinkId): Promise<{ opened: boolean }> {
    const url = linkUrl(id);
    if (!url) throw fail.badRequest('There is no such link.', 'id');
    if (!this.options.openExternal) throw fail.badRequest('Opening links is not available here.');
    try {
      await this.options.openExternal(url);
      return { opened: true };
    } catch {
      return { opened: false };
    }
  }
}
