/**
 * Managing grants, as the vault's owner (docs/grants.md): making one (its
 * token shown once), listing, showing, revoking, suspending and resuming.
 * Every change is a save of the body's `grants` member through the audited
 * door, recorded as `grant.add.NAME`, `grant.revoke.NAME`…; the grant files
 * follow every save (grant-sync.ts). Only the owner manages grants: there is
 * no grant role that may.
 */
import { grantNameProblem, grantRole, inScope, parseScope, scopeText, type GrantRole, type GrantView, type NewGrant } from '../../../shared/grants.js';
import type { AuditDoor } from '../audit/audit-door.js';
import { fail, KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import { safeText } from '../text/safe-text.js';
import type { StoredGrant } from '../vault/body.js';
import type { VaultSession } from '../vault/vault-session.js';
import { grantAad, grantSubkeys, makeToken, newGrantId, newGrantKey, sealPart, tokenHash, wrapKeyFromSecret } from './grant-crypto.js';
import { wipeSubkeys } from './grant-file.js';
import { selectorsOf, type GrantSync } from './grant-sync.js';

/** What a new grant is asked to be; checked here, whoever asks (CLI, IPC). */
export interface GrantInput {
  name: string;
  role: string;
  scopes?: readonly string[];
  /** Each an argv prefix as words ("npm test"), or already split. */
  allowCommands?: readonly (string | readonly string[])[];
  /** An ISO date or time; a bare date means the end of that day, UTC. */
  expiresAt?: string | null;
  ask?: boolean;
}

/** Uses of a grant, from the audit trail: how many, the last, and per day over the last 30. */
export type GrantUsage = (actor: string) => Promise<Required<Pick<GrantView, 'uses' | 'lastUsedAt' | 'usesByDay'>>>;

const MAX_GRANTS = 200;

export class GrantService {
  readonly #session: VaultSession;
  readonly #door: AuditDoor;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #usage: GrantUsage;
  readonly #files: GrantSync;

  constructor(session: VaultSession, door: AuditDoor, deps: { clock: Clock; random: Random }, files: GrantSync, usage: GrantUsage) {
    this.#session = session;
    this.#files = files;
    this.#door = door;
    this.#clock = deps.clock;
    this.#random = deps.random;
    this.#usage = usage;
  }

  /** Every grant, oldest first, with its uses when asked (a read of the trail per grant); never a token or a key. */
  list(options: { withUsage?: boolean } = {}): Promise<GrantView[]> {
    return this.#door.run('grant.list', undefined, async () => {
      const grants = (this.#session.state.grants ?? []).map((g) => this.#view(g));
      if (!options.withUsage) return grants;
      const views: GrantView[] = [];
      for (const g of grants) views.push({ ...g, ...(await this.#usage(`grant:${g.name}`)) });
      return views;
    });
  }

  /** One grant with its uses (from the audit trail). */
  show(name: string): Promise<GrantView> {
    return this.#door.run('grant.show', undefined, async () => {
      const grant = this.#find(name);
      return { ...this.#view(grant), ...(await this.#usage(`grant:${grant.name}`)) };
    });
  }

  /** Makes a grant and answers its token, which is never stored and cannot be shown again. */
  add(input: GrantInput): Promise<NewGrant> {
    return this.#door.run(`grant.add.${safeName(String(input.name ?? ''))}`, undefined, async () => {
      const checked = this.#checked(input);
      const id = newGrantId(this.#random);
      const key = newGrantKey(this.#random);
      const { token, secret } = makeToken(id, this.#random);
      const wrapKey = wrapKeyFromSecret(secret, id);
      const subkeys = grantSubkeys(key, id);
      try {
        const grant: StoredGrant = {
          ...checked,
          id,
          createdAt: this.#clock.now().toISOString(),
          key: key.toString('base64'),
          tokenHash: tokenHash(subkeys, secret),
          wrap: sealPart(wrapKey, key, grantAad('wrap', this.#session.info.vaultId, id), this.#random),
        };
        await this.#session.transact((body) => {
          const grants = body.grants ?? [];
          // Judged again on the state just re-read: another process may have made one of that name meanwhile.
          if (grants.some((g) => g.name === checked.name)) throw fail.exists(`There is already a grant named "${checked.name}". Revoke it first, or choose another name.`);
          if (grants.length >= MAX_GRANTS) throw fail.badRequest(`A vault holds at most ${MAX_GRANTS} grants; revoke some first.`);
          body.grants = [...grants, grant];
        });
        return { grant: this.#view(grant), token };
      } finally {
        key.fill(0);
        secret.fill(0);
        wrapKey.fill(0);
        wipeSubkeys(subkeys);
      }
    });
  }

  /** Deletes the grant and its key material (its file beside the vault): its token opens nothing from now on. */
  revoke(name: string): Promise<void> {
    return this.#door.run(`grant.revoke.${safeName(name)}`, undefined, async () => {
      const { id } = this.#find(name);
      await this.#session.transact((body) => {
        const grants = body.grants ?? [];
        if (!grants.some((g) => g.name === name)) throw fail.notFound(`There is no grant named "${safeText(name)}".`);
        body.grants = grants.filter((g) => g.name !== name);
      });
      await this.#keyMaterialGone(id);
    });
  }

  /** What revocation and suspension promise, checked: the save's sync deleted the file, or this says it could not. */
  async #keyMaterialGone(id: string): Promise<void> {
    await this.#files.prune(this.#session.state);
    if (!(await this.#files.gone(id)))
      throw new KeywardError('INTERNAL', `The grant's file beside the vault could not be deleted, so its token still opens it. Delete ${this.#session.paths.vault}.grants/${id} by hand.`);
  }

  /** Suspends (its file removed, its token opening nothing) or resumes a grant; an incident response suspends too. */
  setSuspended(name: string, suspended: boolean): Promise<GrantView> {
    return this.#door.run(`grant.${suspended ? 'suspend' : 'resume'}.${safeName(name)}`, undefined, async () => {
      this.#find(name);
      await this.#session.transact((body) => {
        body.grants = (body.grants ?? []).map((g) => (g.name === name ? { ...g, suspended } : g));
      });
      const grant = this.#find(name);
      if (suspended) await this.#keyMaterialGone(grant.id);
      return this.#view(grant);
    });
  }

  #find(name: string): StoredGrant {
    const grant = (this.#session.state.grants ?? []).find((g) => g.name === name);
    if (!grant) throw fail.notFound(`There is no grant named "${safeText(name)}". "keyward grant list" lists them.`);
    return grant;
  }

  #view(g: StoredGrant): GrantView {
    const selectors = selectorsOf(g);
    let covers = 0;
    for (const c of this.#session.state.credentials) if (inScope(selectors, c)) covers += 1;
    return {
      id: g.id,
      name: g.name,
      role: g.role,
      scopes: [...g.scopes],
      allowCommands: g.allowCommands.map((a) => [...a]),
      expiresAt: g.expiresAt,
      ask: g.ask,
      createdAt: g.createdAt,
      suspended: g.suspended === true,
      covers,
    };
  }

  #checked(input: GrantInput): Omit<StoredGrant, 'id' | 'createdAt' | 'key' | 'tokenHash' | 'wrap'> {
    const name = String(input.name ?? '');
    const nameProblem = grantNameProblem(name);
    if (nameProblem) throw fail.badRequest(nameProblem, 'name');
    const role = grantRole(String(input.role ?? ''));
    if (!role) throw fail.badRequest(`"${safeText(String(input.role ?? ''))}" is not a role: viewer, runner, reader, rotator or admin.`, 'role');
    const scopes = (input.scopes ?? []).map((s) => {
      const parsed = parseScope(String(s));
      if ('error' in parsed) throw fail.badRequest(parsed.error, 'scope');
      return scopeText(parsed);
    });
    if (scopes.length > 50) throw fail.badRequest('A grant takes at most 50 scope selectors.', 'scope');
    const allowCommands = (input.allowCommands ?? []).map((c) => {
      const words = typeof c === 'string' ? c.trim().split(/\s+/).filter(Boolean) : [...c].map(String);
      if (words.length === 0 || words.some((w) => w.length > 1000 || w.includes('\0'))) throw fail.badRequest('An allowed command is the start of a command line, such as "npm test".', 'allowCommand');
      return words;
    });
    if (allowCommands.length > 0 && role.role === 'viewer') throw fail.badRequest('A viewer runs nothing: --allow-command is for runner and above.', 'allowCommand');
    const expiresAt = input.expiresAt ? expiryOf(input.expiresAt, this.#clock.now()) : null;
    return { name, role: role.role as GrantRole, scopes, allowCommands, expiresAt, ask: input.ask === true };
  }
}

/** An action-safe form of a name a caller gave (the audit record names the grant; a name that is not one is recorded as "unknown"). */
function safeName(name: string): string {
  return grantNameProblem(name) ? 'unknown' : name;
}

/** A date (the end of that day, UTC) or a time, in the future. */
export function expiryOf(text: string, now: Date): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text.trim());
  const ms = Date.parse(dateOnly ? `${text.trim()}T23:59:59.999Z` : text.trim());
  if (Number.isNaN(ms)) throw fail.badRequest(`"${safeText(text)}" is not a date: write YYYY-MM-DD or an ISO time.`, 'expires');
  if (ms <= now.getTime()) throw fail.badRequest(`${new Date(ms).toISOString()} is in the past: a grant's expiry is in the future.`, 'expires');
  return new Date(ms).toISOString();
}

/** Uses per UTC day over the 30 days ending today, oldest first (days without uses too). */
export function usesByDay(uses: readonly { at: string }[], now: Date): { day: string; uses: number }[] {
  const days: { day: string; uses: number }[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let i = 29; i >= 0; i--) days.push({ day: new Date(today - i * 86_400_000).toISOString().slice(0, 10), uses: 0 });
  const index = new Map(days.map((d, i) => [d.day, i]));
  for (const u of uses) {
    const i = index.get(u.at.slice(0, 10));
    if (i !== undefined) days[i]!.uses += 1;
  }
  return days;
}
