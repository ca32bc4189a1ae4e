/**
 * Keeps every grant's file in step with the vault (grant-file.ts): after each
 * save, holding the vault's write lock, a writer re-seals the entries of the
 * credentials that save put or removed, in every grant they are or were in
 * scope of; a grant whose definition or whose file's generation does not
 * match is re-sealed whole. A revoked grant's file is deleted; a suspended
 * grant's too, until it is resumed.
 *
 * A save is acknowledged before its grants are synced. If a grant's file
 * cannot be written, it is deleted rather than left stale (the grant then
 * opens nothing until the next save writes it whole), so a token never reads a
 * value that has left its scope or been rotated away.
 */
import { join } from 'node:path';
import { inScope, parseScope, roleCan, type ScopeSelector } from '../../../shared/grants.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { sha256 } from '../crypto/primitives.js';
import type { Clock } from '../ports/clock.js';
import type { FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';
import { effectiveRules } from '../rotation/due.js';
import { ruleEffects } from '../policy/rules/index.js';
import { currentVersionOf } from '../service/vault-service.js';
import type { StoredCredential, StoredGrant, VaultBody } from '../vault/body.js';
import { credentialById } from '../vault/credential-index.js';
import { grantAad, grantSubkeys, sealPart } from './grant-crypto.js';
import { entryDigest, GRANT_FILE_FORMAT, openGrantManifest, parseGrantFile, wipeSubkeys, type GrantEntry, type GrantFile, type GrantManifest } from './grant-file.js';

/** What the sync needs of an unlocked session. */
export interface GrantSyncSource {
  vaultId: string;
  body: Readonly<VaultBody>;
  openValue(credentialId: string, version: number, sealed: StoredCredential['versions'][number]): string;
}

export interface GrantSyncDeps {
  fs: FileSystem;
  random: Random;
  clock: Clock;
}

/** The folder beside the vault that holds one file per grant. */
export function grantsDir(vaultPath: string): string {
  return `${vaultPath}.grants`;
}

export function grantFilePath(vaultPath: string, grantId: string): string {
  return join(grantsDir(vaultPath), grantId);
}

export function selectorsOf(grant: Pick<StoredGrant, 'scopes'>): ScopeSelector[] {
  return grant.scopes.map((s) => {
    const parsed = parseScope(s);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed;
  });
}

/** What a credential is to a grant, sealed in its file; its value only for roles that may run or read. */
export function grantEntryFor(grant: StoredGrant, c: StoredCredential, body: Readonly<VaultBody>, source: GrantSyncSource): GrantEntry {
  const current = currentVersionOf(c);
  const entry: GrantEntry = {
    id: c.id,
    name: c.name,
    type: c.type,
    provider: c.provider,
    description: c.description,
    tags: [...c.tags],
    fields: { ...c.fields },
    active: c.active,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastRotatedAt: c.lastRotatedAt,
    expiresAt: c.expiresAt,
    version: current.version,
    rotation: {
      rules: effectiveRules(body.rotation, c, body.policy?.rules),
      ...(c.rotation?.compromisedAt ? { compromisedAt: c.rotation.compromisedAt } : {}),
      ...(c.rotation?.snoozedUntil ? { snoozedUntil: c.rotation.snoozedUntil } : {}),
    },
    ...(current.strength ? { strength: current.strength.score } : {}),
  };
  // Custom rules: a value every use of which needs approval, or that must never leave as plain text, stays out of the file.
  const effects = ruleEffects(body.policy?.rules, c);
  if (effects.grantsNeedApproval) entry.approval = effects.grantsNeedApproval;
  if (effects.noPlaintextExport) entry.noExport = effects.noPlaintextExport;
  // An "ask" grant's file holds no value either: its values come only from the running app, once approved.
  if (roleCan(grant.role, 'run') && !grant.ask && !entry.approval && !entry.noExport) entry.value = source.openValue(c.id, current.version, current);
  return entry;
}

/** The grant's definition and the rotation policy its entries were computed with: when it changes, every entry is re-sealed. */
function basisOf(grant: StoredGrant, body: Readonly<VaultBody>): string {
  const { name, role, scopes, allowCommands, expiresAt, ask } = grant;
  return sha256(Buffer.from(canonicalJson({ name, role, scopes, allowCommands, expiresAt, ask, rotation: body.rotation, rules: body.policy?.rules ?? [] }), 'utf8')).toString('hex');
}

export class GrantSync {
  constructor(
    private readonly deps: GrantSyncDeps,
    private readonly vaultPath: string,
  ) {}

  /**
   * Brings every grant file up to `generation` (the one just saved). `changed`
   * names the credentials the save put or removed ('all': re-seal everything).
   * `previous` is the generation before the save: a file at another one missed
   * a save (a crash, another writer's failure) and is re-sealed whole.
   */
  async sync(source: GrantSyncSource, previous: number, generation: number, changed: ReadonlySet<string> | 'all'): Promise<void> {
    const grants = this.live(source.body);
    const dir = grantsDir(this.vaultPath);
    if (grants.length === 0 && !(await this.deps.fs.stat(dir))) return;
    await this.deps.fs.ensureDir(dir);
    for (const grant of grants) {
      try {
        await this.syncOne(source, grant, previous, generation, changed);
      } catch {
        // Never stale: a file that could not be brought up to date is removed (see above).
        await this.deps.fs.unlink(grantFilePath(this.vaultPath, grant.id)).catch(() => undefined);
      }
    }
    await this.prune(source.body, true);
  }

  /** The grants whose files should exist: not suspended, not expired. */
  private live(body: Readonly<VaultBody>): StoredGrant[] {
    const now = this.deps.clock.now().getTime();
    return (body.grants ?? []).filter((g) => !g.suspended && !(g.expiresAt && Date.parse(g.expiresAt) <= now));
  }

  /**
   * Deletes the files of grants that are revoked, suspended or expired (an
   * expired grant's file would otherwise keep receiving rotated values for a
   * token holder whose clock says otherwise), and any temporary file a crash
   * left mid-write (only under the write lock: `withTemps`). Runs after each
   * save and at each unlock.
   */
  async prune(body: Readonly<VaultBody>, withTemps = false): Promise<void> {
    const dir = grantsDir(this.vaultPath);
    const names = await this.deps.fs.list(dir).catch(() => [] as string[]);
    const live = new Set(this.live(body).map((g) => g.id));
    for (const name of names)
      if ((/^[0-9a-f]{24}$/.test(name) && !live.has(name)) || (withTemps && /^\.[0-9a-f]{24}\..*\.tmp$/.test(name))) await this.deps.fs.unlink(join(dir, name)).catch(() => undefined);
  }

  /** Whether the grant's file is gone (what revocation and suspension promise). */
  async gone(grantId: string): Promise<boolean> {
    return (await this.deps.fs.stat(grantFilePath(this.vaultPath, grantId))) === null;
  }

  private async syncOne(source: GrantSyncSource, grant: StoredGrant, previous: number, generation: number, changed: ReadonlySet<string> | 'all'): Promise<void> {
    const path = grantFilePath(this.vaultPath, grant.id);
    const grantKey = Buffer.from(grant.key, 'base64');
    const keys = grantSubkeys(grantKey, grant.id);
    try {
      const body = source.body;
      const basis = basisOf(grant, body);
      const selectors = selectorsOf(grant);
      const covered = (c: StoredCredential | undefined): c is StoredCredential => c !== undefined && inScope(selectors, c);
      const seal = (c: StoredCredential) => {
        const plaintext = Buffer.from(JSON.stringify(grantEntryFor(grant, c, body, source)), 'utf8');
        try {
          return sealPart(keys.contents, plaintext, grantAad('entry', source.vaultId, grant.id, c.id), this.deps.random);
        } finally {
          plaintext.fill(0);
        }
      };

      let entries: Record<string, string> = {};
      const previousFile = changed === 'all' ? null : await this.readFile(path, grantKey);
      if (previousFile && previousFile.manifest.generation === previous && previousFile.manifest.basis === basis && previousFile.file.vault === source.vaultId) {
        entries = { ...previousFile.file.entries };
        for (const id of changed as ReadonlySet<string>) {
          const c = credentialById(body, id);
          if (covered(c)) entries[id] = seal(c);
          else delete entries[id];
        }
      } else {
        for (const c of body.credentials) if (covered(c)) entries[c.id] = seal(c);
      }

      const manifest: GrantManifest = {
        id: grant.id,
        grant: { name: grant.name, role: grant.role, scopes: grant.scopes, allowCommands: grant.allowCommands, expiresAt: grant.expiresAt, ask: grant.ask },
        generation,
        writtenAt: this.deps.clock.now().toISOString(),
        basis,
        entries: Object.fromEntries(Object.entries(entries).map(([id, sealed]) => [id, entryDigest(sealed)])),
      };
      const file: GrantFile = {
        'keyward-grant': GRANT_FILE_FORMAT,
        vault: source.vaultId,
        grant: grant.id,
        wrap: grant.wrap,
        manifest: sealPart(keys.contents, Buffer.from(JSON.stringify(manifest), 'utf8'), grantAad('manifest', source.vaultId, grant.id), this.deps.random),
        entries,
      };
      await this.deps.fs.writeFileAtomic(path, Buffer.from(JSON.stringify(file), 'utf8'));
    } finally {
      grantKey.fill(0);
      wipeSubkeys(keys);
    }
  }

  /** The grant's current file, if it is there and authenticates under G (else it is re-sealed whole). */
  private async readFile(path: string, grantKey: Buffer): Promise<{ file: GrantFile; manifest: GrantManifest } | null> {
    const bytes = await this.deps.fs.readFile(path);
    const file = bytes && parseGrantFile(bytes);
    if (!file) return null;
    try {
      // Entries are copied as they are: the manifest names each one's bytes, so none is decrypted.
      return { file, manifest: openGrantManifest(file, grantKey) };
    } catch {
      return null;
    }
  }
}
