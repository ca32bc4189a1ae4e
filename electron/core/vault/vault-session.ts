/**
 * Creating, unlocking and writing one vault file. A VaultSession is an unlocked
 * vault: the decrypted body (secret values still sealed) and the keys. Every
 * change goes through `transact`, which takes the cross-process write lock,
 * re-reads the file if another process changed it, applies the change to the
 * latest state and saves atomically — so no update is ever lost and an older
 * view never overwrites a newer file.
 */
import { basename, join } from 'node:path';
import type { BackupInfo, VaultInfo } from '../../../shared/domain.js';
import { hmacSha256, KEY_BYTES, NONCE_BYTES } from '../crypto/primitives.js';
import { wipe } from '../crypto/wipe.js';
import { fail, KeywardError } from '../errors.js';
import { keychainAccount, KeychainUnavailableError, type Keychain } from '../keychain/keychain.js';
import type { Clock } from '../ports/clock.js';
import { FileChangedError, type FileStat, type FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';
import { describeBackups } from './backup-contents.js';
import { Backups } from './backups.js';
import { backupsEnabled } from '../policy/security-policy.js';
import { carryConfiguration, carryPolicy, emptyBody, type SealedValue, type StoredCredential, type VaultBody } from './body.js';
import {
  checkVaultFilePaced,
  DEFAULT_KDF_ITERATIONS,
  derivePasswordKey,
  deriveSubkeys,
  KDF_ALGORITHM,
  MAX_KDF_ITERATIONS,
  MIN_KDF_ITERATIONS,
  appendChange,
  readAppended,
  readVaultFile,
  readVaultFilePaced,
  SALT_BYTES,
  SecretSealer,
  unwrapVaultKey,
  wrapVaultKey,
  writeVaultFile,
  type Subkeys,
  type VaultFile,
  type VaultHeader,
  type VaultLog,
} from './format/index.js';
import { checkPassword } from './password-check.js';
import { SeenGenerations, type Seen } from './seen-generations.js';
import { deviceId } from './device-id.js';
import { eventLoopPacer } from './pacing.js';
import { countOnDemand, decodeOnDemandPaced, dropCredentialsOnDemand } from './credentials-on-demand.js';
import { abandonChange, applyChange, beginChange, endChange, freezeCredentialsPaced, type VaultChange } from './vault-change.js';
import { vaultPaths, type VaultPaths } from './vault-paths.js';
import { WriteLock } from './write-lock.js';
import { credentialsLeavingRules } from '../policy/rules/index.js';
import { credentialById } from './credential-index.js';

export interface VaultDeps {
  fs: FileSystem;
  clock: Clock;
  random: Random;
  keychain: Keychain;
  lockTimeoutMs?: number;
  isProcessAlive?: (pid: number) => boolean;
  /**
   * Fold the log into a new snapshot in the background once it passes the
   * soft limit (a long-running process: the app, the harness). Without it a
   * vault is compacted only inside the save that passes the hard limit, so a
   * short-lived process (the CLI, a test) never leaves work running behind it.
   */
  compactInBackground?: boolean;
  /**
   * The user's state folder (vault-paths.ts defaultStateDir): `seen/` remembers the highest generation
   * of each vault (seen-generations.ts), `device` this installation's id (device-id.ts). Absent or null: neither.
   */
  stateDir?: string | null;
}

/** What an unlock may be told beyond the key. */
export interface UnlockOptions {
  /** Open the file even if it is an older copy than one already seen (the person said so); it is then saved as the newest. */
  acceptOlder?: boolean;
  /**
   * When the credentials are decoded (format/codec.ts `OpenBodyOptions`):
   * - 'at-open' (the default): all of them before the unlock returns;
   * - 'on-demand': each chunk when a lookup first needs it, all of them when a
   *   caller needs the whole list (the CLI: one command, a credential or a few);
   * - 'in-background': as 'on-demand', and all of them right after the unlock,
   *   a chunk at a time between the event loop's other work (the app: unlocked
   *   at once, its list whole a moment later; `credentialsDecoded()`).
   */
  credentials?: CredentialDecoding;
}

export type CredentialDecoding = 'at-open' | 'on-demand' | 'in-background';

export type UnlockMethod = { password: string } | { keychain: true };

/** What a caller should tell the user about the keychain (why it was skipped). */
export interface KeychainNote {
  keychainNote?: string;
}

/** The public, pre-unlock view of a vault file: enough for an unlock screen. */
export interface VaultProbe {
  path: string;
  vaultId: string;
  keychain: boolean;
  kdfIterations: number;
}

async function readContainer(
  fs: FileSystem,
  paths: VaultPaths,
): Promise<{ data: Buffer; stat: FileStat | null; vaultFile: VaultFile; header: VaultHeader }> {
  const stat = await fs.stat(paths.vault); // before the read: see fingerprintOf
  const data = await fs.readFile(paths.vault);
  if (!data) throw fail.notFound(`No vault at ${paths.vault}. Create one with "keyward init" or in the app.`);
  const vaultFile = await readVaultFilePaced(data);
  return { data, stat, vaultFile, header: vaultFile.header };
}

/** Adds the restorable backups to a CORRUPTED error, so the user is offered a way back. */
async function withBackupsOffered<T>(deps: VaultDeps, paths: VaultPaths, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof KeywardError && err.code === 'CORRUPTED') {
      const intact = await new Backups(deps.fs, deps.clock, paths).listIntact().catch(() => []);
      const hint = intact.length
        ? ` The newest intact backup is ${intact[0]!.file} (generation ${intact[0]!.generation}).`
        : ' No intact backup was found.';
      throw fail.corrupted(err.message + hint + ' The file was not modified.', intact.map((b) => b.file));
    }
    throw err;
  }
}

export async function probeVault(path: string, deps: VaultDeps): Promise<VaultProbe> {
  const paths = vaultPaths(path);
  return withBackupsOffered(deps, paths, async () => {
    const { header } = await readContainer(deps.fs, paths);
    return { path: paths.vault, vaultId: header.vaultId, keychain: header.keychain, kdfIterations: header.kdf.iterations };
  });
}

export interface CreateOptions {
  password: string;
  kdfIterations?: number;
  useKeychain: boolean;
}

/** Refuses an iteration count that a reader would refuse: writing one would leave a vault nobody can open. */
function assertKdfIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < MIN_KDF_ITERATIONS || iterations > MAX_KDF_ITERATIONS)
    throw fail.badRequest(`KDF iterations must be between ${MIN_KDF_ITERATIONS} and ${MAX_KDF_ITERATIONS}.`, 'kdfIterations');
}

export async function createVault(path: string, options: CreateOptions, deps: VaultDeps): Promise<VaultSession & KeychainNote> {
  const paths = vaultPaths(path);
  const iterations = options.kdfIterations ?? DEFAULT_KDF_ITERATIONS;
  assertKdfIterations(iterations);
  if (options.password.length === 0) throw fail.badRequest('The master password must not be empty.', 'password');
  await deps.fs.ensureDir(paths.backupsDir.replace(/[^/\\]+$/, ''));
  if (await deps.fs.stat(paths.vault)) throw fail.exists(`A vault already exists at ${paths.vault}; it was left untouched.`);

  const vaultKey = deps.random.bytes(KEY_BYTES);
  const header = await buildHeader(deps, options.password, iterations, deps.random.uuid(), deps.random.uuid(), vaultKey, deps.clock.now().toISOString(), 0);
  let keychainNote: string | undefined;
  if (options.useKeychain) {
    try {
      await deps.keychain.set(keychainAccount(header.vaultId, header.keyId), vaultKey.toString('base64'));
      header.keychain = true;
    } catch (err) {
      if (!(err instanceof KeychainUnavailableError)) throw err;
      keychainNote = `The vault key was not stored in the OS keychain: ${err.reason}`;
    }
  }
  // The audit trail's key is made with the vault, so its first record costs no second save.
  const body: VaultBody = { ...emptyBody(), audit: { key: deps.random.bytes(KEY_BYTES).toString('base64') } };
  const session = new VaultSession(deps, paths, header, body, vaultKey, null);
  await session.writeLocked({ create: true });
  return Object.assign(session, { keychainNote });
}

async function buildHeader(
  deps: VaultDeps,
  password: string,
  iterations: number,
  vaultId: string,
  keyId: string,
  vaultKey: Buffer,
  createdAt: string,
  generation: number,
): Promise<VaultHeader> {
  const kdf = { algorithm: KDF_ALGORITHM, iterations, salt: deps.random.bytes(SALT_BYTES).toString('base64') } as const;
  const passwordKey = await derivePasswordKey(password, kdf);
  try {
    const passwordWrap = wrapVaultKey(passwordKey, deps.random.bytes(NONCE_BYTES), vaultKey, { vaultId, keyId, kdf });
    return { vaultId, createdAt, generation, kdf, keyId, passwordWrap, keychain: false };
  } finally {
    wipe(passwordKey);
  }
}

export async function unlockVault(path: string, method: UnlockMethod, deps: VaultDeps, options: UnlockOptions = {}): Promise<VaultSession & { acceptedOlder?: Seen }> {
  const paths = vaultPaths(path);
  return withBackupsOffered(deps, paths, async () => {
    let file: Awaited<ReturnType<typeof readContainer>>;
    let vaultKey: Buffer;
    if ('password' in method) {
      // The file is read inside the password check's lock: the check is against the file as it is now.
      const checked = await checkPassword(deps, paths, async () => (file = await readContainer(deps.fs, paths)).header, method.password, { resetOnSuccess: true });
      wipe(checked.passwordKey);
      vaultKey = checked.vaultKey;
    } else {
      file = await readContainer(deps.fs, paths);
      vaultKey = await keyFromKeychain(deps, file.header);
    }
    const { vaultFile, header, data, stat } = file!;
    const subkeys = deriveSubkeys(vaultKey, header.vaultId);
    const credentialsOnDemand = options.credentials === 'on-demand' || options.credentials === 'in-background';
    const body = await vaultFile.openBody(subkeys.body, undefined, { credentialsOnDemand }).catch((err: unknown) => {
      wipe(vaultKey, ...Object.values(subkeys));
      throw err;
    });
    if (!body) {
      wipe(vaultKey, ...Object.values(subkeys));
      if ('password' in method)
        throw fail.corrupted('The vault file is corrupted or tampered: the password is right but the contents do not authenticate.');
      throw new KeywardError('AUTH_FAILED', 'The key stored in the OS keychain does not open this vault. Use the master password.');
    }
    // Rollback protection across restarts: refuse an older copy than this user's Keyward has seen.
    const session = new VaultSession(deps, paths, header, await freezeCredentialsPaced(body), vaultKey, fingerprintOf(stat, data, vaultFile.log), subkeys);
    const seen = seenStore(deps, header);
    let remembered = await seen.highest(header.vaultId, subkeys.seen);
    if (remembered && session.info.generation < remembered.generation) {
      // Another process may have saved (and remembered) between our read and now: look again, holding the write lock.
      await session.refreshHoldingWriteLock().catch(() => undefined);
      remembered = await seen.highest(header.vaultId, subkeys.seen);
    }
    const older = remembered !== null && !session.isLocked && session.info.generation < remembered.generation;
    const allowed = older && !options.acceptOlder && (await seen.takeAllowance(header.vaultId, session.info.generation));
    if (older && !options.acceptOlder && !allowed) {
      const generation = session.info.generation;
      session.lock();
      throw olderOnDiskError(generation, remembered!);
    }
    if (older) {
      // Accepted: written back at once as the newest generation, so it is not refused again —
      // with the configuration of the newer copy beside it, when there is one.
      const leaving = await session.takePolicyFromNewerBackup();
      if (leaving.length && !('password' in method)) {
        // It takes credentials out of custom rules the newer copy holds them to: only the master password may accept that.
        // A restore's one-time allowance stays for the unlock that brings it.
        if (allowed) await seen.allowOlderOnce(header.vaultId, session.info.generation);
        session.lock();
        throw new KeywardError(
          'AUTH_FAILED',
          `This older copy takes ${leaving.slice(0, 3).map((l) => `"${l.name.slice(0, 80)}"`).join(', ')}${leaving.length > 3 ? ` and ${leaving.length - 3} more` : ''} out of custom rules that apply to ${leaving.length === 1 ? 'it' : 'them'} in the newer copy: unlock with your master password to accept it.`,
          { field: 'password' },
        );
      }
      await session.keepAboveGeneration(remembered!.generation);
      if (options.credentials === 'in-background') session.decodeCredentialsInBackground();
      return Object.assign(session, { acceptedOlder: remembered! });
    }
    await session.rememberGeneration();
    if (options.credentials === 'in-background') session.decodeCredentialsInBackground();
    return session;
  });
}

/** Where generations are remembered: the state folder, and the OS keychain (written to when the vault keeps its key there). */
function seenStore(deps: VaultDeps, header?: VaultHeader): SeenGenerations {
  return new SeenGenerations(deps.fs, deps.stateDir ? join(deps.stateDir, 'seen') : null, deps.keychain, header?.keychain ?? false);
}

/** OLDER_COPY at unlock: the file is older than one this user's Keyward has already read or written. */
function olderOnDiskError(fileGeneration: number, seen: Seen): KeywardError {
  return new KeywardError(
    'OLDER_COPY',
    `The vault file is an older copy (generation ${fileGeneration}) than one already opened here (generation ${seen.generation}, on ${seen.at.slice(0, 16).replace('T', ' ')} UTC). ` +
      'Someone or something may have put an old copy in its place, which would undo later changes. Nothing was opened or changed. ' +
      'If you put this copy back on purpose, open it anyway (keyward --accept-older, or "Open this older copy" in the app): it then becomes the newest.',
    { field: 'acceptOlder' },
  );
}

async function keyFromKeychain(deps: VaultDeps, header: VaultHeader): Promise<Buffer> {
  if (!header.keychain) throw new KeywardError('KEYCHAIN_UNAVAILABLE', 'This vault does not keep its key in the OS keychain. Use the master password.');
  let stored: string | null;
  try {
    stored = await deps.keychain.get(keychainAccount(header.vaultId, header.keyId));
  } catch (err) {
    if (err instanceof KeychainUnavailableError) throw new KeywardError('KEYCHAIN_UNAVAILABLE', err.reason);
    throw err;
  }
  const key = stored ? Buffer.from(stored, 'base64') : null;
  if (!key || key.length !== KEY_BYTES)
    throw new KeywardError('KEYCHAIN_UNAVAILABLE', 'The OS keychain has no key for this vault. Use the master password.');
  return key;
}

interface Fingerprint {
  stat: FileStat;
  checksum: Buffer;
  /** The log of the file we hold (v2 on): where our next record goes. Absent for a v1 file, which the next save rewrites. */
  log?: VaultLog;
}

/**
 * What we know about the file whose bytes we hold. Outside the write lock the
 * stat must be taken *before* the bytes are read: if another process replaces
 * the file in between, the old stat no longer matches and the next refresh
 * re-reads. A stat taken after the read could pair the new file's stat with
 * the old bytes, and the next save would silently drop the other write.
 */
function fingerprintOf(stat: FileStat | null, data: Buffer, log?: VaultLog): Fingerprint | null {
  if (!stat) return null;
  // v1 ends with its checksum; v2's last complete record ends with its chain value (bytes after it are a torn tail).
  const checksum = log ? log.position.chain : data.subarray(data.length - 32);
  return { stat, checksum: Buffer.from(checksum), ...(log ? { log } : {}) };
}

/**
 * When the log after the snapshot is worth folding into a new snapshot: in
 * the background past the soft limit, in the save itself past the hard one
 * (a vault written only by short-lived CLI commands still compacts).
 */
const COMPACTION = { softMinBytes: 64 * 1024, softShare: 0.25, hardMinBytes: 1024 * 1024, hardShare: 1 } as const;

function compactionDue(log: VaultLog, limit: 'soft' | 'hard'): boolean {
  const logBytes = log.position.end - log.snapshotEnd;
  const [min, share] = limit === 'soft' ? [COMPACTION.softMinBytes, COMPACTION.softShare] : [COMPACTION.hardMinBytes, COMPACTION.hardShare];
  return logBytes > Math.max(min, log.snapshotEnd * share);
}

/** Vaults up to this size are copied to the backups before every save (a copy of 1 MiB costs well under a millisecond). */
const BACKUP_EVERY_SAVE_BELOW_BYTES = 1024 * 1024;
/** A larger vault gets a copy before a save when its newest backup is older than this. */
const BACKUP_INTERVAL_MS = 10 * 60_000;

/** The header members a record does not carry: when one changes, the file is rewritten. */
function headerIdentity(header: VaultHeader): string {
  const { generation: _generation, ...rest } = header;
  return JSON.stringify(rest);
}

export type SavedHook = (previous: number, generation: number, changed: ReadonlySet<string> | 'all') => Promise<void>;

export class VaultSession {
  private sealer: SecretSealer;
  private readonly backups: Backups;
  private readonly writeLock: WriteLock;
  private locked = false;
  /**
   * The highest generation of this vault this session has read or written. A
   * file with a lower one is an older copy (a restored or synced-back file, or
   * an attacker's replay) and is never adopted silently.
   */
  private highestGeneration: number;
  /** The header as the file on disk has it (generation aside): a change to it needs a rewrite, not a record. */
  private headerOnDisk: string;
  /** Background compaction, when one is running. */
  private compaction: Promise<void> | null = null;
  /** What runs after each save, still under the write lock (afterEachSave). */
  private readonly savedHooks: SavedHook[] = [];
  /** Where each save finds the audit trail's head to anchor (anchorAuditTrail). */
  private trailHead: (() => { seq: number; mac: Buffer } | null) | null = null;
  /** The decoding started by decodeCredentialsInBackground, until it ends. */
  private decoding: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: VaultDeps,
    readonly paths: VaultPaths,
    private header: VaultHeader,
    private body: VaultBody,
    private vaultKey: Buffer,
    private onDisk: Fingerprint | null,
    private subkeys: Subkeys = deriveSubkeys(vaultKey, header.vaultId),
  ) {
    this.sealer = new SecretSealer(this.subkeys.secrets, header.vaultId, deps.random);
    this.backups = new Backups(deps.fs, deps.clock, paths);
    this.writeLock = new WriteLock(deps.fs, deps.random, { timeoutMs: deps.lockTimeoutMs, isProcessAlive: deps.isProcessAlive });
    this.highestGeneration = header.generation;
    this.headerOnDisk = headerIdentity(header);
  }

  get info(): VaultInfo {
    this.assertUnlocked();
    const body = this.body;
    return {
      path: this.paths.vault,
      vaultId: this.header.vaultId,
      createdAt: this.header.createdAt,
      kdfIterations: this.header.kdf.iterations,
      // Counted when read: most callers want the generation, and counting a body not yet decoded parses its whole index.
      get credentialCount() {
        return countOnDemand(body) ?? body.credentials.length;
      },
      keychainEnabled: this.header.keychain,
      generation: this.header.generation,
    };
  }

  /**
   * Decodes the credentials of a body opened on demand, a chunk at a time
   * between the event loop's other work, until its list is whole. A lock, or a
   * body read anew from disk, ends it.
   */
  decodeCredentialsInBackground(): void {
    const body = this.body;
    this.decoding = decodeOnDemandPaced(body, eventLoopPacer(), () => !this.locked && this.body === body).catch((err: unknown) =>
      // A chunk that cannot be decoded is what an eager unlock refuses, CORRUPTED with the backups offered:
      // the caller closes the session on it (app-controller.ts).
      this.locked || this.body !== body ? undefined : withBackupsOffered(this.deps, this.paths, () => Promise.reject(err)),
    );
    // Nobody may be waiting yet: the failure is the waiters' to handle, not an unhandled rejection.
    this.decoding.catch(() => undefined);
  }

  /**
   * Settles once the credentials are decoded, or the decoding stopped (the
   * session locked, its body read anew): what callers that would otherwise
   * decode the rest in one go, holding the event loop, wait for first. Rejects
   * (CORRUPTED, backups offered) when a chunk could not be decoded: no
   * operation that needs the whole list can succeed in this session.
   */
  credentialsDecoded(): Promise<void> {
    return this.decoding;
  }

  /** The current in-memory state. Call `refresh()` first to pick up other processes' changes. */
  get state(): Readonly<VaultBody> {
    this.assertUnlocked();
    return this.body;
  }

  /**
   * Decrypts one stored version. Only the core's services call this (the
   * session never leaves the core); values leave the core only through
   * VaultService.reveal, which records it.
   */
  openValue(credentialId: string, version: number, sealed: { sealed: SealedValue }): string {
    this.assertUnlocked();
    return this.sealer.open(credentialId, version, sealed);
  }

  /** Encrypts a value bound to this vault, credential and version. */
  sealValue(credentialId: string, version: number, value: string): { sealed: SealedValue } {
    this.assertUnlocked();
    return this.sealer.seal(credentialId, version, value);
  }

  /** A keyed fingerprint of a value, for comparing values without keeping them (reuse detection); the key never leaves. */
  fingerprint(value: string): string {
    this.assertUnlocked();
    return hmacSha256(this.subkeys.fingerprint, Buffer.from(value, 'utf8')).toString('hex');
  }

  get isLocked(): boolean {
    return this.locked;
  }

  /** Remembers this session's generation outside the vault (rollback protection); never fails a save. */
  async rememberGeneration(): Promise<void> {
    if (this.locked) return;
    await seenStore(this.deps, this.header).record(this.header.vaultId, this.highestGeneration, this.subkeys.seen, this.deps.clock.now()).catch(() => undefined);
  }

  /** Picks up other processes' saves while no one can write: what unlock compares with what it remembers. */
  async refreshHoldingWriteLock(): Promise<void> {
    await this.writeLock.withLock(this.paths.lock, () => this.refresh());
  }

  /**
   * An older copy opened on purpose (a backup restored while locked, or
   * "open this older copy") brings back credentials, never an older, looser
   * configuration, which only the master password may choose: when a backup
   * newer than it is beside it — the copy a restore replaced — its settings,
   * policy and custom rules are taken, as a restore in place keeps today's
   * (carryConfiguration; grants are judged apart, grants/restore-marker.ts).
   * Judged by the generation in each backup's authenticated header (a name
   * may lie: a renamed older backup is passed over). One under another vault
   * key, or damaged (the reason to restore while locked), gives nothing. The
   * caller saves. Answers the credentials this copy takes out of the newer
   * copy's custom rules (older tags, or inactive): accepting that is the
   * master password's to decide.
   */
  async takePolicyFromNewerBackup(): Promise<{ name: string; rules: string[] }[]> {
    for (const file of await this.backups.namedAbove(this.header.generation)) {
      const newer = await this.openBackup(file).catch(() => null);
      if (!newer || newer.header.generation <= this.header.generation) continue;
      carryPolicy(newer.body, this.body);
      return credentialsLeavingRules(newer.body.policy?.rules, (id) => credentialById(newer.body, id), this.body.credentials);
    }
    return [];
  }

  /** An older copy the person chose to keep: saved now as a generation above every one seen. */
  async keepAboveGeneration(generation: number): Promise<void> {
    this.highestGeneration = Math.max(this.highestGeneration, generation);
    await this.writeLock.withLock(this.paths.lock, () => this.rewrite());
  }

  get backupStore(): Backups {
    return this.backups;
  }

  /** Re-reads the file if another process saved it since we last did. True when the state changed. */
  async refresh(): Promise<boolean> {
    this.assertUnlocked();
    const stat = await this.deps.fs.stat(this.paths.vault);
    if (stat && this.onDisk && stat.ino === this.onDisk.stat.ino && stat.size === this.onDisk.stat.size && stat.mtimeMs === this.onDisk.stat.mtimeMs)
      return false;
    const appended = await this.readAppendedRecords(stat);
    if (appended !== null) return appended;
    const data = await this.deps.fs.readFile(this.paths.vault);
    if (!data) throw fail.notFound(`The vault file ${this.paths.vault} was removed.`);
    const checksum = data.subarray(data.length - 32);
    // v1 only: the trailer is a checksum of the whole file. A v2 file is read (and checked) whole.
    if (this.onDisk && !this.onDisk.log && checksum.equals(this.onDisk.checksum)) {
      this.onDisk = fingerprintOf(stat, data);
      return false;
    }
    await withBackupsOffered(this.deps, this.paths, async () => this.adopt(data, stat));
    return true;
  }

  /**
   * The cheap refresh: the same file grew (another process appended records),
   * so only the new bytes are read, checked in their place after the last
   * record we hold, and applied. Null when that does not apply (the file was
   * replaced, shrank, or is v1) or anything about the new bytes is off: the
   * caller then reads the whole file, which judges it.
   */
  private async readAppendedRecords(stat: FileStat | null): Promise<boolean | null> {
    const log = this.onDisk?.log;
    // Only growth is an append; the same size with a new time is an edit in place, which the whole read judges.
    if (!stat || !log || !this.onDisk || stat.ino !== this.onDisk.stat.ino || stat.size <= this.onDisk.stat.size) return null;
    // From our last record's chain value on: it must still be there, unchanged, for the new records to follow it.
    const from = log.position.end - log.position.chain.length;
    const tail = await this.deps.fs.readFrom(this.paths.vault, from);
    if (!tail || !tail.subarray(0, log.position.chain.length).equals(log.position.chain)) return null;
    let read: Awaited<ReturnType<typeof readAppended>>;
    try {
      read = await readAppended(tail.subarray(log.position.chain.length), log.position, this.subkeys.body);
    } catch {
      return null;
    }
    if (!read) return null;
    for (const change of read.changes) applyChange(this.body, change);
    this.header = { ...this.header, generation: read.position.seq };
    this.highestGeneration = Math.max(this.highestGeneration, read.position.seq);
    this.onDisk = { stat, checksum: Buffer.from(read.position.chain), log: { ...log, position: read.position, tornBytes: stat.size - read.position.end } };
    await this.rememberGeneration();
    return read.changes.length > 0;
  }

  /**
   * Takes over a file another process wrote, using the key we hold (no KDF).
   * An older copy than one this session has already seen is refused (OLDER_COPY)
   * and the session keeps its state, unless `acceptOlder` (a restore the user chose).
   */
  private async adopt(data: Buffer, statBeforeRead: FileStat | null, options: { acceptOlder?: boolean } = {}): Promise<void> {
    const { header, openBody, log } = await readVaultFilePaced(data);
    if (header.vaultId !== this.header.vaultId) throw fail.corrupted('The vault file was replaced by a different vault.');
    if (header.generation < this.highestGeneration && !options.acceptOlder) throw olderCopyError(header.generation, this.highestGeneration);
    if (header.keyId !== this.header.keyId)
      throw new KeywardError('VAULT_LOCKED', 'The vault key was changed by another Keyward process. Unlock again.');
    const body = await openBody(this.subkeys.body);
    if (!body) throw fail.corrupted('The vault file is corrupted or tampered: its contents do not authenticate.');
    this.body = await freezeCredentialsPaced(body);
    this.header = header;
    this.headerOnDisk = headerIdentity(header);
    this.highestGeneration = Math.max(this.highestGeneration, header.generation);
    this.onDisk = fingerprintOf(statBeforeRead, data, log);
    await this.rememberGeneration();
  }

  /**
   * The user's answer to OLDER_COPY "keep what this session shows": writes the
   * session's state over the older file, with a generation above every one seen.
   * Refuses if the file has meanwhile become something else (a newer save, another vault).
   */
  async keepSessionState(): Promise<void> {
    this.assertUnlocked();
    await this.writeLock.withLock(this.paths.lock, async () => {
      const data = await this.deps.fs.readFile(this.paths.vault);
      if (data) {
        const { header } = readVaultFile(data);
        if (header.vaultId !== this.header.vaultId) throw fail.corrupted('The vault file was replaced by a different vault; it was left untouched.');
        if (header.generation >= this.highestGeneration) {
          // Not older any more (someone saved since): take that instead of overwriting it.
          await this.adopt(data, await this.deps.fs.stat(this.paths.vault));
          return;
        }
      }
      await this.save();
    });
  }

  /**
   * Applies `change` to the latest state and saves it, holding the write lock.
   * If the save fails, the in-memory state is reloaded from disk, so it never
   * claims a change that was not written.
   */
  async transact<T>(change: (body: VaultBody) => T | Promise<T>): Promise<T> {
    this.assertUnlocked();
    return this.writeLock.withLock(this.paths.lock, async () => {
      await this.refresh();
      let result: T;
      let changed: { previous: number; ids: ReadonlySet<string> };
      const body = this.body;
      beginChange(body);
      try {
        result = await change(body);
        // Every save seals one record (or a snapshot) under the body key: counted with the change it carries.
        if (!this.locked) body.encryptions.body += 1;
        this.anchorTrail(body);
        const device = await deviceId(this.deps.fs, this.deps.stateDir ?? null, this.deps.random);
        const previous = this.header.generation;
        const saved = endChange(body, { wallMs: this.deps.clock.now().getTime(), device });
        await this.save(saved);
        changed = { previous, ids: new Set([...saved.put.map((c) => c.id), ...saved.removed]) };
      } catch (err) {
        abandonChange(body);
        await this.reloadAfterFailedWrite();
        throw err;
      }
      // The save is acknowledged: what follows it (grant files) never undoes it.
      for (const hook of this.savedHooks) await hook(changed.previous, this.header.generation, changed.ids);
      return result;
    });
  }

  /** The audit trail's key (docs/audit-format.md), made and saved on first use: a copy, which the caller wipes. */
  async trailKey(): Promise<Buffer> {
    this.assertUnlocked();
    if (!this.body.audit?.key)
      await this.transact((body) => {
        if (!body.audit?.key) body.audit = { key: this.deps.random.bytes(KEY_BYTES).toString('base64') };
      });
    return Buffer.from(this.body.audit!.key, 'base64');
  }

  /**
   * Runs `hook` after each save of this session, under the write lock, with
   * the generation before and after it and the ids of the credentials it put
   * or removed ('all' when the whole body may have changed). A hook must not
   * throw: the save it follows is already acknowledged.
   */
  afterEachSave(hook: SavedHook): void {
    this.savedHooks.push(hook);
  }

  /** Where each save finds the audit trail's head, to anchor it in the body. */
  anchorAuditTrail(head: () => { seq: number; mac: Buffer } | null): void {
    this.trailHead = head;
  }

  private anchorTrail(body: VaultBody): void {
    const head = this.trailHead?.();
    if (!head || !body.audit || head.seq < (body.audit.head?.seq ?? -1)) return;
    if (body.audit.head?.seq !== head.seq) body.audit = { ...body.audit, head: { seq: head.seq, mac: head.mac.toString('hex') } };
  }

  /** Writes the in-memory state (creation, and `transact`), holding the write lock. */
  async writeLocked(options: { create?: boolean } = {}): Promise<void> {
    await this.writeLock.withLock(this.paths.lock, async () => {
      if (options.create && (await this.deps.fs.stat(this.paths.vault)))
        throw fail.exists(`A vault already exists at ${this.paths.vault}; it was left untouched.`);
      await this.save();
    });
  }

  /**
   * Writes what changed, holding the write lock: one record appended to the
   * file we hold when it appends (v2) and its header is unchanged; otherwise
   * (creation, a v1 file — this is its upgrade —, a new header or key, a log
   * past the hard limit) a whole new file, atomically, the old one kept as a backup.
   */
  private async save(change?: VaultChange): Promise<void> {
    // A lock that landed while the caller awaited (a password check, the keychain) wiped the keys in
    // place: writing now would seal the body under a zeroed key. Refuse; nothing on disk changes.
    this.assertUnlocked();
    const log = this.onDisk?.log;
    if (change && log && headerIdentity(this.header) === this.headerOnDisk && !compactionDue(log, 'hard')) {
      await this.append(change, log);
      // The save is acknowledged from here on: compaction is housekeeping, and its failure leaves the valid longer file.
      const after = this.onDisk!.log!;
      if (compactionDue(after, 'hard')) await this.rewrite().catch(() => undefined);
      else if (this.deps.compactInBackground && compactionDue(after, 'soft')) this.compactSoon();
      return;
    }
    await this.rewrite();
  }

  /** One record after the last one, fsynced before the save is acknowledged; a torn tail a crash left is cut off first. */
  private async append(change: VaultChange, log: VaultLog): Promise<void> {
    const append = appendChange(log.position, change, this.subkeys.body, this.deps.random);
    const { next } = append;
    const backedUp = await this.backupBeforeAppendIfDue(log);
    try {
      await this.deps.fs.writeAt(this.paths.vault, append.offset, append.bytes, { before: log.position.chain, safeToCut: append.safeToCut, commit: append.commit });
    } catch (err) {
      if (err instanceof FileChangedError)
        throw new KeywardError('BUSY', 'Another Keyward process changed the vault while this change was being saved; nothing was written. Try again.');
      throw err;
    }
    this.header = { ...this.header, generation: next.seq };
    this.highestGeneration = Math.max(this.highestGeneration, next.seq);
    // We hold the write lock, so the file cannot change between the write and this stat.
    this.onDisk = { stat: (await this.deps.fs.stat(this.paths.vault))!, checksum: Buffer.from(next.chain), log: { ...log, position: next, tornBytes: 0 } };
    await this.rememberGeneration();
    // Pruning is housekeeping: a failure here must not report the save as failed.
    if (backedUp) await this.backups.prune(this.body.settings.backupsToKeep).catch(() => undefined);
  }

  /**
   * A copy of the file before it is appended to, when one is due: always for a
   * small vault (the copy costs less than the save), always when torn bytes are
   * about to be cut off (the copy keeps them, in case they were not a crash's),
   * and for a larger vault when the newest backup is older than
   * BACKUP_INTERVAL_MS, so a save keeps costing the change. A failed copy fails
   * the save before anything is written.
   */
  private async backupBeforeAppendIfDue(log: VaultLog): Promise<boolean> {
    // The security policy may turn routine backups off (backup_enabled); bytes about to be cut off are kept whatever it says.
    if (log.tornBytes === 0 && !backupsEnabled(this.body)) return false;
    if (log.tornBytes === 0 && log.position.end > BACKUP_EVERY_SAVE_BELOW_BYTES) {
      const newest = await this.backups.newestMadeAt();
      const age = newest ? this.deps.clock.now().getTime() - newest.getTime() : Infinity;
      // A backup stamped in the future (a clock that ran ahead) does not count as recent.
      if (age >= 0 && age < BACKUP_INTERVAL_MS) return false;
    }
    await this.backups.preserveCopy(this.header.generation);
    return true;
  }

  /** A whole new file (a snapshot of the state), replacing the old one atomically; the old one is kept as a backup. */
  private async rewrite(): Promise<void> {
    this.assertUnlocked();
    const header: VaultHeader = { ...this.header, generation: Math.max(this.header.generation, this.highestGeneration) + 1 };
    this.body.encryptions.body += 1;
    const written = await writeVaultFile(header, this.body, this.subkeys.body, this.deps.random);
    if (backupsEnabled(this.body)) await this.backups.replaceVault(written.parts, this.header.generation);
    else await this.deps.fs.writeFileAtomic(this.paths.vault, written.parts);
    this.header = header;
    this.headerOnDisk = headerIdentity(header);
    this.highestGeneration = header.generation;
    // We hold the write lock, so the file cannot change between the write and this stat.
    this.onDisk = fingerprintOf(await this.deps.fs.stat(this.paths.vault), written.parts.at(-1)!, written.log);
    await this.rememberGeneration();
    // Pruning is housekeeping: a failure here must not report the save as failed.
    await this.backups.prune(this.body.settings.backupsToKeep).catch(() => undefined);
  }

  /**
   * Folds the log into a new snapshot, off the hot path: after the save that
   * crossed the soft limit has been acknowledged, under the write lock, from
   * the file as it is then. A failure leaves the (valid) longer file.
   */
  private compactSoon(): void {
    if (this.compaction) return;
    this.compaction = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.compactNow())
      .catch(() => undefined)
      .finally(() => {
        this.compaction = null;
      });
  }

  /** Compacts now if the log is past the soft limit, or whenever `force` (and the session is still open). */
  async compactNow(options: { force?: boolean } = {}): Promise<void> {
    if (this.locked) return;
    await this.writeLock.withLock(this.paths.lock, async () => {
      if (this.locked) return;
      await this.refresh();
      const log = this.onDisk?.log;
      if ((options.force || (log && compactionDue(log, 'soft'))) && !this.locked) await this.rewrite();
    });
  }

  /** Resolves when background work (compaction) has ended: a short-lived process waits for it before it exits. */
  async settled(): Promise<void> {
    await this.compaction;
  }

  private async reloadAfterFailedWrite(): Promise<void> {
    this.onDisk = null;
    // A locked session holds no keys to read the file with; the next unlock reads it.
    if (this.locked) return;
    const stat = await this.deps.fs.stat(this.paths.vault).catch(() => null);
    const data = await this.deps.fs.readFile(this.paths.vault).catch(() => null);
    if (data) await this.adopt(data, stat).catch(() => undefined);
  }

  /** Re-wraps the vault key under a new master password (new salt, chosen iterations). */
  async changePassword(currentPassword: string, newPassword: string, kdfIterations = this.header.kdf.iterations): Promise<void> {
    this.assertUnlocked();
    if (newPassword.length === 0) throw fail.badRequest('The new master password must not be empty.', 'newPassword');
    assertKdfIterations(kdfIterations);
    // Inside the write lock, after the re-read: the current password is checked
    // against the header on disk, and the new wrap is of the key that file uses.
    await this.transact(async () => {
      await this.reauthenticateLocked(currentPassword, 'currentPassword');
      this.assertUnlocked();
      const next = await buildHeader(this.deps, newPassword, kdfIterations, this.header.vaultId, this.header.keyId, this.vaultKey, this.header.createdAt, 0);
      this.header = { ...this.header, kdf: next.kdf, passwordWrap: next.passwordWrap };
    });
  }

  /**
   * The password check for a caller that holds the write lock and has just
   * re-read the file: `this.header` is the header on disk. Returns the
   * password-derived key for that header (the caller wipes it).
   */
  private async reauthenticateLocked(password: string, field: string): Promise<Buffer> {
    const checked = await checkPassword(this.deps, this.paths, () => this.header, password, { field });
    wipe(checked.vaultKey);
    return checked.passwordKey;
  }

  /**
   * Replaces the vault key: a new random key with a new id, every secret value
   * re-encrypted under it, the body sealed under its subkeys and the new key
   * wrapped under the master password (and stored in the keychain if enabled).
   *
   * Crash-safe by ordering: the new keychain entry is written before the file,
   * the file is replaced atomically (old key or new key, never a mix), and the
   * old keychain entry is deleted only after. Keys are told apart by id, so
   * whatever step a crash interrupts, the vault opens with all its data.
   * `hooks` lets tests stop between steps.
   */
  async rotateVaultKey(
    password: string,
    hooks: { afterKeychainSet?: () => Promise<void>; afterSave?: () => Promise<void>; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<void> {
    this.assertUnlocked();
    await this.writeLock.withLock(this.paths.lock, async () => {
      await this.refresh();
      // Checked and derived from the header just re-read under the write lock: the
      // new key is wrapped under the password that file really has, with its salt.
      const passwordKey = await this.reauthenticateLocked(password, 'password');
      try {
        this.assertUnlocked();
        const newKey = this.deps.random.bytes(KEY_BYTES);
        const newKeyId = this.deps.random.uuid();
        const newSubkeys = deriveSubkeys(newKey, this.header.vaultId);
        const newSealer = new SecretSealer(newSubkeys.secrets, this.header.vaultId, this.deps.random);
        let secrets = 0;
        const credentials: StoredCredential[] = [];
        // Every value is opened and sealed again: at 100k, seconds of work, so the event loop gets its turns.
        const pacer = eventLoopPacer();
        try {
          for (const c of this.body.credentials) {
            credentials.push({
              ...c,
              versions: c.versions.map((v) => {
                secrets++;
                return { ...v, ...newSealer.seal(c.id, v.version, this.sealer.open(c.id, v.version, v)) };
              }),
            });
            if (credentials.length % 256 === 0) {
              hooks.onProgress?.(credentials.length, this.body.credentials.length);
              await pacer.pause();
            }
            // Locked during a pause: the old keys are gone; stop, and leave nothing of the new one.
            this.assertUnlocked();
          }
          hooks.onProgress?.(credentials.length, credentials.length);
        } catch (err) {
          wipe(newKey, ...Object.values(newSubkeys));
          throw err;
        }
        const now = this.deps.clock.now().toISOString();
        const body: VaultBody = await freezeCredentialsPaced({ ...this.body, credentials, encryptions: { body: 0, secrets }, keyCreatedAt: now });
        const header: VaultHeader = {
          ...this.header,
          keyId: newKeyId,
          passwordWrap: wrapVaultKey(passwordKey, this.deps.random.bytes(NONCE_BYTES), newKey, { vaultId: this.header.vaultId, keyId: newKeyId, kdf: this.header.kdf }),
        };
        const oldAccount = keychainAccount(this.header.vaultId, this.header.keyId);
        let keychainKept = header.keychain;
        if (header.keychain) {
          try {
            await this.deps.keychain.set(keychainAccount(header.vaultId, newKeyId), newKey.toString('base64'));
          } catch (err) {
            if (!(err instanceof KeychainUnavailableError)) throw err;
            // Without the keychain now, the new key can only be unlocked with the password.
            keychainKept = false;
          }
        }
        await hooks.afterKeychainSet?.();
        if (this.locked) {
          wipe(newKey, ...Object.values(newSubkeys));
          throw fail.locked();
        }
        const previous = { header: this.header, body: this.body, vaultKey: this.vaultKey, subkeys: this.subkeys, sealer: this.sealer };
        this.header = { ...header, keychain: keychainKept };
        this.body = body;
        this.vaultKey = newKey;
        this.subkeys = newSubkeys;
        this.sealer = newSealer;
        try {
          await this.save();
        } catch (err) {
          Object.assign(this, previous);
          throw err;
        }
        wipe(previous.vaultKey, ...Object.values(previous.subkeys));
        await hooks.afterSave?.();
        if (previous.header.keychain) await this.deps.keychain.delete(oldAccount).catch(() => false);
      } finally {
        wipe(passwordKey);
      }
    });
  }

  /** When the current vault key was made. */
  get keyCreatedAt(): string {
    this.assertUnlocked();
    return this.body.keyCreatedAt ?? this.header.createdAt;
  }

  /**
   * Re-authentication: checks a password against this vault's file as it is on
   * disk now (read inside the password check's lock), counting a failure like
   * any other and leaving the counter alone on success.
   */
  async verifyPassword(password: string, field = 'password'): Promise<void> {
    this.assertUnlocked();
    const checked = await checkPassword(this.deps, this.paths, async () => {
      const { header } = await readContainer(this.deps.fs, this.paths);
      if (header.vaultId !== this.header.vaultId) throw fail.corrupted('The vault file was replaced by a different vault.');
      return header;
    }, password, { field });
    wipe(checked.vaultKey, checked.passwordKey);
  }

  /**
   * Stores (or removes) the vault key in the OS keychain and records the choice
   * in the header. Turning it on copies the vault key to where it unlocks with
   * no password and no lockout, so it needs the master password (checked
   * against the file on disk, under the write lock); the key stored is the one
   * of the file just re-read.
   */
  async setKeychainEnabled(enabled: boolean, password?: string): Promise<KeychainNote> {
    this.assertUnlocked();
    if (enabled && password === undefined) throw fail.badRequest('Turning the keychain on needs the master password.', 'password');
    let note: string | undefined;
    await this.transact(async () => {
      if (enabled) wipe(await this.reauthenticateLocked(password!, 'password'));
      // Locked meanwhile: the key in memory is zeros and must never reach the keychain.
      this.assertUnlocked();
      const account = keychainAccount(this.header.vaultId, this.header.keyId);
      try {
        if (enabled) await this.deps.keychain.set(account, this.vaultKey.toString('base64'));
        else await this.deps.keychain.delete(account);
      } catch (err) {
        if (!(err instanceof KeychainUnavailableError)) throw err;
        if (enabled) throw new KeywardError('KEYCHAIN_UNAVAILABLE', err.reason);
        // Disabling without a reachable keychain: record the choice anyway, and say the entry may linger.
        note = `The keychain could not be reached to delete the stored key: ${err.reason}`;
      }
      this.header = { ...this.header, keychain: enabled };
    });
    return note ? { keychainNote: note } : {};
  }

  /**
   * Reads another file of this same vault (a backup) with the key held in
   * memory, for previews. Fails with AUTH_FAILED if it was made under another key.
   */
  async openSibling(data: Buffer, what: string): Promise<VaultBody> {
    this.assertUnlocked();
    const { header, openBody } = readVaultFile(data, what);
    if (header.vaultId !== this.header.vaultId) throw fail.badRequest(`${what} belongs to a different vault.`);
    if (header.keyId !== this.header.keyId) throw earlierKeyError(what);
    const body = await openBody(this.subkeys.body);
    if (!body) throw fail.corrupted(`${what} is corrupted or tampered: its contents do not authenticate.`);
    return body;
  }

  /**
   * Opens a backup read-only, for a preview; the live vault is not touched. One
   * made under this session's key opens with it. One made under an earlier key
   * (before a key rotation) needs `password`: the master password that was
   * current when it was written, checked like every password (same lockout,
   * failures counted) against the backup's own header. The password is used for
   * the KDF only and never kept or logged.
   */
  async openBackup(file: string, password?: string): Promise<OpenedBackup> {
    this.assertUnlocked();
    const what = `The backup ${file}`;
    const data = await this.backups.read(file);
    const vaultFile = readVaultFile(data, what);
    const { header } = vaultFile;
    if (header.vaultId !== this.header.vaultId) throw fail.badRequest(`${what} belongs to a different vault.`);
    if (header.keyId === this.header.keyId) return { body: await this.openSibling(data, what), header, openedWith: 'vault-key' };
    if (password === undefined) throw earlierKeyError(what);
    const checked = await checkPassword(this.deps, this.paths, () => header, password, { field: 'password' });
    wipe(checked.passwordKey);
    const subkeys = deriveSubkeys(checked.vaultKey, header.vaultId);
    try {
      const body = await vaultFile.openBody(subkeys.body);
      if (!body) throw fail.corrupted(`${what} is corrupted or tampered: its contents do not authenticate.`);
      // Same salt as the live header: the password has not changed since (a key rotation keeps the wrap's KDF).
      const openedWith = header.kdf.salt === this.header.kdf.salt ? 'current-password' : 'earlier-password';
      return { body, header, openedWith };
    } finally {
      wipe(checked.vaultKey, ...Object.values(subkeys));
    }
  }

  /**
   * Replaces the vault with a backup (which must be intact). The current file is itself kept as a backup first.
   * 'needs-unlock': the backup was made under an earlier vault key, which this session does not hold —
   * the file is restored and the caller must lock and ask for the master password it was saved with.
   */
  /**
   * Restores a backup in place. `judge` sees today's state (re-read under the
   * write lock) and the backup's — null for a backup under an earlier vault
   * key, which this session cannot read ('needs-unlock') — before anything is
   * replaced, and may refuse. The vault's configuration stays as it
   * is now (carryConfiguration).
   */
  async restoreBackup(file: string, judge?: (today: Readonly<VaultBody>, restored: Readonly<VaultBody> | null) => void): Promise<'restored' | 'needs-unlock'> {
    this.assertUnlocked();
    return this.writeLock.withLock(this.paths.lock, async () => {
      await this.refresh();
      const what = `The backup ${file}`;
      // Read once: what is judged is what is restored.
      const backup = await this.backups.read(file);
      if (judge) judge(this.body, readVaultFile(backup, what).header.keyId === this.header.keyId ? await this.openSibling(backup, what) : null);
      await restoreBackupFileLocked(this.paths, file, this.deps, backup);
      // A restore the user chose is not a rollback: adopt the older generation on
      // purpose, then save it as the newest generation so it stays ahead of every copy seen.
      const stat = await this.deps.fs.stat(this.paths.vault);
      const data = await this.deps.fs.readFile(this.paths.vault);
      if (!data) throw fail.notFound(`The vault file ${this.paths.vault} was removed.`);
      if (readVaultFile(data).header.keyId !== this.header.keyId) return 'needs-unlock';
      // Grants, policy and settings are who may read the vault now and how, not part of what a backup restores:
      // a grant revoked since must not come back, a rule added since must not vanish.
      const today = this.body;
      await this.adopt(data, stat, { acceptOlder: true });
      carryConfiguration(today, this.body);
      await this.save();
      // What follows a save follows this whole new state (a grant the backup does not know loses its file).
      for (const hook of this.savedHooks) await hook(-1, this.header.generation, 'all');
      return 'restored';
    });
  }

  /** Drops every key from memory. The session cannot be used afterwards. */
  lock(): void {
    if (this.locked) return;
    this.locked = true;
    wipe(this.vaultKey, ...Object.values(this.subkeys));
    // Credentials never decoded are not decoded now: what was kept for them is wiped.
    dropCredentialsOnDemand(this.body);
    // The audit trail's key goes too (a string cannot be wiped: nothing here refers to it any more).
    const { audit: _audit, ...rest } = this.body;
    this.body = { ...rest, credentials: [] };
    this.trailHead = null;
  }

  private assertUnlocked(): void {
    if (this.locked) throw fail.locked();
  }
}

/**
 * Restores a backup over the vault without unlocking it (a tampered vault cannot
 * be unlocked). The backup must pass its checksum; the file it replaces is kept
 * in the backups folder, so a restore loses nothing either.
 */
export async function restoreBackupFile(path: string, file: string | undefined, deps: VaultDeps): Promise<string> {
  const paths = vaultPaths(path);
  return new WriteLock(deps.fs, deps.random, { timeoutMs: deps.lockTimeoutMs, isProcessAlive: deps.isProcessAlive }).withLock(paths.lock, async () => {
    const chosen = await restoreBackupFileLocked(paths, file, deps);
    // Chosen on purpose while locked (no key to record it with): the next unlock may open this older generation once.
    const restored = readVaultFile(await new Backups(deps.fs, deps.clock, paths).read(chosen)).header;
    await seenStore(deps).allowOlderOnce(restored.vaultId, restored.generation).catch(() => undefined);
    return chosen;
  });
}

/**
 * What each intact backup holds, while the vault itself cannot be opened (a
 * damaged file): one password check against the newest backup's header —
 * counted under the lockout like any other — and the key it derives then opens
 * every backup wrapped under the same password (same salt and iterations).
 * Backups under an earlier password keep no count. Nothing is written; no key
 * outlives the call.
 */
export async function inspectBackupsWithPassword(path: string, password: string, deps: VaultDeps): Promise<BackupInfo[]> {
  const paths = vaultPaths(path);
  const backups = new Backups(deps.fs, deps.clock, paths);
  const list = await backups.list();
  const intact = list.filter((b) => b.intact);
  if (intact.length === 0) return list;
  const headerOf = async (file: string) => readVaultFile(await backups.read(file));
  const newest = await headerOf(intact[0]!.file);
  const checked = await checkPassword(deps, paths, () => newest.header, password, { field: 'password' });
  wipe(checked.vaultKey);
  const sameKdf = (h: VaultHeader) => h.kdf.salt === newest.header.kdf.salt && h.kdf.iterations === newest.header.kdf.iterations;
  try {
    return await describeBackups(list, async (file) => {
      const { header, openBody } = await headerOf(file);
      if (header.vaultId !== newest.header.vaultId || !sameKdf(header)) return null;
      const vaultKey = unwrapVaultKey(checked.passwordKey, header);
      if (!vaultKey) return null;
      const subkeys = deriveSubkeys(vaultKey, header.vaultId);
      try {
        return await openBody(subkeys.body);
      } finally {
        wipe(vaultKey, ...Object.values(subkeys));
      }
    });
  } finally {
    wipe(checked.passwordKey);
  }
}

/** The restore itself; the caller holds the write lock. */
async function restoreBackupFileLocked(paths: VaultPaths, file: string | undefined, deps: VaultDeps, read?: Buffer): Promise<string> {
  const backups = new Backups(deps.fs, deps.clock, paths);
  const chosen = file || (await backups.listIntact())[0]?.file;
  if (!chosen) throw fail.notFound(`No intact backup of ${basename(paths.vault)} was found in ${paths.backupsDir}.`);
  const data = read ?? (await backups.read(chosen));
  await checkVaultFilePaced(data, `The backup ${chosen}`);
  // The file being replaced is kept under its own generation (read from it, not from the backup).
  const current = await deps.fs.readFile(paths.vault);
  let currentGeneration = 0;
  if (current) {
    try {
      currentGeneration = readVaultFile(current).header.generation;
    } catch {
      /* a damaged current file is still kept, as generation 0 */
    }
  }
  await backups.replaceVault([data], currentGeneration);
  return chosen;
}

/** What a preview opened and with what. */
export interface OpenedBackup {
  body: VaultBody;
  header: VaultHeader;
  openedWith: 'vault-key' | 'current-password' | 'earlier-password';
}

/** A backup from before a key rotation: it opens with the password of its time, which the caller must ask for. */
function earlierKeyError(what: string): KeywardError {
  return new KeywardError(
    'AUTH_FAILED',
    `${what} was made under an earlier vault key. Enter the master password that was current when it was written to preview it; the live vault is not changed.`,
    { field: 'password' },
  );
}

/** OLDER_COPY: the file on disk is an older generation than one already seen. */
export function olderCopyError(fileGeneration: number, seenGeneration: number): KeywardError {
  return new KeywardError(
    'OLDER_COPY',
    `The vault file was replaced by an older copy (generation ${fileGeneration}; this session has already seen generation ${seenGeneration}). ` +
      'Nothing was adopted or written. Keep what Keyward shows (it is written back over the older copy), or reopen the file as it is now.',
  );
}
