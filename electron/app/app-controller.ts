/**
 * The desktop app's behaviour, without Electron: which vault is open, locking
 * (by the user, on idle, on suspend), clipboard copies with automatic clearing,
 * and noticing when another process (the CLI) changed the vault file. Electron
 * main and the test harness both build one of these and put a transport in
 * front of it; nothing here knows which.
 */
import { masterPasswordProblem } from '../core/policy/master-password.js';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AppSettings, AppState, BackupPreview, CopyResult, CopyTarget, KeywardEvent, LockReason } from '../../shared/ipc/contract.js';
import type { BackupInfo, CredentialPatch, NewCredential, ValueSource } from '../../shared/domain.js';
import { MemoryAuditSink, type AuditActor, type AuditSink } from '../core/audit/audit-sink.js';
import type { CredentialReport, ValueCheck, ValueCheckRequest, VaultHealth } from '../../shared/analysis/findings.js';
import { valueCheckFrom, valueCheckItem } from '../core/analysis/value-check.js';
import type { GeneratedValue, GeneratorOptions } from '../../shared/generator-options.js';
import { collectForAnalysis, newStrengths, persistStrengths, summarise } from '../core/analysis/vault-health.js';
import { defaultPolicy, serviceFor } from '../core/composition.js';
import { checkAgainstPolicy, generate } from '../core/generator/generate.js';
import { DEFAULT_PASSWORD_RULES } from '../core/policy/password-policy.js';
import { inlineRunner, type AnalysisRunner } from './analysis-runner.js';
import type { DueItem, RotationOverride } from '../../shared/rotation.js';
import type { PolicyScopeRequest, RotationSchedule } from '../../shared/ipc/contract.js';
import { nextReminderAt, remindersDue, schedule, vaultKeyDueAt } from '../core/rotation/due.js';
import { RotationService, type PolicyScope } from '../core/rotation/rotation-service.js';
import { RescuedValues } from '../core/rotation/rescued-values.js';
import type { RotatorCommandsToConfirm } from './rotator-dialog.js';
import { realTimers, ReminderScheduler, type TimerPort } from './reminder-scheduler.js';
import { fail, KeywardError } from '../core/errors.js';
import { findCredential, type VaultService } from '../core/service/vault-service.js';
import { removeKeepingUndo, UndoBuffer, undoRemove } from '../core/service/undo-buffer.js';
import { changesBetween, describeBackups } from '../core/vault/backup-contents.js';
import { Backups } from '../core/vault/backups.js';
import { DEFAULT_SETTINGS } from '../core/vault/body.js';
import { AUTO_LOCK_NEVER, weakeningChanges } from '../core/vault/settings-rules.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createVault, inspectBackupsWithPassword, probeVault, restoreBackupFile, unlockVault, type VaultDeps, type VaultSession } from '../core/vault/vault-session.js';
import { ClipboardGuard, type ClipboardPort } from './clipboard-guard.js';
import { keychainUnavailableReason } from './keychain-probe.js';
import { linkUrl } from './links.js';
import type { LinkId } from '../../shared/links.js';

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
  /** Where analysis runs (a worker thread in the app; inline by default). */
  analysis?: AnalysisRunner;
  /** Shows one OS notification for reminders that became due (grouped). */
  notifyReminders?: (fresh: DueItem[], total: number) => void;
  /** Asks the user, outside the page, to confirm rotator commands (a native dialog in the app). */
  /** Shown outside the page: the commands exactly as they will be stored and run. */
  confirmRotator?: (credentialName: string, commands: RotatorCommandsToConfirm) => Promise<boolean>;
  timers?: TimerPort;
  /** Opens an allowlisted https URL in the system browser (Electron's shell.openExternal behind main's allowlist); absent in the harness. */
  openExternal?: (url: string) => Promise<void>;
}


export class AppController {
  private session: VaultSession | null = null;
  private service: VaultService | null = null;
  private readonly rescued = new RescuedValues();
  /** Deletes and "rotated at the provider" that can still be undone from their toast (dropped on lock). */
  private readonly undo: UndoBuffer;
  private readonly clipboard: ClipboardGuard;
  private readonly audit: AuditSink;
  /** When the user last did something in the app (clock port time, ms). */
  private lastActivity = 0;
  private idleTimer: ReturnType<typeof setInterval> | null = null;
  private watcher: FSWatcher | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private keychainReason: Promise<string | null> | null = null;
  private readonly analysis: AnalysisRunner;
  /** The last health report and the vault generation and hour it was computed for. */
  private lastHealth: { key: string; health: VaultHealth } | null = null;
  private scheduler: ReminderScheduler | null = null;
  private lastLock: AppState['lastLock'] = null;
  /** Set while the file on disk is an older copy than the session has seen (OLDER_COPY): the user chooses. */
  private olderCopy: string | null = null;

  constructor(private readonly options: AppControllerOptions) {
    this.clipboard = new ClipboardGuard(options.clipboard, (end) => options.emit({ type: end === 'cleared' ? 'clipboard-cleared' : 'clipboard-left-alone' }));
    this.audit = options.audit ?? new MemoryAuditSink();
    this.analysis = options.analysis ?? inlineRunner();
    this.undo = new UndoBuffer(options.deps.clock);
  }

  /**
   * Records vault-level actions (unlock, lock, password change, …) in the same
   * audit sink as credential operations, success or failure, never with values.
   */
  private async audited<T>(action: string, work: () => Promise<T>): Promise<T> {
    const record = (outcome: 'success' | 'failure', errorCode?: KeywardError['code']) =>
      this.audit.record({ at: this.options.deps.clock.now().toISOString(), actor: this.options.actor, action, outcome, ...(errorCode ? { errorCode } : {}) });
    try {
      const result = await work();
      await record('success');
      return result;
    } catch (err) {
      await record('failure', err instanceof KeywardError ? err.code : 'INTERNAL');
      throw err;
    }
  }

  get vaultPath(): string {
    return this.options.vaultPath;
  }

  /** Switches to another vault file chosen by the user; the current one is locked first. */
  async chooseFile(mode: 'open' | 'create'): Promise<AppState> {
    if (!this.options.pickVaultFile) throw fail.badRequest('Choosing another vault file is not available here.');
    const picked = await this.options.pickVaultFile(mode);
    if (picked) {
      await this.lock('user');
      this.options.vaultPath = picked;
      this.options.onVaultPathChanged?.(picked);
    }
    return this.state();
  }

  private get unlocked(): { session: VaultSession; service: VaultService } {
    if (!this.session || !this.service || this.session.isLocked) throw fail.locked();
    return { session: this.session, service: this.service };
  }

  private settingsOf(session: VaultSession): AppSettings {
    const s = session.state.settings;
    return { autoLockMinutes: s.autoLockMinutes, clipboardClearSeconds: s.clipboardClearSeconds };
  }

  async state(): Promise<AppState> {
    this.keychainReason ??= keychainUnavailableReason(this.options.deps.keychain);
    const keychainUnavailableReason_ = await this.keychainReason;
    const base = { vaultPath: this.options.vaultPath, keychainUnavailableReason: keychainUnavailableReason_, problem: null, lastLock: this.lastLock, olderCopy: null };
    if (this.session && !this.session.isLocked) {
      return {
        ...base,
        phase: 'unlocked',
        vaultUsesKeychain: this.session.info.keychainEnabled,
        vault: this.session.info,
        settings: this.settingsOf(this.session),
        olderCopy: this.olderCopy ? { message: this.olderCopy } : null,
      };
    }
    try {
      const probe = await probeVault(this.options.vaultPath, this.options.deps);
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
    const session = await this.audited('vault.create', () => createVault(this.options.vaultPath, { password, useKeychain, kdfIterations }, this.options.deps));
    // The person overrode the master password minimum on purpose: keep a trace of that choice (never the password).
    if (allowWeakPassword && masterPasswordProblem(password)) await this.audited('vault.weakMasterPasswordAllowed', async () => undefined);
    this.adopt(session);
    return { state: await this.state(), keychainNote: session.keychainNote ?? null };
  }

  async unlock(method: { method: 'password'; password: string } | { method: 'keychain' }): Promise<AppState> {
    const session = await this.audited(`vault.unlock.${method.method}`, () =>
      unlockVault(this.options.vaultPath, method.method === 'password' ? { password: method.password } : { keychain: true }, this.options.deps),
    );
    this.adopt(session);
    await this.writeRescued();
    if (method.method === 'password') void this.rotateVaultKeyIfDue(method.password);
    return this.state();
  }

  /**
   * The scheduled (default yearly) vault key rotation needs the master password,
   * so it happens right after a password unlock, in the background.
   */
  private async rotateVaultKeyIfDue(password: string): Promise<void> {
    const session = this.session;
    if (!session || session.isLocked) return;
    const due = vaultKeyDueAt(session.state, session.info.createdAt);
    if (!due || due.getTime() > this.options.deps.clock.now().getTime()) return;
    try {
      await this.rotateVaultKey(password);
    } catch {
      /* recorded by the audit door; tried again at the next password unlock */
    }
  }

  private adopt(session: VaultSession): void {
    this.session?.lock();
    // What could be undone belongs to the session (and the vault key) it was taken from.
    this.undo.clear();
    this.olderCopy = null;
    this.session = session;
    this.service = serviceFor(session, this.options.actor, { clock: this.options.deps.clock, audit: this.audit });
    this.lastActivity = this.options.deps.clock.now().getTime();
    this.startIdleTimer();
    this.startWatching();
    this.startReminders();
    this.options.emit({ type: 'unlocked' });
  }

  private startReminders(): void {
    this.scheduler?.stop();
    this.scheduler = new ReminderScheduler({
      clock: this.options.deps.clock,
      timers: this.options.timers ?? realTimers,
      source: {
        reminders: (now) => {
          if (!this.session || this.session.isLocked) return null;
          const due = remindersDue(this.session.state, now);
          return { due, next: nextReminderAt(this.session.state, now) };
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

  /** Drops every key from memory and clears a secret we left on the clipboard. */
  async lock(reason: LockReason = 'user'): Promise<AppState> {
    if (this.session) {
      this.lastHealth = null;
      this.scheduler?.stop();
      this.scheduler = null;
      this.session.lock();
      this.session = null;
      this.service = null;
      this.undo.clear();
      this.stopIdleTimer();
      this.stopWatching();
      await this.clipboard.clearIfStillOurs().catch(() => false);
      await this.audited(`vault.lock.${reason}`, async () => undefined);
      this.lastLock = { reason, at: this.options.deps.clock.now().toISOString() };
      this.options.emit({ type: 'locked', reason });
    }
    return this.state();
  }

  /** The user did something: push the idle lock back. */
  activity(): void {
    this.lastActivity = this.options.deps.clock.now().getTime();
  }

  private startIdleTimer(): void {
    this.stopIdleTimer();
    this.idleTimer = setInterval(() => void this.checkIdle(), 5_000);
    this.idleTimer.unref?.();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }

  /**
   * Locks when the app itself has had no user input for the auto-lock time —
   * whatever the person does in other programs (system-wide idleness would keep
   * the vault open while they work elsewhere). Auto-lock 0 means never.
   */
  async checkIdle(now = this.options.deps.clock.now().getTime()): Promise<void> {
    if (!this.session || this.session.isLocked) return;
    const minutes = this.session.state.settings.autoLockMinutes;
    if (minutes === AUTO_LOCK_NEVER) return;
    if (now - this.lastActivity >= minutes * 60_000) await this.lock('idle');
  }

  private startWatching(): void {
    if (!this.options.watchFile) return;
    this.stopWatching();
    const file = basename(this.options.vaultPath);
    try {
      // Watch the folder: saves replace the file by rename, which a file watch would lose.
      this.watcher = watch(dirname(this.options.vaultPath), (_event, name) => {
        if (name === file) this.scheduleRefresh();
      });
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      this.watcher = null;
    }
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refreshFromDisk(), 150);
  }

  /** Picks up another process's save; true when the view changed. */
  async refreshFromDisk(): Promise<boolean> {
    if (!this.session || this.session.isLocked) return false;
    try {
      const changed = await this.session.refresh();
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
        await this.audited('vault.olderCopySeen', async () => undefined);
        this.options.emit({ type: 'vault-changed' });
      }
      return false;
    }
  }

  /** The answer "keep what Keyward shows" to an older copy: the session's state is written back over it. */
  async keepSessionState(): Promise<AppState> {
    const { session } = this.unlocked;
    await this.audited('vault.keepSessionState', () => session.keepSessionState());
    this.olderCopy = null;
    this.options.emit({ type: 'vault-changed' });
    return this.state();
  }

  /** The answer "reopen the file as it is": lock, so the next unlock reads the file on disk. */
  async reopen(): Promise<AppState> {
    return this.lock('reopen');
  }

  async changePassword(currentPassword: string, newPassword: string, allowWeakPassword = false): Promise<{ changed: true }> {
    await this.audited('vault.changePassword', () => this.unlocked.session.changePassword(currentPassword, newPassword));
    if (allowWeakPassword && masterPasswordProblem(newPassword)) await this.audited('vault.weakMasterPasswordAllowed', async () => undefined);
    return { changed: true };
  }

  /** Turning the keychain on needs the master password (checked in the core). */
  async setKeychain(enabled: boolean, password?: string): Promise<{ state: AppState; note: string | null }> {
    const result = await this.audited(`vault.keychain.${enabled ? 'on' : 'off'}`, () => this.unlocked.session.setKeychainEnabled(enabled, password));
    this.keychainReason = null;
    return { state: await this.state(), note: result.keychainNote ?? null };
  }

  /** Every file in the backups folder; while unlocked, with what each holds and what changed from the one before. */
  async listBackups() {
    if (this.session && !this.session.isLocked) {
      const session = this.session;
      // Only backups under the key in memory: the others need a password (see previewBackup).
      return describeBackups(await session.backupStore.list(), async (file) => (await session.openBackup(file)).body);
    }
    return new Backups(this.options.deps.fs, this.options.deps.clock, vaultPaths(this.options.vaultPath)).list();
  }

  /** The offered backups with their details (time, generation, size); their contents need a key the app does not hold. */
  private async intactBackupsWhileLocked(offered: string[]): Promise<BackupInfo[]> {
    if (offered.length === 0) return [];
    const all = await new Backups(this.options.deps.fs, this.options.deps.clock, vaultPaths(this.options.vaultPath)).list().catch(() => []);
    return all.filter((b) => offered.includes(b.file));
  }

  /** What a backup holds and what restoring it would lose; `password` for one made under an earlier vault key. */
  async previewBackup(file: string, password?: string): Promise<BackupPreview> {
    const { session } = this.unlocked;
    const info = (await session.backupStore.list()).find((b) => b.file === file);
    if (!info) throw fail.notFound(`No backup named ${file}.`);
    const open = () => session.openBackup(file, password);
    // A password check is a vault-level action: recorded (never the password) like the others.
    const { body, openedWith } = password === undefined ? await open() : await this.audited('vault.previewBackup.password', open);
    return {
      file,
      createdAt: info.createdAt,
      credentialCount: body.credentials.length,
      sampleNames: body.credentials.slice(0, 8).map((c) => c.name.slice(0, 200)),
      generation: info.generation,
      lostOnRestore: changesBetween(body, session.state),
      openedWith,
    };
  }

  /** What each backup holds, opened with the master password while the vault itself cannot be (see inspectBackupsWithPassword). */
  async inspectBackups(password: string): Promise<BackupInfo[]> {
    return this.audited('vault.inspectBackups', () => inspectBackupsWithPassword(this.options.vaultPath, password, this.options.deps));
  }

  /** Restores a backup; works while locked too, since a tampered vault cannot be unlocked. */
  async restoreBackup(file?: string): Promise<AppState> {
    return this.audited('vault.restoreBackup', () => this.restoreBackupNow(file));
  }

  private async restoreBackupNow(file?: string): Promise<AppState> {
    if (this.session && !this.session.isLocked) {
      const outcome = await this.session.restoreBackup(file ?? (await this.session.backupStore.listIntact())[0]?.file ?? '');
      // A backup from before a key rotation opens only with the master password it was saved with.
      if (outcome === 'needs-unlock') return this.lock('reopen');
      this.options.emit({ type: 'vault-changed' });
    } else {
      await restoreBackupFile(this.options.vaultPath, file, this.options.deps);
    }
    return this.state();
  }

  /**
   * Saves timer settings. A change that weakens protection (auto-lock later than
   * its secure default or off, the clipboard cleared later) needs the master password.
   */
  async updateSettings(patch: Partial<AppSettings>, password?: string): Promise<AppSettings> {
    const { session } = this.unlocked;
    await this.audited('settings.update', async () => {
      const weakening = weakeningChanges(session.state.settings, patch);
      if (weakening.length) {
        if (password === undefined)
          throw fail.badRequest(`Enter your master password to confirm ${weakening.join(' and ')}.`, 'password');
        await session.verifyPassword(password);
      }
      await session.transact((body) => {
        // Judged again against the state just re-read: another window may have changed it.
        if (weakeningChanges(body.settings, patch).length && password === undefined)
          throw fail.badRequest('The settings changed meanwhile; confirm with your master password.', 'password');
        body.settings = { ...DEFAULT_SETTINGS, ...body.settings, ...patch };
      });
    });
    return this.settingsOf(session);
  }

  get credentials(): VaultService {
    return this.unlocked.service;
  }

  /** Deletes, keeping the credential (sealed as stored) in memory for a moment so the toast can offer Undo. */
  async remove(id: string) {
    return removeKeepingUndo(this.credentials, this.undo, id);
  }

  async undoRemove(id: string) {
    return undoRemove(this.credentials, this.undo, id);
  }

  async add(credential: NewCredential, value: ValueSource, force?: boolean) {
    return this.credentials.add(credential, value, { force });
  }

  async update(id: string, patch: CredentialPatch) {
    return this.credentials.update(id, patch);
  }

  async rotate(id: string, value: ValueSource, force?: boolean) {
    return this.credentials.rotate(id, value, { force });
  }

  /** Copies in main: the renderer never needs the value to copy it. */
  async copy(id: string, target: CopyTarget): Promise<CopyResult> {
    const { session, service } = this.unlocked;
    let text: string;
    if (target === 'value') {
      text = await service.reveal(id);
    } else {
      text = await this.audited(`copy.field.${target.field}`, async () => {
        const c = findCredential(session.state, id);
        const value = c.fields[target.field] ?? '';
        if (!value) throw fail.badRequest(`"${c.name.slice(0, 80)}" has no ${target.field} to copy.`, 'field');
        return value;
      });
    }
    const seconds = session.state.settings.clipboardClearSeconds;
    const { clearsAt } = await this.clipboard.copy(text, seconds);
    const iso = new Date(clearsAt).toISOString();
    this.options.emit({ type: 'clipboard-copied', clearsAt: iso });
    return { clearsAt: iso, clearAfterSeconds: seconds };
  }

  /**
   * The vault's health. Reused while neither the vault nor the hour changed
   * (age findings move with the clock); values are decrypted here and analysed
   * in the runner (a worker thread in the app).
   */
  async health(): Promise<VaultHealth> {
    const { session, service } = this.unlocked;
    await session.refresh();
    const now = this.options.deps.clock.now();
    const key = `${session.info.generation}|${now.toISOString().slice(0, 13)}`;
    if (this.lastHealth?.key === key) return this.lastHealth.health;
    const health = await service.analyse(async () => {
      const items = collectForAnalysis(session, defaultPolicy());
      const reports = await this.analysis.run(items, now);
      // Housekeeping: if the estimates cannot be kept now (vault busy), the next analysis computes them again.
      await persistStrengths(session, newStrengths(items, reports)).catch(() => undefined);
      return summarise(reports, now);
    });
    // Keyed after the estimates were kept, which saved the vault.
    this.lastHealth = { key: `${session.info.generation}|${now.toISOString().slice(0, 13)}`, health };
    return health;
  }

  async check(id: string): Promise<CredentialReport> {
    const report = (await this.health()).reports.find((r) => r.id === id);
    if (!report) throw fail.notFound('No such credential.');
    return report;
  }

  /** What analysis says about a value being typed (not saved), by the same rules, in the analysis runner. */
  async checkValue(request: ValueCheckRequest): Promise<ValueCheck> {
    const { session } = this.unlocked;
    const now = this.options.deps.clock.now();
    const [report] = await this.analysis.run([valueCheckItem(session, defaultPolicy(), request, now)], now);
    return valueCheckFrom(report!);
  }

  /** Runs a rotation operation, then looks at the reminders again: every one can move a due date. */
  async rotating<T>(work: (rotation: RotationService) => Promise<T>): Promise<T> {
    try {
      return await work(this.rotation());
    } finally {
      // A run that could not write its value (the vault locked meanwhile) left it in memory: write it while we can.
      if (this.rescued.size > 0 && this.service) await this.writeRescued();
      this.scheduler?.check();
    }
  }

  private rotation(): RotationService {
    return new RotationService(this.unlocked.service, { rescued: this.rescued, undo: this.undo });
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
    if (this.rescued.size === 0 || !this.service) return;
    try {
      const report = await this.rotation().flushRescued();
      if (report.written.length > 0) {
        this.options.emit({ type: 'rotation-rescued', names: report.written.map((w) => w.name), left: report.left });
        this.options.emit({ type: 'vault-changed' });
      }
    } catch {
      /* still held; tried again at the next unlock */
    }
  }

  rotationSchedule(): RotationSchedule {
    const { session } = this.unlocked;
    const now = this.options.deps.clock.now();
    const vaultKeyDue = vaultKeyDueAt(session.state, session.info.createdAt);
    return {
      items: schedule(session.state, now),
      policy: session.state.rotation,
      vaultKeyDueAt: vaultKeyDue ? vaultKeyDue.toISOString() : null,
      reminders: remindersDue(session.state, now).length,
    };
  }

  async setRotationPolicy(scope: PolicyScopeRequest, override: RotationOverride) {
    const core: PolicyScope = 'credentialId' in scope ? { credential: scope.credentialId } : scope;
    await this.rotating((r) => r.setPolicy(core, override));
    return this.unlocked.session.state.rotation;
  }

  /** Needs the master password again and, where available, a confirmation outside the page. */
  async setRotator(r: { id: string; create: string; test?: string; revoke?: string; timeoutSeconds?: number; password: string }) {
    const { session } = this.unlocked;
    await session.verifyPassword(r.password);
    const c = findCredential(session.state, r.id);
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
    const { session, service } = this.unlocked;
    await service.run('vault.rotateKey', undefined, () => session.rotateVaultKey(password));
    this.options.emit({ type: 'vault-changed' });
    return this.state();
  }

  generate(options: GeneratorOptions, force = false): GeneratedValue {
    if (!force) checkAgainstPolicy(options, DEFAULT_PASSWORD_RULES);
    return generate(options);
  }

  /** On quit: lock and leave nothing of ours on the clipboard. */
  async shutdown(): Promise<void> {
    await this.lock('user');
    this.stopWatching();
    await this.analysis.close();
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
