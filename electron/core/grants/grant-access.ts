/**
 * A program's way in: a grant's token, and nothing else (docs/grants.md). It
 * opens the grant's file beside the vault — never the vault, whose key it
 * cannot reach — checks expiry at every use, answers only what the grant's
 * role allows for the credentials in its scope, and records every use (the
 * grant's name as actor) in the pending file of the vault's audit trail, with
 * a proof that the next unlocked session checks as it chains it.
 */
import { roleCan, type GrantCapability, type GrantRole } from '../../../shared/grants.js';
import type { AuditEvent } from '../audit/audit-sink.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { pendingFields, type PendingGrantUse } from '../audit/audit-trail.js';
import { constantTimeEqual, hmacSha256 } from '../crypto/primitives.js';
import { fail, KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { FileSystem } from '../ports/file-system.js';
import { safeText } from '../text/safe-text.js';
import { credentialById, nameKey } from '../vault/credential-index.js';
import type { GrantDefinition, VaultBody } from '../vault/body.js';
import { grantSubkeys, parseToken } from './grant-crypto.js';
import { openGrantFileWithKey, parseGrantFile, unwrapGrantKey, wipeSubkeys, type GrantEntry } from './grant-file.js';
import { grantFilePath } from './grant-sync.js';

/** A grant's metadata view of a credential: its entry without the value. */
export type GrantCredential = Omit<GrantEntry, 'value'>;

export interface GrantAccessDeps {
  fs: FileSystem;
  clock: Clock;
  /** Where each use is recorded (the vault's trail; pending while no vault key is at hand). A use that cannot be recorded does not happen. */
  record: (event: AuditEvent) => Promise<void>;
  /** Asks the user to approve a use of an "ask" grant (the running app); absent where no one can be asked. */
  approve?: Approver;
  /** A value the grant's file does not hold (an "ask" grant's), from the vault the running app has open. */
  valueFromVault?: (grantId: string, credentialId: string) => Promise<string>;
}

/** A use of an "ask me each time" grant, as the user is asked about it. */
export interface ApprovalRequest {
  grant: string;
  role: GrantRole;
  /** What the program wants: values for itself, values for a command Keyward runs, a credential's rotator run (no value leaves), or a change (admin). */
  purpose: 'value' | 'run' | 'rotate' | 'change';
  credentials: string[];
  /** The command, when Keyward runs one. */
  command?: string[];
  /** Who asks, as it says (a claim, shown to the user). */
  program?: { pid: number; argv: string[] };
}

export type Approver = (request: ApprovalRequest) => Promise<boolean>;

/** What each capability lets a grant do, as refusals say it. */
export const CAPABILITY_WORDS: Record<GrantCapability, string> = {
  metadata: 'see credentials',
  run: 'run commands with secrets',
  value: 'receive values',
  rotate: 'run rotators',
  admin: 'change credentials',
};

const refused = (message: string) => new KeywardError('AUTH_FAILED', message);

/** Opens what `token` covers in the vault at `vaultPath`; AUTH_FAILED (exit 3) for a token that opens nothing, and why when that is known. */
export async function openGrant(deps: GrantAccessDeps, vaultPath: string, token: string): Promise<GrantAccess> {
  const parsed = parseToken(token);
  if (!parsed) throw refused('KEYWARD_TOKEN is not a Keyward grant token (they start with kwg_ and are 63 characters long).');
  try {
    const bytes = await deps.fs.readFile(grantFilePath(vaultPath, parsed.grantId));
    if (!bytes) throw refused(`This token opens nothing in ${safeText(vaultPath)}: its grant was revoked or is suspended, or the token is for another vault (--vault).`);
    const file = parseGrantFile(bytes);
    if (!file) throw new KeywardError('CORRUPTED', "This grant's file is damaged. Ask the vault's owner to revoke the grant and make a new one.");
    const grantKey = unwrapGrantKey(file, parsed);
    if (!grantKey) throw refused('This token does not open its grant: it was mistyped, or the grant was made again with a new token.');
    try {
      const opened = openGrantFileWithKey(file, grantKey);
      const keys = grantSubkeys(grantKey, parsed.grantId);
      const usesKey = Buffer.from(keys.uses);
      wipeSubkeys(keys);
      return new GrantAccess(deps, parsed.grantId, opened.manifest.grant, opened.entries, usesKey);
    } finally {
      grantKey.fill(0);
    }
  } finally {
    parsed.secret.fill(0);
  }
}

export class GrantAccess {
  readonly #deps: GrantAccessDeps;
  readonly #entries: GrantEntry[];
  readonly #usesKey: Buffer;
  #closed = false;

  constructor(
    deps: GrantAccessDeps,
    readonly id: string,
    readonly definition: GrantDefinition,
    entries: GrantEntry[],
    usesKey: Buffer,
  ) {
    this.#deps = deps;
    this.#entries = entries;
    this.#usesKey = usesKey;
  }

  get name(): string {
    return this.definition.name;
  }

  get role(): GrantRole {
    return this.definition.role;
  }

  get actor(): `grant:${string}` {
    return `grant:${this.definition.name}`;
  }

  /**
   * Refuses (AUTH_FAILED) once the grant has expired, and (FORBIDDEN) what its
   * role may not do; for an "ask" grant, a read or run the user did not approve
   * (`asking` null: a check before any value, which asks no one). Checked at every use.
   */
  async check(capability: GrantCapability, action: string, asking?: (Omit<ApprovalRequest, 'grant' | 'role' | 'purpose'> & { required?: boolean }) | null): Promise<void> {
    const expires = this.definition.expiresAt;
    if (expires && Date.parse(expires) <= this.#deps.clock.now().getTime()) {
      await this.record(action, undefined, 'failure', 'AUTH_FAILED');
      throw refused(`The grant "${this.name}" expired on ${expires}. Ask the vault's owner for a new one.`);
    }
    if (!roleCan(this.role, capability)) {
      await this.record(action, undefined, 'failure', 'FORBIDDEN');
      throw new KeywardError('FORBIDDEN', `The grant "${this.name}" is a ${this.role}: it may not ${CAPABILITY_WORDS[capability]}.`);
    }
    // "Ask me each time": only the running app can ask (through its local API); anywhere else such a use is refused.
    if ((this.definition.ask || asking?.required) && capability !== 'metadata' && asking !== null) {
      const approve = this.#deps.approve;
      if (!approve) {
        await this.record(action, undefined, 'failure', 'FORBIDDEN');
        throw new KeywardError('FORBIDDEN', `The grant "${this.name}" needs your approval in the running Keyward app at every use, and the app cannot be asked from here (is it running?): refused.`);
      }
      const purpose = capability === 'run' ? 'run' : capability === 'rotate' ? 'rotate' : capability === 'admin' ? 'change' : 'value';
      let allowed: boolean;
      try {
        allowed = await approve({ grant: this.name, role: this.role, purpose, credentials: asking?.credentials ?? [], ...(asking?.command ? { command: asking.command } : {}), ...(asking?.program ? { program: asking.program } : {}) });
      } catch (err) {
        // Not asked (others waiting, or declined moments ago): refused as the approver says, and recorded.
        if (err instanceof KeywardError) await this.record(action, undefined, 'failure', err.code);
        throw err;
      }
      if (!allowed) {
        await this.record(action, undefined, 'failure', 'FORBIDDEN');
        throw new KeywardError('FORBIDDEN', `You declined this use of the grant "${this.name}".`);
      }
    }
  }

  /** Whether the grant has expired by this process's clock (checked without recording). */
  expired(): boolean {
    const expires = this.definition.expiresAt;
    return expires !== null && Date.parse(expires) <= this.#deps.clock.now().getTime();
  }

  /** The credentials in scope as this process holds them, unrecorded: for noticing a change, never for answering a caller. */
  peek(): readonly GrantCredential[] {
    return this.#entries.map(({ value: _value, ...meta }) => meta);
  }

  /** The credentials in scope, without values; recorded as one `list`. */
  async credentials(): Promise<GrantCredential[]> {
    await this.check('metadata', 'list');
    await this.record('list');
    return this.#entries.map(({ value: _value, ...meta }) => meta);
  }

  /** The credential in scope that `name` names (names compare as in the vault); NOT_FOUND otherwise, out of scope or not. */
  find(name: string): GrantCredential {
    const key = nameKey(name);
    const entry = this.#entries.find((e) => nameKey(e.name) === key);
    if (!entry) throw fail.notFound(`"${safeText(name)}" names no credential the grant "${this.name}" covers.`);
    const { value: _value, ...meta } = entry;
    return meta;
  }

  /** Whether a credential of that name is in scope (for references that could mean a name or a field). */
  covers(name: string): boolean {
    const key = nameKey(name);
    return this.#entries.some((e) => nameKey(e.name) === key);
  }

  /** A value, for a role that may receive it (`value`) or hand it to a program it runs (`run`); recorded as a `reveal` by the grant. */
  async value(name: string, purpose: 'value' | 'run'): Promise<string> {
    return (await this.values([name], purpose))[0]!;
  }

  /**
   * Several values at once, each recorded: every name is checked against the
   * scope before anything is asked or read, and an "ask" grant asks once for all.
   */
  async values(names: readonly string[], purpose: 'value' | 'run', context: { command?: string[]; program?: { pid: number; argv: string[] } } = {}): Promise<string[]> {
    const action = purpose === 'run' ? 'reveal.run' : 'reveal';
    const metas = names.map((n) => this.find(n));
    // Whatever the purpose: a value given to a program "to run a command" is given to that program.
    const noExport = metas.find((m) => m.noExport);
    if (noExport) {
      await this.record(action, noExport.id, 'failure', 'POLICY');
      throw new KeywardError('POLICY', `Refused by the rule "${noExport.noExport}": "${noExport.name}" is never handed to another program as plain text, not even by a grant to run one (your own keyward run can use it).`);
    }
    await this.check(purpose, action, { credentials: [...new Set(metas.map((m) => m.name))], ...context, ...(metas.some((m) => m.approval) ? { required: true } : {}) });
    const values: string[] = [];
    for (const meta of metas) {
      if (this.#closed) throw new KeywardError('BUSY', 'The grant was opened again meanwhile (its file changed): ask again.');
      const held = this.#entries.find((e) => e.id === meta.id)!.value;
      const fromVault = this.#deps.valueFromVault;
      if (held === undefined && !fromVault) throw new KeywardError('FORBIDDEN', `The values of the grant "${this.name}" come only from the running Keyward app, unlocked.`);
      const value = held ?? (await fromVault!(this.id, meta.id));
      await this.record(action, meta.id);
      values.push(value);
    }
    return values;
  }

  /** Whether the grant lets `argv` run: any command when it names none, else one that starts with one of its allowed prefixes, word for word. */
  mayRun(argv: readonly string[]): boolean {
    const allowed = this.definition.allowCommands;
    return allowed.length === 0 || allowed.some((prefix) => prefix.length <= argv.length && prefix.every((word, i) => argv[i] === word));
  }

  /** Refuses (FORBIDDEN, recorded) a command the grant does not allow. */
  async checkCommand(argv: readonly string[]): Promise<void> {
    // (The user is asked when values are read for it, once: not here.)
    await this.check('run', 'run', null);
    if (this.mayRun(argv)) return;
    await this.record('run', undefined, 'failure', 'FORBIDDEN');
    const allowed = this.definition.allowCommands.map((a) => `"${a.join(' ')}"`).join(', ');
    throw new KeywardError('FORBIDDEN', `The grant "${this.name}" may run only commands starting with ${allowed}; "${safeText(argv.slice(0, 3).join(' '))}" is not one.`);
  }

  /** Records one use by this grant, with a proof (HMAC under the grant's uses key) of what it names. */
  async record(action: string, credentialId?: string, outcome: 'success' | 'failure' = 'success', errorCode?: AuditEvent['errorCode']): Promise<void> {
    if (this.#closed) throw new KeywardError('BUSY', 'The grant was opened again meanwhile (its file changed): ask again.');
    const event: AuditEvent = {
      at: this.#deps.clock.now().toISOString(),
      actor: this.actor,
      action,
      outcome,
      ...(errorCode ? { errorCode } : {}),
      ...(credentialId ? { credentialId } : {}),
      // The name goes into the trail sealed when the vault's key is at hand; a pending line never carries it.
      ...(credentialId ? { credentialName: this.#entries.find((e) => e.id === credentialId)?.name ?? '' } : {}),
      grantProof: { grant: this.id, mac: '' },
    };
    const mac = hmacSha256(this.#usesKey, Buffer.from(canonicalJson(pendingFields(event)), 'utf8')).toString('hex');
    await this.#deps.record({ ...event, grantProof: { grant: this.id, mac } });
  }

  /** Wipes the values and the uses key this process held; later uses are refused, never answered with a wiped key. */
  close(): void {
    this.#closed = true;
    this.#usesKey.fill(0);
    for (const e of this.#entries) delete e.value;
  }
}

/**
 * Checks a grant's use folded in from the pending file (audit-trail.ts), as
 * the vault's owner, with the grant's key from the body: its proof must hold
 * under that grant's uses key and its actor must be that grant's. Answers the
 * credential's current name when the line names one still in the vault.
 */
export function checkGrantUse(body: Readonly<VaultBody>, use: PendingGrantUse): { credentialName?: string } | null {
  const grant = (body.grants ?? []).find((g) => g.id === use.grant);
  if (!grant || !/^[0-9a-f]{64}$/.test(use.mac)) return null;
  const key = Buffer.from(grant.key, 'base64');
  const keys = grantSubkeys(key, grant.id);
  try {
    const expected = hmacSha256(keys.uses, Buffer.from(use.unsigned, 'utf8'));
    if (!constantTimeEqual(expected, Buffer.from(use.mac, 'hex'))) return null;
    if ((JSON.parse(use.unsigned) as { actor?: string }).actor !== `grant:${grant.name}`) return null;
  } finally {
    key.fill(0);
    wipeSubkeys(keys);
  }
  const credential = use.credentialId ? credentialById(body, use.credentialId) : undefined;
  return credential ? { credentialName: credential.name } : {};
}
