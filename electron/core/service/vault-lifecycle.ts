/**
 * The vault's lifecycle as a service: create, unlock, lock, change the master
 * password, the OS keychain, backups and restore, vault key rotation, settings.
 * The CLI, the app (IPC handlers), the harness and later the local API and
 * the MCP server all open a vault here, and every operation runs through the
 * same AuditDoor as credential operations, with the actor their entry point
 * passed in.
 *
 * An `UnlockedVault` is what a caller holds while a vault is open: the
 * services over it and its lifecycle operations. It never hands out the
 * session, so key material and the secret sealer stay inside the core's vault
 * module; values leave only through `credentials.reveal`.
 */
import { basename } from 'node:path';
import type { LockReason as AppLockReason } from '../../../shared/ipc/app.js';
import type { BackupInfo, CredentialDetail, CredentialPatch, NewCredential, ValueSource, VaultInfo } from '../../../shared/domain.js';
import { AuditDoor } from '../audit/audit-door.js';
import type { AuditActor, AuditEvent, AuditSink } from '../audit/audit-sink.js';
import { AuditTrail, type TrailHold } from '../audit/audit-trail.js';
import { liveLines, readTrail, storedRecords, wholeLog, type AuditEntry, type AuditFilter } from '../audit/trail-read.js';
import { parseIndex } from '../audit/segments.js';
import { usageOf } from '../audit/usage.js';
import { parseDestination } from '../audit/forward/destination.js';
import { securityReport } from '../report/security-report.js';
import type { SecurityReport } from '../../../shared/report.js';
import type { UsageView } from '../../../shared/ipc/audit.js';
import { chainPlaceOf, keyedCredentialId, trailKeys, wipeTrailKeys, type TrailAnchor, type TrailKeys } from '../audit/trail-records.js';
import { laterAnchor, TrailHeadMirror } from '../audit/trail-head-mirror.js';
import { trailLeaves, verifyTrail, type CheckpointWitness, type SegmentChecker, type TrailFiles, type TrailReport } from '../audit/trail-verify.js';
import { watchBeside, type AuditWatch } from '../audit/watch/audit-watch.js';
import { checkOverride, rulesWith, type DetectionRules } from '../audit/watch/detection-rules.js';
import type { IncidentBook } from '../audit/watch/watch-files.js';
import type { Incident } from '../../../shared/incidents.js';
import { linesAfter, type AuditFeed, type AuditReadAction } from '../audit/forward/trail-feed.js';
import { cursorMac, type ForwardCursor } from '../audit/forward/forward-state.js';
import { constantTimeEqual } from '../crypto/primitives.js';
import { makeCheckpoint, type Checkpoint } from '../audit/checkpoint.js';
import type { Clock } from '../ports/clock.js';
import type { FileSystem } from '../ports/file-system.js';
import { deviceId } from '../vault/device-id.js';
import { fail, KeywardError } from '../errors.js';
import { requireMasterPassword } from '../policy/master-password.js';
import type { PolicyGate } from '../policy/policy-gate.js';
import { applyPolicyValue, policyValues, policyView, vaultPolicyGate } from '../policy/security-policy.js';
import { parsePolicyValue, policyKeyDef, policyPreset, POLICY_KEYS, POLICY_PRESETS, type PolicyKey, type PolicyPresetName, type PolicyValue, type PolicyView } from '../../../shared/security-policy.js';
import { RotationService, type RotationOptions } from '../rotation/rotation-service.js';
import { changesBetween, describeBackups } from '../vault/backup-contents.js';
import { Backups } from '../vault/backups.js';
import { DEFAULT_AUDIT_RETENTION_DAYS, DEFAULT_SETTINGS, type StoredCredential, type StoredGrant, type VaultBody, type VaultSettings } from '../vault/body.js';
import { MAX_AUDIT_RETENTION_DAYS, MIN_AUDIT_RETENTION_DAYS } from '../vault/settings-rules.js';
import { weakeningChanges } from '../vault/settings-rules.js';
import { vaultPaths } from '../vault/vault-paths.js';
import { Lockout, type BackoffMode } from '../vault/lockout.js';
import {
  createVault,
  inspectBackupsWithPassword,
  probeVault,
  restoreBackupFile,
  unlockVault,
  type KeychainNote,
  type OpenedBackup,
  type UnlockMethod,
  type UnlockOptions,
  type VaultDeps,
  type VaultProbe,
  type VaultSession,
} from '../vault/vault-session.js';
import { HealthService, type HealthServiceOptions } from './health-service.js';
import { currentVersionOf, findCredential, VaultService } from './vault-service.js';
import { CAPABILITY_WORDS, checkGrantUse, openGrant, type GrantAccess, type GrantAccessDeps } from '../grants/grant-access.js';
import { GrantService, usesByDay } from '../grants/grant-service.js';
import { GrantSync, selectorsOf } from '../grants/grant-sync.js';
import { GRANT_NAME, inScope, roleCan, type GrantCapability } from '../../../shared/grants.js';
import { checkCustomRule, type CustomRule } from '../../../shared/policy-rules.js';
import { credentialById } from '../vault/credential-index.js';
import { credentialsLeavingRules } from '../policy/rules/index.js';
import { clearRestoreMarker, readRestoreMarker, writeRestoreMarker } from '../grants/restore-marker.js';

/** What an admin grant may ask the app to change (UnlockedVault.changeForGrant). */
export type GrantChange =
  | { kind: 'add'; input: NewCredential; source: ValueSource; force?: boolean }
  | { kind: 'edit'; name: string; patch: CredentialPatch }
  | { kind: 'set_value'; name: string; source: ValueSource; force?: boolean }
  | { kind: 'remove'; name: string };

export interface LifecycleOptions {
  deps: VaultDeps;
  audit: AuditSink;
  /** Who is calling: set by the entry point (app, cli, harness, test; later a named grant). */
  actor: AuditActor;
  policy: PolicyGate;
  /** Where the health pipeline's slow half runs (a worker thread in the app; inline by default). */
  health?: HealthServiceOptions;
  onIncidents?: IncidentListener;
  onUnrecorded?: UnrecordedListener;
  watch?: WatchOptions;
  /** Lines per sealed segment of the trail (tests use small ones; docs/audit-format.md §11). */
  auditSegmentRecords?: number;
  /** How sealed segments are checked: in parallel where the entry point bundles the worker (segment-check.ts). */
  segmentChecker?: SegmentChecker;
}

/** Told of incidents as they open, with the vault they are about, to respond. */
export type IncidentListener = (incidents: Incident[], vaultPath: string) => void;

/** An operation (`action`) went on although its record could not be written (`reason`): the vault's fail-closed setting is off. */
export type UnrecordedListener = (reason: string, action: string, vaultPath: string) => void;

export interface WatchOptions {
  rules?: DetectionRules;
  /** The hour of the week a time falls in (local time by default). */
  hourOfWeek?: (ms: number) => number;
}

/** Each event to the durable trail first (it may refuse: fail closed), then to the caller's sink. */
function bothSinks(trail: AuditSink, other: AuditSink): AuditSink {
  return {
    async record(event: AuditEvent) {
      await trail.record(event);
      await other.record(event);
    },
  };
}

export interface NewVaultOptions {
  password: string;
  useKeychain: boolean;
  kdfIterations?: number;
  /** The person chose a master password below the minimum on purpose (recorded, never the password). */
  allowWeakPassword?: boolean;
  /** How to override the minimum, in the caller's own terms (a flag, a checkbox). */
  weakPasswordHint: string;
}

/** A key or preset name as typed, safe to repeat in an error (short, printable). */
function safeKey(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}

/** The trail as an opening attached it: who holds its keys, the anchor it checks against, and where the head is mirrored. */
interface AttachedTrail {
  hold: TrailHold;
  /** The later of the body's anchor and the keychain's (as this opening found it). */
  anchor: () => TrailAnchor | null;
  mirror: TrailHeadMirror;
  /** The vault's fail-closed setting as last read while open (reading it refreshes it). */
  failClosed: () => boolean;
}

/** Why a vault was locked: the app's reasons, and the CLI's end of a command. */
export type LockReason = AppLockReason | 'command-end';

export class VaultLifecycle {
  readonly #door: AuditDoor;
  readonly #options: LifecycleOptions;
  /** This vault's durable trail (P.audit): every event of every service reaches it through the door's sink. */
  readonly #trail: AuditTrail;
  /** The watch over it: anomalies and incidents. */
  readonly #watch: AuditWatch;
  /** The vault this lifecycle opened last, to answer incidents with. */
  #current: UnlockedVault | null = null;
  /** Incidents asking to suspend a grant that opened before a vault was at hand. */
  readonly #unanswered: Incident[] = [];

  constructor(
    readonly path: string,
    options: LifecycleOptions,
  ) {
    const { deps } = options;
    const paths = vaultPaths(path).audit;
    const watch = watchBeside(paths, deps, options.watch);
    this.#watch = watch;
    this.#trail = new AuditTrail(paths, {
      fs: deps.fs,
      random: deps.random,
      clock: deps.clock,
      device: () => deviceId(deps.fs, deps.stateDir ?? null, deps.random),
      lockTimeoutMs: deps.lockTimeoutMs,
      isProcessAlive: deps.isProcessAlive,
      watch,
      onIncidents: (incidents) => {
        options.onIncidents?.(incidents, path);
        this.#respond(incidents);
      },
      onUnrecorded: (reason, action) => options.onUnrecorded?.(reason, action, path),
      ...(options.auditSegmentRecords ? { segmentRecords: options.auditSegmentRecords } : {}),
    });
    // The trail first: an event it cannot keep fails the operation (fail closed) before anything else sees it.
    const audit = bothSinks(this.#trail, options.audit);
    this.#options = Object.freeze({ ...options, audit });
    this.#door = new AuditDoor(audit, deps.clock, options.actor);
  }

  /**
   * The public header: enough for an unlock screen. Not recorded: it reads
   * nothing a copy of the file would not show, and the app asks for it on
   * every state refresh.
   */
  /**
   * Answers what incidents ask of this process beyond notifying (the app locks
   * by itself): suspending a grant, with the vault this lifecycle has open —
   * or, for incidents opened while it was being opened (uses folded in at
   * unlock), as soon as it is.
   */
  #respond(incidents: Incident[]): void {
    const grants = incidents.filter((i) => i.responses.includes('suspend-grant') && i.actor?.startsWith('grant:'));
    if (grants.length === 0) return;
    if (this.#current && !this.#current.isLocked) this.#current.suspendGrantsFor(grants);
    else this.#unanswered.push(...grants);
  }

  #opens<V extends UnlockedVault>(vault: V): V {
    this.#current = vault;
    if (this.#unanswered.length) vault.suspendGrantsFor(this.#unanswered.splice(0));
    return vault;
  }

  probe(): Promise<VaultProbe> {
    return probeVault(this.path, this.#options.deps);
  }

  async create(o: NewVaultOptions): Promise<UnlockedVault & KeychainNote> {
    const { session, trail } = await this.#opened('vault.create', async () => {
      // Over an existing vault there is nothing to create: createVault refuses with EXISTS, whatever the password.
      if (!(await this.#options.deps.fs.stat(this.path))) requireMasterPassword(o.password, o.allowWeakPassword === true, o.weakPasswordHint);
      return createVault(this.path, { password: o.password, useKeychain: o.useKeychain, kdfIterations: o.kdfIterations }, this.#options.deps);
    });
    const vault = new UnlockedVault(session, this.#options, this.#door, this.#trail, trail, this.#watch);
    await vault.closedOnFailure(async () => {
      if (o.allowWeakPassword) await vault.recordWeakPasswordChoice(o.password);
    });
    return this.#opens(Object.assign(vault, session.keychainNote ? { keychainNote: session.keychainNote } : {}));
  }

  /**
   * Opens the vault. An older copy than this user's Keyward has already seen
   * is refused (OLDER_COPY) unless `acceptOlder`; accepting one is recorded,
   * and the copy is saved at once as the newest generation.
   */
  async unlock(method: UnlockMethod, options: UnlockOptions = {}): Promise<UnlockedVault> {
    const how = 'password' in method ? 'password' : 'keychain';
    const { session, trail } = await this.#opened(`vault.unlock.${how}`, () => unlockVault(this.path, method, this.#options.deps, options));
    const vault = new UnlockedVault(session, this.#options, this.#door, this.#trail, trail, this.#watch);
    await vault.closedOnFailure(async () => {
      if (session.acceptedOlder) await this.#door.run('vault.olderCopyAccepted', undefined, () => undefined);
      await vault.afterOpen();
    });
    return this.#opens(vault);
  }

  /**
   * Opens a session as `action`, with the trail started inside the operation
   * (its own record is the first chained). If anything fails once the session
   * is open — the trail, or the operation's own record — the session is locked
   * and the trail let go: no keys are left without an owner.
   */
  async #opened<S extends VaultSession>(action: string, open: () => Promise<S>): Promise<{ session: S; trail: AttachedTrail }> {
    let opened: { session: S; trail: AttachedTrail } | null = null;
    try {
      await this.#door.run(action, undefined, async () => {
        const session = await open();
        opened = { session, trail: await this.#attachTrail(session) };
      });
    } catch (err) {
      const left = opened as { session: S; trail: AttachedTrail } | null;
      if (left) {
        await this.#trail.detach(left.trail.hold);
        left.session.lock();
      }
      throw err;
    }
    return opened!;
  }

  /**
   * Chains what happens from now on under the vault's trail key (made on first
   * use) and folds in what was recorded while locked. A trail that cannot be
   * written closes the vault again: nothing may go on unrecorded.
   */
  async #attachTrail(session: VaultSession): Promise<AttachedTrail> {
    try {
      const key = await session.trailKey();
      const mirror = new TrailHeadMirror(this.#options.deps.keychain, session.info.vaultId, this.path);
      // As last read while open: the lock's own record is written after the body is gone.
      let failClosed = session.state.settings.auditFailClosed !== false;
      // The keychain's anchor as this opening found it (it moves only when a session ends), and the body's as saves move it.
      const mirrored = await mirror.read();
      const anchor = () => laterAnchor(session.state.audit?.head ?? null, mirrored);
      const readFailClosed = () => (failClosed = session.isLocked ? failClosed : session.state.settings.auditFailClosed !== false);
      let hold: TrailHold;
      try {
        // The anchor is read at every append.
        hold = await this.#trail.attach(trailKeys(key, session.info.vaultId), {
          vaultId: session.info.vaultId,
          anchor,
          retentionDays: () => session.state.settings.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
          failClosed: readFailClosed,
          // Uses by grant tokens while the vault was locked: believed as far as their proofs hold.
          grantUse: (use) => (session.isLocked ? null : checkGrantUse(session.state, use)),
          ...(this.#options.watch?.rules ? {} : { detection: () => rulesWith(session.state.settings.detection) }),
        });
      } finally {
        key.fill(0);
      }
      session.anchorAuditTrail(() => this.#trail.head());
      return { hold, anchor, mirror, failClosed: readFailClosed };
    } catch (err) {
      session.lock();
      throw err;
    }
  }

  /** Every file in the backups folder (a locked or damaged vault's too), with its time, generation and state. */
  /**
   * What a grant's token opens in this vault (grants/grant-access.ts): never
   * the vault itself. Its uses are recorded by the grant's name, in the trail's
   * pending file while no session of this process holds the vault's key.
   */
  openGrant(token: string, options: Pick<GrantAccessDeps, 'approve' | 'valueFromVault'> = {}): Promise<GrantAccess> {
    const deps = this.#options.deps;
    return openGrant({ fs: deps.fs, clock: deps.clock, record: (event) => this.#trail.record(event), ...options }, this.path, token);
  }

  listBackups(): Promise<BackupInfo[]> {
    return this.#door.run('backups.list', undefined, () => this.backupStore().list());
  }

  /** Restores FILE (or the newest intact backup) without unlocking: a tampered vault cannot be unlocked. */
  restoreBackup(file?: string): Promise<string> {
    return this.#door.run('vault.restoreBackup', undefined, async () => {
      // Which grants work now, for the next unlock: a backup must not bring back one revoked or suspended since.
      await writeRestoreMarker(this.#options.deps.fs, this.path);
      return restoreBackupFile(this.path, file, this.#options.deps);
    });
  }

  /** What each backup holds, opened with the master password while the vault itself cannot be. */
  inspectBackups(password: string): Promise<BackupInfo[]> {
    return this.#door.run('vault.inspectBackups', undefined, () => inspectBackupsWithPassword(this.path, password, this.#options.deps));
  }

  private backupStore(): Backups {
    return new Backups(this.#options.deps.fs, this.#options.deps.clock, vaultPaths(this.path));
  }
}

export interface ChangePasswordOptions {
  kdfIterations?: number;
  allowWeakPassword?: boolean;
  weakPasswordHint: string;
}

export type SettingsPatch = Partial<Pick<VaultSettings, 'autoLockMinutes' | 'clipboardClearSeconds' | 'auditRetentionDays' | 'auditForward' | 'detection' | 'auditFailClosed'>>;

/** An open vault: its services and the lifecycle operations that need it unlocked. */
export class UnlockedVault {
  readonly credentials: VaultService;
  readonly health: HealthService;
  /** Access grants for programs (docs/grants.md): managed by the vault's owner only. */
  readonly grants: GrantService;
  readonly #session: VaultSession;
  readonly #door: AuditDoor;
  readonly #trail: AuditTrail;
  readonly #attached: AttachedTrail;
  readonly #clock: Clock;
  readonly #watch: AuditWatch;
  /** The entry point's gate with this vault's own password rules and what a violation does (its security policy). */
  readonly #policy: PolicyGate;
  readonly #fixedRules: DetectionRules | null;
  readonly #segmentChecker: SegmentChecker | undefined;
  readonly #grantSync: GrantSync;
  readonly #fs: FileSystem;
  readonly #serviceFor: (actor: AuditActor) => VaultService;
  readonly #services = new Map<AuditActor, VaultService>();
  /** Incident responses this vault is carrying out (suspending grants), and how many. */
  #responses: Promise<void> = Promise.resolve();
  #responding = 0;

  constructor(session: VaultSession, options: LifecycleOptions, door: AuditDoor, trail: AuditTrail, attached: AttachedTrail, watch: AuditWatch) {
    this.#session = session;
    this.#watch = watch;
    this.#policy = vaultPolicyGate(options.policy, () => session.state);
    this.#fixedRules = options.watch?.rules ?? null;
    this.#segmentChecker = options.segmentChecker;
    this.#clock = options.deps.clock;
    this.#door = door;
    this.#trail = trail;
    this.#attached = attached;
    this.#serviceFor = (actor) =>
      new VaultService(session, {
        clock: options.deps.clock,
        random: options.deps.random,
        audit: options.audit,
        policy: this.#policy,
        actor,
      });
    this.credentials = this.#serviceFor(options.actor);
    this.health = new HealthService(session, this.credentials, this.#policy, options.deps.clock, options.health);
    const grantSync = new GrantSync(options.deps, session.paths.vault);
    this.#grantSync = grantSync;
    this.#fs = options.deps.fs;
    this.grants = new GrantService(session, door, options.deps, grantSync, (actor) =>
      this.#withTrailKeys(async (keys) => {
        const uses = readTrail(wholeLog(await trail.readFiles()), keys, { actor });
        return { uses: uses.length, lastUsedAt: uses.at(-1)?.at ?? null, usesByDay: usesByDay(uses, options.deps.clock.now()) };
      }),
    );
    // Every save of this session brings the grants' files in step with it, under its write lock.
    session.afterEachSave((previous, generation, changed) =>
      grantSync.sync({ vaultId: session.info.vaultId, body: session.state, openValue: (id, version, sealed) => session.openValue(id, version, sealed) }, previous, generation, changed).catch(() => undefined),
    );
  }

  get info(): VaultInfo {
    return this.#session.info;
  }

  /** Settles once the credentials are decoded, when the vault was unlocked to decode them in the background (vault-session.ts); rejects CORRUPTED when they cannot be. */
  credentialsDecoded(): Promise<void> {
    return this.#session.credentialsDecoded();
  }

  /** The decrypted metadata (values stay sealed). Read-only: changes go through the services. */
  get state(): Readonly<VaultBody> {
    return this.#session.state;
  }

  get isLocked(): boolean {
    return this.#session.isLocked;
  }

  get keyCreatedAt(): string {
    return this.#session.keyCreatedAt;
  }

  /**
   * Rotation over this vault; `rescued` and `undo` outlive one call (the app
   * keeps them), `cwd` resolves relative rotator programs. `actor`: on behalf
   * of another entry point (a grant through the local API), recorded as its.
   */
  rotation(options: RotationOptions = {}, actor?: AuditActor): RotationService {
    return new RotationService(actor ? this.serviceAs(actor) : this.credentials, options);
  }

  /** Drops every key from memory; recorded with why (user, idle, suspend, …). */
  async lock(reason: LockReason): Promise<void> {
    // Incident responses under way finish first (a CLI process ends right after this); with none, the keys go at
    // once, before any await (the app then waits on the clipboard holding nothing).
    if (this.#responding > 0) await this.#responses;
    if (this.#session.isLocked) return;
    const keepsKeyInKeychain = this.#session.info.keychainEnabled;
    // The lock's own record is written once the body is gone: it follows the setting as it is now.
    this.#attached.failClosed();
    this.#session.lock();
    try {
      // Recorded in the chain (the trail holds its own keys until it lets them go, just below).
      await this.#door.run(`vault.lock.${reason}`, undefined, () => undefined);
    } finally {
      const left = await this.#trail.detach(this.#attached.hold);
      // The head as this session leaves it, into the OS keychain when the vault keeps its key there (trail-head-mirror.ts).
      if (keepsKeyInKeychain && left && left.seq >= 0) await this.#attached.mirror.write({ seq: left.seq, mac: left.mac.toString('hex') });
    }
  }

  /**
   * Suspends the grant each incident names as its actor (the automatic
   * response to a burst or sweep by a grant's token), once the operation that
   * opened it is done: recorded as `grant.suspend.NAME` by this process.
   */
  suspendGrantsFor(incidents: readonly Incident[]): void {
    const names = [...new Set(incidents.map((i) => i.actor!.slice('grant:'.length)))];
    this.#responding += 1;
    this.#responses = this.#responses.then(async () => {
      try {
        await new Promise((resolve) => setImmediate(resolve));
        for (const name of names) {
          const grant = this.#session.isLocked ? undefined : this.#session.state.grants?.find((g) => g.name === name);
          if (grant && !grant.suspended) await this.grants.setSuspended(name, true).catch(() => undefined);
        }
      } finally {
        this.#responding -= 1;
      }
    });
  }

  /** The policy's unlock backoff, where the password check reads it before any unlock (vault/lockout.ts). */
  async #mirrorUnlockBackoff(): Promise<void> {
    const mode = policyValues(this.#session.state).unlock_backoff as BackoffMode;
    await new Lockout(this.#fs, this.#clock, this.#session.paths.lockout).setMode(mode).catch(() => undefined);
  }

  /**
   * What opening a vault does (besides its own record): the unlock backoff put
   * where the next password check reads it; for its grants, the files of grants that expired
   * (or were revoked or suspended by a process that could not delete them)
   * leave the disk; after a backup was restored while locked, grants whose
   * files were gone then (revoked or suspended since that backup) come back
   * suspended, never working again by themselves.
   */
  async afterOpen(): Promise<void> {
    await this.#mirrorUnlockBackoff();
    await this.#grantSync.prune(this.#session.state);
    const live = await readRestoreMarker(this.#fs, this.#session.paths.vault);
    if (live === null) return;
    for (const g of this.#session.state.grants ?? []) if (!g.suspended && !live.includes(g.id)) await this.grants.setSuspended(g.name, true);
    await clearRestoreMarker(this.#fs, this.#session.paths.vault);
  }

  /**
   * The credential service as another entry point uses it through this one —
   * the CLI through the running app (api/cli-sessions.ts) — so its operations
   * are recorded under its own actor.
   */
  serviceAs(actor: AuditActor): VaultService {
    let svc = this.#services.get(actor);
    if (!svc) this.#services.set(actor, (svc = this.#serviceFor(actor)));
    return svc;
  }

  /**
   * The current value of a credential for a grant that covers it, read from
   * the vault (an "ask" grant's file holds no values: the running app hands
   * them out once the user approved). Recorded as a `reveal` by this process;
   * the grant records its own use.
   */
  valueForGrant(grantId: string, credentialId: string): Promise<string> {
    return this.#door.run('reveal', { id: credentialId }, () => {
      // For a program it runs (runner) or for itself (reader): which of the two was checked by the grant's own use.
      const credential = this.grantedCredential(grantId, 'run', credentialId);
      const current = currentVersionOf(credential);
      return this.#session.openValue(credential.id, current.version, current);
    });
  }

  /**
   * A change an admin grant asks for through the running app (its token never
   * opens the vault key, so only the app can make it): done through the
   * credential service as `grant:NAME`, within the grant's scope as the vault
   * holds it now — a credential outside it is as absent, and neither a new
   * credential nor an edit may land outside it. Taking a credential out of a
   * custom rule's scope is the owner's alone (it needs the master password).
   */
  async changeForGrant(grantId: string, change: GrantChange): Promise<CredentialDetail | { id: string; name: string }> {
    const grant = this.#liveGrant(grantId, 'admin');
    const selectors = selectorsOf(grant);
    const svc = this.serviceAs(`grant:${grant.name}`);
    const outside = (what: string) => new KeywardError('FORBIDDEN', `${what} would be outside what the grant "${grant.name}" covers (${grant.scopes.join(', ') || 'everything'}): refused.`);
    if (change.kind === 'add') {
      const candidate = { name: change.input.name, type: change.input.type, provider: change.input.provider ?? '', tags: change.input.tags ?? [] };
      if (!inScope(selectors, candidate)) throw outside(`"${safeKey(change.input.name)}"`);
      return svc.add(change.input, change.source, { force: change.force === true });
    }
    const found = (() => {
      try {
        return findCredential(this.#session.state, change.name);
      } catch {
        return null;
      }
    })();
    // Outside the scope, a credential is as absent: the same answer either way.
    if (!found || !inScope(selectors, found)) throw fail.notFound(`"${safeKey(change.name)}" names no credential the grant "${grant.name}" covers.`);
    switch (change.kind) {
      case 'edit': {
        const after = { ...found, ...(change.patch.name !== undefined ? { name: change.patch.name } : {}), ...(change.patch.provider !== undefined ? { provider: change.patch.provider } : {}), ...(change.patch.tags !== undefined ? { tags: change.patch.tags } : {}) };
        if (!inScope(selectors, after)) throw outside('That change');
        try {
          return await svc.update(found.id, change.patch);
        } catch (err) {
          if (err instanceof KeywardError && err.code === 'BAD_REQUEST' && err.extra.field === 'password')
            throw new KeywardError('FORBIDDEN', `${err.message.replace(/^Enter your master password to confirm: /, 'Refused: ')} Only the vault's owner can, with the master password.`);
          throw err;
        }
      }
      case 'set_value':
        return svc.rotate(found.id, change.source, { force: change.force === true });
      case 'remove':
        return svc.remove(found.id);
    }
  }

  /** The grant as the vault holds it now: refused when revoked, suspended or expired, or when its role may not do `capability`. */
  #liveGrant(grantId: string, capability: GrantCapability): StoredGrant {
    const grant = this.#session.state.grants?.find((g) => g.id === grantId);
    const now = this.#clock.now().getTime();
    if (!grant || grant.suspended || (grant.expiresAt && Date.parse(grant.expiresAt) <= now)) throw new KeywardError('AUTH_FAILED', 'That grant no longer opens anything.');
    if (!roleCan(grant.role, capability)) throw new KeywardError('FORBIDDEN', `The grant "${grant.name}" is a ${grant.role}: it may not ${CAPABILITY_WORDS[capability]}.`);
    return grant;
  }

  /**
   * The credential `credentialId` for a use of the grant `grantId`, checked
   * against the vault as it is now (the grant's file is a copy, and an
   * approval may have waited): the grant live, its role allowing
   * `capability`, the credential in its scope.
   */
  grantedCredential(grantId: string, capability: GrantCapability, credentialId: string): StoredCredential {
    const grant = this.#liveGrant(grantId, capability);
    const credential = credentialById(this.#session.state, credentialId);
    if (!credential || !inScope(selectorsOf(grant), credential)) throw fail.notFound('No credential the grant covers has that id.');
    return credential;
  }

  /** Runs `work` right after opening; if it fails, the vault is closed again before the error goes on. */
  async closedOnFailure(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.#session.lock();
      await this.#trail.detach(this.#attached.hold);
      throw err;
    }
  }

  /**
   * The audit trail's records, newest last, credential names opened; recorded
   * itself as `action` (access to the log is logged, with what it was read for).
   */
  auditRecords(filter: AuditFilter = {}, action: AuditReadAction = 'audit.list'): Promise<AuditEntry[]> {
    // Through the trail, as verify reads it: under its lock, after what this process has queued.
    return this.#door.run(action, undefined, () => this.#withTrailKeys(async (keys) => readTrail(wholeLog(await this.#trail.readFiles()), keys, filter)));
  }

  /**
   * Checks the trail (docs/audit-format.md, "Verifying"), and against a
   * signed checkpoint made earlier when one is given (its text); recorded itself.
   */
  verifyAuditTrail(againstCheckpoint?: string): Promise<TrailReport> {
    return this.#door.run(
      'audit.verify',
      undefined,
      () =>
        this.#withTrailKeys(async (keys) => {
          // Read under the trail's lock, after what this process has queued: never half an append.
          const witness = againstCheckpoint === undefined ? undefined : { text: againstCheckpoint, vaultId: this.#session.info.vaultId };
          return this.#verify(await this.#trail.readFiles(), keys, witness);
        }),
      undefined,
      (report) => (report.intact ? undefined : 'CORRUPTED'),
    );
  }

  /**
   * A reader of the trail as it grows, for forwarding it: opening it is
   * recorded once, as `action`; its reads are not (a record per read would be
   * forwarded, and read and recorded again, for ever). Its keys are wiped on
   * close, and it stops reading once the vault is locked.
   */
  auditFeed(action: AuditReadAction): Promise<AuditFeed> {
    return this.#door.run(action, undefined, () => {
      // Made at the first read, not here: a feed whose opening could not be recorded is dropped holding no keys.
      let keys: Promise<TrailKeys> | null = null;
      let open = true;
      const close = () => {
        open = false;
        void keys?.then(wipeTrailKeys, () => undefined);
        keys = null;
      };
      const held = async () => {
        if (this.#session.isLocked) close();
        if (!open) throw fail.locked();
        keys ??= this.#trailKeys();
        return keys;
      };
      const after = async (seq: number) => {
        const keys = await held();
        // Under the trail's lock, after what this process has queued; only the records after `seq` are parsed and opened.
        const log = wholeLog(await this.#trail.readFiles());
        if (!open) throw fail.locked();
        return readTrail(linesAfter(log, seq), keys, {}, { withMacs: true }).filter((e) => e.seq > seq);
      };
      /** The chain MAC of record `seq` as the trail holds it now (null: not there). */
      const recordMacOf = async (seq: number): Promise<string | null> => {
        const log = wholeLog(await this.#trail.readFiles());
        const next = linesAfter(log, seq - 1);
        const end = next.indexOf(0x0a);
        const place = chainPlaceOf(next.toString('utf8', 0, end < 0 ? next.length : end));
        return place?.seq === seq ? place.mac : null;
      };
      const cursorIsAuthentic = async (destination: string, cursor: ForwardCursor) => {
        const expected = Buffer.from(cursorMac((await held()).forward, destination, cursor), 'hex');
        const given = Buffer.from(cursor.mac ?? '', 'hex');
        if (!(given.length === expected.length && constantTimeEqual(given, expected))) return false;
        // Made on this very trail: a trail rolled back and written again under an authentic cursor is sent again.
        return cursor.lastSeq < 0 || (cursor.recordMac !== undefined && (await recordMacOf(cursor.lastSeq)) === cursor.recordMac);
      };
      // (The record's MAC comes with it from `after`: moving the cursor reads nothing of the trail.)
      const signCursor = async (destination: string, cursor: Omit<ForwardCursor, 'mac'>) => ({ ...cursor, mac: cursorMac((await held()).forward, destination, cursor) });
      return { after, cursorIsAuthentic, signCursor, close };
    });
  }

  /** Usage from the trail: every credential's, or one's (by id or name); recorded. */
  usage(credential?: string): Promise<UsageView> {
    const target = credential === undefined ? undefined : { name: credential };
    return this.#door.run('audit.usage', target, () =>
      this.#withTrailKeys(async (keys) => {
        const credentials = this.#session.state.credentials.map((c) => ({ id: c.id, name: c.name, createdAt: c.createdAt, key: keyedCredentialId(keys, c.id) }));
        const only = credential === undefined ? undefined : credentials.find((c) => c.id === findCredential(this.#session.state, credential).id);
        const log = wholeLog(await this.#trail.readFiles());
        return usageOf(storedRecords(log), credentials, this.#clock.now(), only);
      }),
    );
  }

  /**
   * The security report (shared/report.ts): each figure from the service
   * that owns it (each of those reads recorded too), under one
   * `report.security` record.
   */
  securityReport(): Promise<SecurityReport> {
    return this.#door.run('report.security', undefined, async () => {
      const [health, schedule, usage, audit, book] = [await this.health.vault(), await this.rotation().schedule(), await this.usage(), await this.verifyAuditTrail(), await this.incidents({ all: true })];
      const { state, info } = this;
      return securityReport({
        now: this.#clock.now(),
        vault: { id: info.vaultId, createdAt: info.createdAt, credentialCount: info.credentialCount, kdfIterations: info.kdfIterations, keychain: info.keychainEnabled, keyCreatedAt: this.keyCreatedAt },
        health,
        schedule,
        rotationPolicy: state.rotation,
        passwordRules: this.#policy.passwordRules,
        settings: state.settings,
        usage,
        audit,
        incidents: book.incidents,
      });
    });
  }

  /** Incidents (all, or those not resolved) and the latest minor anomalies, newest first; recorded. */
  incidents(options: { all?: boolean } = {}): Promise<IncidentBook> {
    return this.#door.run('incident.list', undefined, () =>
      this.#withTrailKeys(async (keys) => {
        const book = await this.#trail.locked(() => this.#watch.book(keys, this.#session.info.vaultId));
        const incidents = book.incidents.filter((i) => options.all || i.status !== 'resolved').reverse();
        return { v: 1 as const, incidents, anomalies: [...book.anomalies].reverse() };
      }),
    );
  }

  /** Acknowledges or resolves an incident, with a note; recorded (`incident.acknowledged`, `incident.resolved`). */
  updateIncident(id: string, status: 'acknowledged' | 'resolved', note = ''): Promise<Incident> {
    return this.#door.run(`incident.${status}`, undefined, () => {
      if (!/^inc-[0-9a-f]{12}$/.test(id)) throw fail.badRequest(`"${id.slice(0, 40)}" is not an incident id (inc- and 12 hex digits).`);
      if (note.length > 2000) throw fail.badRequest('A note is at most 2,000 characters.', 'note');
      return this.#withTrailKeys((keys) => this.#trail.locked(() => this.#watch.update(keys, this.#session.info.vaultId, id, status, note, this.#clock.now())));
    });
  }

  /** The thresholds the watch applies (shown in Settings and by "keyward incidents --rules"): the vault's, or a test's. */
  get detectionRules(): DetectionRules {
    return this.#fixedRules ?? rulesWith(this.#session.state.settings.detection);
  }

  /** The trail's files checked against the vault's anchor (and a checkpoint, when given), segments by the entry point's checker. */
  #verify(files: TrailFiles, keys: TrailKeys, witness?: CheckpointWitness): Promise<TrailReport> {
    return verifyTrail(files, keys, this.#attached.anchor(), witness, this.#segmentChecker);
  }

  async #withTrailKeys<T>(work: (keys: TrailKeys) => Promise<T>): Promise<T> {
    const keys = await this.#trailKeys();
    try {
      return await work(keys);
    } finally {
      wipeTrailKeys(keys);
    }
  }

  /** A signed checkpoint of the trail as it is now (docs/audit-format.md §8), to keep away from the vault; recorded itself. */
  auditCheckpoint(): Promise<Checkpoint> {
    return this.#door.run('audit.checkpoint', undefined, () =>
      this.#withTrailKeys(async (keys) => {
        const files = await this.#trail.readFiles();
        // A witness of a trail that does not verify would vouch for whatever was forged into it.
        const report = await this.#verify(files, keys);
        if (!report.intact)
          throw fail.corrupted(`The audit trail does not verify (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}), so no checkpoint was signed: run "keyward audit verify" to see where.`);
        const index = parseIndex(files.index ?? null);
        return makeCheckpoint(keys, this.#session.info.vaultId, trailLeaves(index, files, liveLines(files, index)), this.#clock.now());
      }),
    );
  }

  async #trailKeys(): Promise<TrailKeys> {
    const key = await this.#session.trailKey();
    try {
      return trailKeys(key, this.#session.info.vaultId);
    } finally {
      key.fill(0);
    }
  }

  /** Picks up another process's save; true when the view changed. Not recorded: nothing is read for anyone. */
  refresh(): Promise<boolean> {
    return this.#session.refresh();
  }

  /** The master password, checked like every password (lockout counted) — for operations that ask again. */
  verifyPassword(password: string, field?: string): Promise<void> {
    return this.#door.run('vault.verifyPassword', undefined, () => this.#session.verifyPassword(password, field));
  }

  async changePassword(currentPassword: string, newPassword: string, o: ChangePasswordOptions): Promise<void> {
    await this.#door.run('vault.changePassword', undefined, async () => {
      requireMasterPassword(newPassword, o.allowWeakPassword === true, o.weakPasswordHint);
      await this.#session.changePassword(currentPassword, newPassword, o.kdfIterations);
    });
    if (o.allowWeakPassword) await this.recordWeakPasswordChoice(newPassword);
  }

  /** Turning the keychain on needs the master password: the key will then unlock without one. */
  setKeychain(enabled: boolean, password?: string): Promise<KeychainNote> {
    return this.#door.run(`vault.keychain.${enabled ? 'on' : 'off'}`, undefined, () => this.#session.setKeychainEnabled(enabled, password));
  }

  /** Replaces the vault key; every value is re-encrypted (needs the master password: the new key is wrapped under it). */
  rotateVaultKey(password: string, onProgress?: (done: number, total: number) => void): Promise<void> {
    return this.#door.run('vault.rotateKey', undefined, () => this.#session.rotateVaultKey(password, onProgress ? { onProgress } : {}));
  }

  /** The backups folder, each backup under the key in memory described with what it holds and what changed. */
  listBackups(): Promise<BackupInfo[]> {
    return this.#door.run('backups.list', undefined, async () => {
      const session = this.#session;
      return describeBackups(await session.backupStore.list(), async (file) => (await session.openBackup(file)).body);
    });
  }

  /** What a backup holds and what restoring it would lose; `password` for one made under an earlier vault key. */
  previewBackup(file: string, password?: string): Promise<OpenedBackup & { info: BackupInfo; lostOnRestore: ReturnType<typeof changesBetween> }> {
    return this.#door.run(password === undefined ? 'backups.preview' : 'vault.previewBackup.password', undefined, async () => {
      const info = (await this.#session.backupStore.list()).find((b) => b.file === file);
      if (!info) throw fail.notFound(`No backup named ${file}.`);
      const opened = await this.#session.openBackup(file, password);
      return { ...opened, info, lostOnRestore: changesBetween(opened.body, this.#session.state) };
    });
  }

  /**
   * Replaces the vault with a backup (the newest intact one by default). Its
   * credentials come back; the vault's configuration — grants, policy, custom
   * rules, settings — stays as it is now (vault/body.ts, carryConfiguration).
   * A restore that takes a credential out of a custom rule's scope (an older
   * tag, name or provider) loosens that rule as an edit would, and one made
   * under an earlier vault key cannot be judged: either needs the master
   * password (`password`). 'needs-unlock': it was made under an earlier vault
   * key, which this session does not hold — the caller locks and asks for the
   * password of its time.
   */
  restoreBackup(file?: string, password?: string): Promise<'restored' | 'needs-unlock'> {
    return this.#door.run('vault.restoreBackup', undefined, async () => {
      const session = this.#session;
      const chosen = file || (await session.backupStore.listIntact())[0]?.file;
      if (!chosen) throw fail.notFound(`No intact backup of ${basename(session.paths.vault)} was found.`);
      // Judged first on the state in memory, so the password is checked (under the attempts lock) before the write lock is held.
      const why = await this.#restoreLoosens(chosen);
      if (why) {
        if (password === undefined) throw fail.badRequest(`Enter your master password to confirm this restore: ${why}`, 'password');
        await session.verifyPassword(password);
      }
      // For a backup under another key (opened at the next unlock): the grants that work now (restore-marker.ts).
      await writeRestoreMarker(this.#fs, session.paths.vault);
      const outcome = await session.restoreBackup(chosen, (today, restored) => {
        // Judged again on the state re-read under the write lock and the very bytes restored: another process may have
        // tagged credentials, added rules or replaced the backup meanwhile. Only a password checked above confirms.
        if (!why && (restored === null || leavingOf(today, restored).length)) throw fail.badRequest('The vault or the backup changed meanwhile: confirm the restore with your master password.', 'password');
      });
      // Restored in place, the session kept today's grants itself.
      if (outcome === 'restored') await clearRestoreMarker(this.#fs, session.paths.vault);
      return outcome;
    });
  }

  /** Why restoring `file` needs the master password, or null. */
  async #restoreLoosens(file: string): Promise<string | null> {
    let restored: VaultBody;
    try {
      restored = (await this.#session.openBackup(file)).body;
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'AUTH_FAILED')
        return 'it was made under an earlier vault key, so what it brings back cannot be checked against your custom rules.';
      throw err;
    }
    const leaving = leavingOf(this.#session.state, restored);
    if (!leaving.length) return null;
    const named = leaving.slice(0, 3).map((l) => `"${l.name.slice(0, 80)}" (${l.rules.map((r) => `"${r}"`).join(', ')})`);
    const more = leaving.length > 3 ? ` and ${leaving.length - 3} more` : '';
    return `it takes ${named.join(', ')}${more} out of custom rules that apply to ${leaving.length === 1 ? 'it' : 'them'} now.`;
  }

  /** The answer "keep what Keyward shows" to an older copy on disk: this session's state is written back over it. */
  keepSessionState(): Promise<void> {
    return this.#door.run('vault.keepSessionState', undefined, () => this.#session.keepSessionState());
  }

  /** Records that the file on disk became an older copy than this session has seen. */
  recordOlderCopySeen(): Promise<void> {
    return this.#door.run('vault.olderCopySeen', undefined, () => undefined);
  }

  /** The security policy: every key, its value, and where that comes from (docs/policies.md); recorded. */
  securityPolicy(): Promise<PolicyView> {
    return this.#door.run('policy.show', undefined, () => policyView(this.#session.state));
  }

  /**
   * Sets one key of the security policy (`input` as typed or sent: checked
   * against the key's range, nothing stored when it is not in it). A change
   * that weakens the vault needs the master password; recorded as
   * `policy.set.KEY`.
   */
  setPolicy(key: string, input: unknown, password?: string): Promise<PolicyView> {
    return this.#door.run(`policy.set.${policyKeyDef(key)?.key ?? 'unknown'}`, undefined, async () => {
      const def = policyKeyDef(key);
      if (!def) throw fail.badRequest(`There is no policy key "${safeKey(key)}". The keys: ${POLICY_KEYS.map((d) => d.key).join(', ')}.`, 'key');
      const parsed = parsePolicyValue(def, input);
      if ('error' in parsed) throw fail.badRequest(parsed.error, 'value');
      return this.#changePolicy([[def.key, parsed.value]], { from: 'set' }, password);
    });
  }

  /** Sets every key a preset names (docs/policies.md says what and why); weakening any of them needs the master password. Recorded as `policy.preset.NAME`. */
  applyPolicyPreset(name: string, password?: string): Promise<PolicyView> {
    return this.#door.run(`policy.preset.${policyPreset(name)?.name ?? 'unknown'}`, undefined, async () => {
      const preset = policyPreset(name);
      if (!preset) throw fail.badRequest(`There is no policy preset "${safeKey(name)}". The presets: ${POLICY_PRESETS.map((p) => p.name).join(', ')}.`, 'preset');
      return this.#changePolicy(Object.entries(preset.values) as [PolicyKey, PolicyValue][], { from: 'preset', preset: preset.name }, password);
    });
  }

  /**
   * Adds a custom rule (shared/policy-rules.ts). Rules only tighten, so no
   * password is asked; a name already in use is refused. Recorded as
   * `policy.rule.add.NAME`.
   */
  addPolicyRule(input: { name: unknown; scopes: unknown; settings: unknown }): Promise<PolicyView> {
    const named = typeof input.name === 'string' && GRANT_NAME.test(input.name.trim()) ? input.name.trim() : 'unknown';
    return this.#door.run(`policy.rule.add.${named}`, undefined, async () => {
      const checked = checkCustomRule(input);
      if ('error' in checked) throw fail.badRequest(checked.error, checked.field);
      const rule: CustomRule = { ...checked.rule, createdAt: this.#clock.now().toISOString() };
      await this.#session.transact((body) => {
        const rules = body.policy?.rules ?? [];
        if (rules.some((r) => r.name === rule.name)) throw fail.exists(`There is already a rule named "${rule.name}": remove it first, or choose another name.`);
        if (rules.length >= 100) throw fail.badRequest('A vault holds at most 100 custom rules.');
        body.policy = { ...(body.policy ?? {}), rules: [...rules, rule] };
      });
      return policyView(this.#session.state);
    });
  }

  /** Removes a custom rule: that loosens the policy, so the master password is asked. Recorded as `policy.rule.remove.NAME`. */
  removePolicyRule(name: string, password?: string): Promise<PolicyView> {
    const named = GRANT_NAME.test(name) ? name : 'unknown';
    return this.#door.run(`policy.rule.remove.${named}`, undefined, async () => {
      if (!(this.#session.state.policy?.rules ?? []).some((r) => r.name === name)) throw fail.notFound(`There is no rule named "${safeKey(name)}".`);
      if (password === undefined) throw fail.badRequest(`Enter your master password to confirm removing the rule "${name}".`, 'password');
      await this.#session.verifyPassword(password);
      await this.#session.transact((body) => {
        body.policy = { ...(body.policy ?? {}), rules: (body.policy?.rules ?? []).filter((r) => r.name !== name) };
      });
      return policyView(this.#session.state);
    });
  }

  async #changePolicy(changes: [PolicyKey, PolicyValue][], source: { from: 'set' } | { from: 'preset'; preset: PolicyPresetName }, password: string | undefined): Promise<PolicyView> {
    const session = this.#session;
    const weakening = (values: Record<PolicyKey, PolicyValue>) => changes.filter(([key, value]) => policyKeyDef(key)!.weakens(values[key], value)).map(([key]) => key);
    const weakened = weakening(policyValues(session.state));
    if (weakened.length) {
      if (password === undefined) throw fail.badRequest(`Enter your master password to confirm loosening ${weakened.join(', ')}.`, 'password');
      await session.verifyPassword(password);
    }
    const at = this.#clock.now().toISOString();
    await session.transact((body) => {
      // Judged again against the state just re-read: another window or process may have changed it.
      if (password === undefined && weakening(policyValues(body)).length) throw fail.badRequest('The policy changed meanwhile; confirm with your master password.', 'password');
      for (const [key, value] of changes) applyPolicyValue(body, key, value, source, at);
    });
    await this.#mirrorUnlockBackoff();
    return policyView(session.state);
  }

  /**
   * Saves timer settings. A change that weakens protection (auto-lock later than
   * its secure default or off, the clipboard cleared later) needs the master password.
   */
  updateSettings(patch: SettingsPatch, password?: string): Promise<Readonly<VaultSettings>> {
    return this.#door.run('settings.update', undefined, async () => {
      const session = this.#session;
      const days = patch.auditRetentionDays;
      if (days !== undefined && !(Number.isSafeInteger(days) && (days === 0 || (days >= MIN_AUDIT_RETENTION_DAYS && days <= MAX_AUDIT_RETENTION_DAYS))))
        throw fail.badRequest(`Audit retention is 0 (keep for ever) or ${MIN_AUDIT_RETENTION_DAYS} to ${MAX_AUDIT_RETENTION_DAYS} days.`, 'auditRetentionDays');
      if (patch.auditFailClosed !== undefined && typeof patch.auditFailClosed !== 'boolean') throw fail.badRequest('Audit fail-closed is on or off (true or false).', 'auditFailClosed');
      // A destination is checked the way the CLI checks one: a host and a port that can be.
      if (patch.auditForward) parseDestination(patch.auditForward.syslog, patch.auditForward.protocol);
      for (const [key, value] of Object.entries(patch.detection ?? {})) {
        const wrong = checkOverride(key, value);
        if (wrong) throw fail.badRequest(wrong, 'detection');
      }
      const weakening = weakeningChanges(session.state.settings, patch);
      if (weakening.length) {
        if (password === undefined) throw fail.badRequest(`Enter your master password to confirm ${weakening.join(' and ')}.`, 'password');
        await session.verifyPassword(password);
      }
      await session.transact((body) => {
        // Judged again against the state just re-read: another window may have changed it.
        if (weakeningChanges(body.settings, patch).length && password === undefined)
          throw fail.badRequest('The settings changed meanwhile; confirm with your master password.', 'password');
        body.settings = { ...DEFAULT_SETTINGS, ...body.settings, ...patch };
      });
      return session.state.settings;
    });
  }

  /** A master password below the minimum, chosen on purpose: the choice is kept in the trail (never the password). */
  async recordWeakPasswordChoice(password: string): Promise<void> {
    if (requireMasterPassword(password, true, '').weak) await this.#door.run('vault.weakMasterPasswordAllowed', undefined, () => undefined);
  }
}

/** The credentials a restore of `restored` over `today` takes out of today's custom rules (policy/rules/index.ts). */
function leavingOf(today: Readonly<VaultBody>, restored: Readonly<VaultBody>): { name: string; rules: string[] }[] {
  return credentialsLeavingRules(today.policy?.rules, (id) => credentialById(today, id), restored.credentials);
}
