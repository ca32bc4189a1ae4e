/**
 * Credential operations over an unlocked vault (`UnlockedVault.credentials`).
 * Every operation runs through `run`, which hands it to the one AuditDoor;
 * `resolveValue` applies the policy to every value that enters; a value leaves
 * the core only through `reveal`. The session and the dependencies live in
 * service-internals.ts, reachable by the core's other services only.
 */
import { credentialType } from '../../../shared/credential-types/index.js';
import { isOnlyWhitespace } from '../../../shared/value-whitespace.js';
import type {
  CredentialDetail,
  CredentialPatch,
  CredentialSummary,
  ListFilter,
  NewCredential,
  ValueSource,
  VersionInfo,
} from '../../../shared/domain.js';
import { AuditDoor, type AuditTarget } from '../audit/audit-door.js';
import { bindInternals, type ServiceDeps } from './service-internals.js';
import { ruleEffects, rulesLeftBy, rulesSilencedByDeactivation } from '../policy/rules/index.js';
import { fail, KeywardError } from '../errors.js';
import { generateFromRecipe } from '../generator/generate.js';
import { refuses, type ValueContext } from '../policy/policy-gate.js';
import type { StoredCredential, StoredVersion, VaultBody } from '../vault/body.js';
import { editCredential, putCredential, removeCredential } from '../vault/vault-change.js';
import { credentialById, credentialsNamedLike, eachCredential } from '../vault/credential-index.js';
import type { VaultSession } from '../vault/vault-session.js';
import { findNameClash, nameClashError, validateNewCredential, validatePatch } from './credential-input.js';
import { policyRefusal, sameValueRefusal } from './refusals.js';
import { valueIssuer } from '../../../shared/health/value-issuer.js';

export const MAX_VALUE_BYTES = 1024 * 1024;

export type { ServiceDeps } from './service-internals.js';

export interface WriteOptions {
  /** Store a value that breaks policy anyway (it will show up as a finding). */
  force?: boolean;
}

/**
 * Summaries of stored credentials, kept per credential: a stored credential is
 * frozen and replaced when it changes, so its summary never goes stale, and
 * listing a large vault builds only the summaries of what changed since.
 */
const summaries = new WeakMap<StoredCredential, CredentialSummary>();

export function toSummary(c: StoredCredential): CredentialSummary {
  const kept = summaries.get(c);
  if (kept) return kept;
  const summary = summaryOf(c);
  if (Object.isFrozen(c)) summaries.set(c, Object.freeze(summary));
  return summary;
}

function summaryOf(c: StoredCredential): CredentialSummary {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    provider: c.provider,
    description: c.description,
    tags: c.tags,
    active: c.active,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastRotatedAt: c.lastRotatedAt,
    expiresAt: c.expiresAt,
    currentVersion: currentVersionOf(c).version,
    ...(valueIssuer(c) ? { issuedByProvider: true } : {}),
  };
}

function toVersionInfo(v: StoredVersion): VersionInfo {
  return { version: v.version, createdAt: v.createdAt, stage: v.stage, origin: v.origin, ...(v.note ? { note: v.note } : {}) };
}

export function toDetail(c: StoredCredential): CredentialDetail {
  return {
    ...toSummary(c),
    fields: { ...c.fields },
    versions: c.versions.map(toVersionInfo).reverse(),
    rotation: {
      override: { ...(c.rotation?.override ?? {}) },
      snoozedUntil: c.rotation?.snoozedUntil ?? null,
      ...(c.rotation?.compromisedAt ? { compromisedAt: c.rotation.compromisedAt } : {}),
      rotator: c.rotation?.rotator ?? null,
      runs: [...(c.rotation?.runs ?? [])],
      ...(c.rotation?.running ? { running: { ...c.rotation.running } } : {}),
    },
  };
}

export function currentVersionOf(c: StoredCredential): StoredVersion {
  const current = c.versions.find((v) => v.stage === 'current');
  if (!current) throw fail.corrupted(`Credential "${c.name}" has no current version.`);
  return current;
}

/** Finds by id first, then by exact (NFC) name. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Inside a transaction: the credential a reference names, made editable (the change records it). */
export function editFound(body: VaultBody, ref: string): StoredCredential {
  return editCredential(body, findCredential(body, ref).id);
}

export function findCredential(body: Readonly<VaultBody>, ref: string): StoredCredential {
  // Only a UUID-shaped reference can be an id.
  const byId = typeof ref === 'string' && UUID.test(ref) ? credentialById(body, ref) : undefined;
  if (byId) return byId;
  const name = typeof ref === 'string' ? ref.normalize('NFC') : ref;
  // Exact first (an older vault may hold " x " beside "x"); then trimmed, as names are now stored.
  const alike = typeof name === 'string' ? credentialsNamedLike(body, name) : [];
  const byName = alike.find((c) => c.name === name) ?? (typeof name === 'string' ? alike.find((c) => c.name === name.trim()) : undefined);
  if (!byName) throw fail.notFound(`No credential named "${truncate(String(ref))}".`);
  return byName;
}

function truncate(s: string, max = 80): string {
  const oneLine = s.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

/** What a filter looks at: the same members on a stored credential and on its summary. */
type Filterable = Pick<CredentialSummary, 'type' | 'active' | 'provider' | 'tags' | 'name' | 'description'>;

/**
 * The lower-cased text a search looks in, one field a line. Stored
 * credentials are frozen, so it is computed once per credential and kept
 * (a search at 100k then lower-cases the query, not the vault).
 */
const searchTexts = new WeakMap<object, string>();
/** Between fields of the search text: no query matches across it (a query holding it is searched field by field). */
const FIELD_BREAK = '\u0000';
function searchTextOf(c: Filterable): string {
  let text = searchTexts.get(c);
  if (text === undefined) {
    text = [c.name, c.provider, c.description, ...c.tags].map((t) => t.toLowerCase()).join(FIELD_BREAK);
    if (Object.isFrozen(c)) searchTexts.set(c, text);
  }
  return text;
}

export function matchesFilter(c: Filterable, filter: ListFilter): boolean {
  if (filter.type && c.type !== filter.type) return false;
  if (filter.active !== undefined && c.active !== filter.active) return false;
  if (filter.provider && c.provider.toLowerCase() !== filter.provider.toLowerCase()) return false;
  if (filter.tag && !c.tags.includes(filter.tag)) return false;
  if (filter.query) {
    const q = filter.query.toLowerCase();
    const text = searchTextOf(c);
    if (q.includes(FIELD_BREAK) ? !text.split(FIELD_BREAK).some((field) => field.includes(q)) : !text.includes(q)) return false;
  }
  return true;
}

/** What a credential field may be called (the types' field names are all of this shape). */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/** An operation that created a credential is recorded under the id it produced. */
function producedTarget(result: unknown): AuditTarget | undefined {
  const r = result as { id?: unknown; name?: unknown } | undefined;
  return r && typeof r === 'object' && typeof r.id === 'string' ? { id: r.id, name: typeof r.name === 'string' ? r.name : undefined } : undefined;
}

export class VaultService {
  /** Credentials whose value was revealed (shown) in this session: what a "reveal before copying" rule asks for. */
  readonly #revealed = new Set<string>();
  readonly #session: VaultSession;
  readonly #deps: Readonly<ServiceDeps>;
  readonly #door: AuditDoor;

  constructor(session: VaultSession, deps: ServiceDeps) {
    this.#session = session;
    this.#deps = Object.freeze({ ...deps });
    this.#door = new AuditDoor(deps.audit, deps.clock, deps.actor);
    bindInternals(this, { session, deps: this.#deps });
  }

  /** Every operation passes here: it is recorded, success or failure, without values. */
  run<T>(action: string, target: string | undefined, work: () => T | Promise<T>): Promise<T> {
    return this.#door.run(action, target === undefined ? undefined : this.auditTarget(target), work, producedTarget);
  }

  /**
   * The credential a reference names, for the audit record: its id when it
   * exists, else the (shortened) name asked for. A locked session has no
   * names to look in, and the attempt is still recorded, under the name asked for.
   */
  private auditTarget(ref: string): AuditTarget {
    let found: StoredCredential | undefined;
    try {
      found = this.#session.isLocked ? undefined : findCredential(this.#session.state, ref);
    } catch {
      found = undefined; // not found: recorded under the name asked for
    }
    return found ? { id: found.id, name: found.name } : { name: truncate(ref, 200) };
  }

  /**
   * Runs the health pipeline over the vault (it decrypts values, so it is
   * recorded like a reveal, as 'analyse'). `target` names the credential when
   * one is checked.
   */
  readForHealth<T>(work: () => T | Promise<T>, target?: string): Promise<T> {
    return this.run('analyse', target, work);
  }

  list(filter: ListFilter = {}): Promise<CredentialSummary[]> {
    return this.run('list', undefined, () => {
      // Filtered before summarised: a search at 100k builds summaries of the matches only.
      const found: CredentialSummary[] = [];
      eachCredential(this.#session.state, (c) => {
        if (matchesFilter(c, filter)) found.push(toSummary(c));
      });
      return found;
    });
  }

  /**
   * The fields (metadata, never a value) of the credential each name finds,
   * null where none: what `kw://NAME/FIELD` references are resolved against.
   * Recorded as a `list`, as reading several credentials' metadata is.
   */
  fieldsOf(names: readonly string[]): Promise<(Readonly<Record<string, string>> | null)[]> {
    return this.run('list', undefined, () => names.map((n) => credentialsNamedLike(this.#session.state, n)[0]?.fields ?? null));
  }

  show(ref: string): Promise<CredentialDetail> {
    return this.run('show', ref, () => toDetail(findCredential(this.#session.state, ref)));
  }

  history(ref: string): Promise<VersionInfo[]> {
    return this.run('history', ref, () => toDetail(findCredential(this.#session.state, ref)).versions);
  }

  /**
   * The only way a value leaves the vault. `version` defaults to the current
   * one. What it is for decides what the custom rules allow: `copy` (the app's
   * clipboard) only once this very version was revealed in this session
   * ("reveal before copying"); `export` (written out for another program:
   * keyward get, env, inject, the CLI through the app) never under "never
   * exported in plaintext"; `run` (injected into a program keyward run starts)
   * and `show` always.
   */
  reveal(ref: string, version?: number, purpose: 'show' | 'copy' | 'export' | 'run' = 'show'): Promise<string> {
    return this.run('reveal', ref, () => {
      const c = findCredential(this.#session.state, ref);
      const v = version === undefined ? currentVersionOf(c) : c.versions.find((x) => x.version === version);
      if (!v) throw fail.notFound(`"${truncate(c.name)}" has no version ${version}.`);
      const effects = ruleEffects(this.#session.state.policy?.rules, c);
      const seen = `${c.id}/${v.version}`;
      if (purpose === 'copy' && effects.revealBeforeCopy && !this.#revealed.has(seen))
        throw new KeywardError('POLICY', `Refused by the rule "${effects.revealBeforeCopy}": reveal "${truncate(c.name)}" before copying it.`, { field: 'reveal' });
      if (purpose === 'export' && effects.noPlaintextExport)
        throw new KeywardError('POLICY', `Refused by the rule "${effects.noPlaintextExport}": "${truncate(c.name)}" is never written out as plain text (keyward run can still use it; the app can show and copy it).`);
      if (purpose === 'show') this.#revealed.add(seen);
      return this.#session.openValue(c.id, v.version, v);
    });
  }

  /** A field's text (a username, a URL) for copying; recorded like a reveal, without the text. */
  field(ref: string, field: string): Promise<string> {
    // The field's name becomes part of the recorded action: only a plain identifier may.
    const named = FIELD_NAME.test(field);
    return this.run(named ? `copy.field.${field}` : 'copy.field', ref, () => {
      if (!named) throw fail.badRequest('That is not a field name.', 'field');
      const c = findCredential(this.#session.state, ref);
      const text = c.fields[field] ?? '';
      if (!text) throw fail.badRequest(`"${truncate(c.name)}" has no ${field} to copy.`, 'field');
      return text;
    });
  }

  add(input: NewCredential, source: ValueSource, options: WriteOptions = {}): Promise<CredentialDetail> {
    return this.run('add', undefined, async () => {
      const clean = validateNewCredential(input);
      const { value, origin } = this.resolveValue(clean, source, options, 'initial');
      return this.#session.transact((body) => {
        const clash = findNameClash(body, clean.name);
        if (clash) throw nameClashError(clash, clean.name);
        const now = this.#deps.clock.now().toISOString();
        const id = this.#deps.random.uuid();
        const credential: StoredCredential = {
          id,
          name: clean.name,
          type: clean.type,
          provider: clean.provider,
          description: clean.description,
          tags: clean.tags,
          active: true,
          createdAt: now,
          updatedAt: now,
          lastRotatedAt: null,
          expiresAt: clean.expiresAt,
          fields: clean.fields,
          versions: [sealVersion(this.#session, body, id, 1, value, origin, now)],
        };
        putCredential(body, credential);
        return toDetail(credential);
      });
    });
  }

  rotate(ref: string, source: ValueSource, options: WriteOptions = {}): Promise<CredentialDetail> {
    return this.run('rotate', ref, async () => {
      const existing = findCredential(this.#session.state, ref);
      const { value, origin } = this.resolveValue(existing, source, options, 'manual');
      return this.#session.transact((body) => {
        const c = editFound(body, existing.id);
        // A "rotation" to the value already current changes nothing at the provider but moves "Last rotated".
        const current = currentVersionOf(c);
        if (!options.force && this.#session.openValue(c.id, current.version, current) === value) throw sameValueRefusal();
        const now = this.#deps.clock.now().toISOString();
        const next = Math.max(...c.versions.map((v) => v.version)) + 1;
        for (const v of c.versions) {
          if (v.stage === 'previous') v.stage = 'history';
          if (v.stage === 'current') v.stage = 'previous';
        }
        c.versions.push(sealVersion(this.#session, body, c.id, next, value, origin, now));
        trimHistory(c, body.settings.historyToKeep);
        c.lastRotatedAt = now;
        c.updatedAt = now;
        return toDetail(c);
      });
    });
  }

  /**
   * Changes a credential's metadata. A change that takes it out of a custom
   * rule's scope (a new name, tag or provider) loosens that rule for it, as
   * removing the rule would: it needs the master password (`password`).
   */
  update(ref: string, patch: CredentialPatch, options: { password?: string } = {}): Promise<CredentialDetail> {
    return this.run('update', ref, async () => {
      const existing = findCredential(this.#session.state, ref);
      const clean = validatePatch(existing.type, patch);
      const left = (body: Readonly<VaultBody>, c: StoredCredential) => rulesLeftBy(body.policy?.rules, c, { ...c, ...clean });
      const leaving = left(this.#session.state, existing);
      if (leaving.length) {
        if (options.password === undefined) throw fail.badRequest(`Enter your master password to confirm: this change takes "${truncate(existing.name)}" out of the rule${leaving.length === 1 ? '' : 's'} ${leaving.map((n) => `"${n}"`).join(', ')}, which would no longer apply to it.`, 'password');
        await this.#session.verifyPassword(options.password);
      }
      return this.#session.transact((body) => {
        const c = editFound(body, existing.id);
        // The rules may have changed meanwhile (another process): a rule left that the password did not confirm is refused.
        if (left(body, c).some((name) => !leaving.includes(name))) throw fail.badRequest('The custom rules changed meanwhile: try again (the change may need your master password).', 'password');
        const clash = clean.name === undefined ? undefined : findNameClash(body, clean.name, c.id);
        if (clash) throw nameClashError(clash, clean.name!);
        Object.assign(c, clean);
        c.updatedAt = this.#deps.clock.now().toISOString();
        return toDetail(c);
      });
    });
  }

  /**
   * Marks a credential in use or not. A deactivated credential is never due or
   * aged, so deactivating one that a rule with a rotation interval or maximum
   * age covers loosens that rule for it: it needs the master password
   * (`password`), as an edit that leaves the rule's scope does.
   */
  setActive(ref: string, active: boolean, options: { password?: string } = {}): Promise<CredentialDetail> {
    return this.run(active ? 'activate' : 'deactivate', ref, async () => {
      const existing = findCredential(this.#session.state, ref);
      const silenced = (body: Readonly<VaultBody>, c: StoredCredential) => (active || !c.active ? [] : rulesSilencedByDeactivation(body.policy?.rules, c));
      const confirmed = silenced(this.#session.state, existing);
      if (confirmed.length) {
        if (options.password === undefined) throw fail.badRequest(`Enter your master password to confirm: a deactivated credential is never due, so the rule${confirmed.length === 1 ? '' : 's'} ${confirmed.map((n) => `"${n}"`).join(', ')} would no longer remind you to rotate "${truncate(existing.name)}".`, 'password');
        await this.#session.verifyPassword(options.password);
      }
      return this.#session.transact((body) => {
        const c = editFound(body, existing.id);
        // The rules may have changed meanwhile (another process): one the password did not confirm is refused.
        if (silenced(body, c).some((name) => !confirmed.includes(name))) throw fail.badRequest('The custom rules changed meanwhile: try again (deactivating may need your master password).', 'password');
        c.active = active;
        c.updatedAt = this.#deps.clock.now().toISOString();
        return toDetail(c);
      });
    });
  }

  remove(ref: string): Promise<{ id: string; name: string }> {
    return this.run('remove', ref, async () => {
      const existing = findCredential(this.#session.state, ref);
      return this.#session.transact((body) => {
        if (!body.credentials.some((c) => c.id === existing.id)) throw fail.notFound(`No credential named "${truncate(existing.name)}".`);
        const removed = removeCredential(body, existing.id);
        return { id: removed.id, name: removed.name };
      });
    });
  }

  /** Applies the value checks and the policy gate: the one place values enter. */
  private resolveValue(
    context: ValueContext,
    source: ValueSource,
    options: WriteOptions,
    typedOrigin: 'initial' | 'manual',
  ): { value: string; origin: StoredVersion['origin'] } {
    if (typeof source !== 'object' || source === null) throw fail.badRequest('Missing value.', 'value');
    let value: string;
    let origin: StoredVersion['origin'] = typedOrigin;
    if ('generate' in source && source.generate === true) {
      const recipe = credentialType(context.type).generator;
      if (!recipe) throw fail.badRequest(`${credentialType(context.type).label} values come from the provider; Keyward cannot generate one.`, 'value');
      const issuer = valueIssuer(context);
      if (issuer)
        throw fail.badRequest(
          `${issuer.label} keys are issued by ${issuer.provider}: a generated value would not work there (and would be flagged as an invalid format). Create the key at ${issuer.provider} and paste it, or set a rotator that fetches it.`,
          'value',
        );
      value = generateFromRecipe(recipe);
      origin = 'generated';
    } else if ('value' in source && typeof source.value === 'string') {
      value = source.value;
    } else {
      throw fail.badRequest('Missing value.', 'value');
    }
    if (value.length === 0) throw fail.badRequest('The value is empty.', 'value');
    if (isOnlyWhitespace(value)) throw fail.badRequest('The value is only whitespace: paste the real value.', 'value');
    if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) throw fail.badRequest('The value is larger than 1 MiB.', 'value');
    const violations = this.#deps.policy.check(context, value);
    if (refuses(this.#deps.policy, violations, options.force)) throw policyRefusal(violations);
    return { value, origin };
  }

}

/** A new current version of a credential, its value sealed by the session (counted against the key's limit). */
export function sealVersion(session: VaultSession, body: VaultBody, id: string, version: number, value: string, origin: StoredVersion['origin'], now: string): StoredVersion {
  body.encryptions.secrets += 1;
  return { version, createdAt: now, stage: 'current', origin, ...session.sealValue(id, version, value) };
}

export function trimHistory(c: StoredCredential, keep: number): void {
  const history = c.versions.filter((v) => v.stage === 'history');
  const excess = history.length - keep;
  if (excess > 0) {
    const drop = new Set(history.slice(0, excess).map((v) => v.version));
    c.versions = c.versions.filter((v) => !drop.has(v.version));
  }
}

