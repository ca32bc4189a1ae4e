/**
 * The one door: every operation of every core service — vault lifecycle
 * included — records exactly one audit event through AuditDoor, under the
 * actor the entry point passed in, and never with a value or a password.
 *
 * Each service's public methods are listed from its prototype, so a method
 * added later without an entry here (an operation, or an internal step with
 * the reason it records nothing itself) fails this test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { openCore } from '../core/composition.js';
import { RotationService } from '../core/rotation/rotation-service.js';
import { GeneratorService } from '../core/service/generator-service.js';
import { GrantService } from '../core/grants/grant-service.js';
import { HealthService } from '../core/service/health-service.js';
import { removeKeepingUndo, UndoBuffer, undoRemove } from '../core/service/undo-buffer.js';
import { UnlockedVault, VaultLifecycle } from '../core/service/vault-lifecycle.js';
import { VaultService } from '../core/service/vault-service.js';
import { VaultSession } from '../core/vault/vault-session.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';

/** Public methods and getters defined on a class (not inherited from Object). */
function publicMembers(cls: { prototype: object }): string[] {
  return Object.getOwnPropertyNames(cls.prototype).filter((name) => name !== 'constructor');
}

/** Members that are not operations of their own, each with why it records nothing itself. */
const NOT_OPERATIONS: Record<string, Record<string, string>> = {
  VaultLifecycle: {
    probe: 'reads only the public header a copy of the file shows (the unlock screen asks for it on every refresh)',
    backupStore: 'private helper',
    openGrant: 'what a token opens (GrantAccess): each of its uses is recorded there, under the grant’s name',
  },
  UnlockedVault: {
    info: 'getter: public header facts',
    state: 'getter: the decrypted metadata the services read; changes go through them',
    isLocked: 'getter',
    keyCreatedAt: 'getter',
    rotation: 'builds the rotation service (its operations are listed below)',
    refresh: 'picks up another process’s save; reads nothing for anyone',
    closedOnFailure: 'runs the opening operation’s own follow-ups (each recorded), locking again if one fails',
    detectionRules: 'getter: the watch’s thresholds, constants',
    serviceAs: 'the credential service for another entry point (the CLI through the app): its operations are VaultService’s',
    suspendGrantsFor: 'an incident’s response: runs grants.setSuspended, recorded as grant.suspend.NAME',
    afterOpen: 'the opening’s follow-ups: removes lapsed grant files (reads nothing) and suspends grants through grants.setSuspended (recorded)',
    credentialsDecoded: 'waits for the credentials decoded in the background after an unlock: reads nothing, hands nothing out',
    changeForGrant: 'an admin grant’s change, made through serviceAs(grant:NAME): each recorded by VaultService’s door under the grant’s name',
    grantedCredential: 'a check (the grant live, its role, the credential in its scope) before a grant’s use, which its caller records; decrypts nothing',
  },
  VaultService: {
    run: 'the door itself',
    auditTarget: 'private helper of run',
    resolveValue: 'the policy gate, a step inside add/rotate/rotator operations',
  },
  HealthService: {
    current: 'private helper of vault/credential',
    computeHealth: 'private helper, run inside credentials.readForHealth',
  },
  GeneratorService: {},
  GrantService: {},
  RotationService: {
    workDir: 'private getter',
    now: 'private getter',
    change: 'private helper (each caller is an operation)',
    prepareRotator: 'validates commands for the confirmation shown before setRotator',
    stepFolder: 'getter',
    problemsOf: 'private helper',
    rescue: 'private helper',
    recordRun: 'private helper',
    failRun: 'private helper',
    flushRescued: 'writes each held value through its own rotate.rescued operation',
  },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyward-door-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the one audit door', () => {
  it('records every operation of every service, lifecycle included, under the caller’s actor and without values', async () => {
    const audit = new MemoryAuditSink();
    const core = openCore({ actor: 'harness', deps: testDeps(), audit });
    const path = join(dir, 'vault.keyward');
    const password = strongPassword() + strongPassword();
    const secret = distinctiveSecret('door');
    const lifecycle = core.vault(path);

    // Shared state the calls below build on, in order.
    let vault!: UnlockedVault;
    let id = '';
    const run = async (label: string, call: () => Promise<unknown>) => {
      const before = audit.events.length;
      // Many calls fail on purpose (a wrong password, no such backup): a failure is recorded too.
      await call().catch(() => undefined);
      const added = audit.events.slice(before);
      expect(added.length, `${label} recorded nothing`).toBeGreaterThanOrEqual(1);
      expect(added.every((e) => e.actor === 'harness'), `${label} recorded under another actor`).toBe(true);
      return added;
    };

    const operations: Record<string, Record<string, () => Promise<unknown>>> = {
      VaultLifecycle: {
        create: async () => (vault = await lifecycle.create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' })),
        unlock: () => lifecycle.unlock({ password: 'not the password' }),
        listBackups: () => lifecycle.listBackups(),
        restoreBackup: () => lifecycle.restoreBackup('no-such-backup.keyward'),
        inspectBackups: () => lifecycle.inspectBackups('not the password'),
      },
      VaultService: {
        add: async () => (id = (await vault.credentials.add({ name: 'door', type: 'password', fields: { username: 'ada' } }, { value: secret })).id),
        list: () => vault.credentials.list(),
        fieldsOf: () => vault.credentials.fieldsOf(['door']),
        show: () => vault.credentials.show(id),
        history: () => vault.credentials.history(id),
        reveal: () => vault.credentials.reveal(id),
        field: () => vault.credentials.field(id, 'username'),
        update: () => vault.credentials.update(id, { description: 'd' }),
        rotate: () => vault.credentials.rotate(id, { value: distinctiveSecret('door2') }),
        setActive: () => vault.credentials.setActive(id, true),
        readForHealth: () => vault.credentials.readForHealth(async () => undefined),
        remove: () => vault.credentials.remove('no-such-credential'),
      },
      HealthService: {
        vault: () => vault.health.vault(),
        credential: () => vault.health.credential(id),
        value: () => vault.health.value({ value: secret, type: 'password', name: 'typed' }),
      },
      GeneratorService: {
        generate: () => core.generator.generate({ kind: 'api', bytes: 32, encoding: 'hex', prefix: '' }),
      },
      GrantService: {
        add: () => vault.grants.add({ name: 'door-grant', role: 'viewer' }),
        list: () => vault.grants.list(),
        show: () => vault.grants.show('door-grant'),
        setSuspended: () => vault.grants.setSuspended('door-grant', true),
        revoke: () => vault.grants.revoke('door-grant'),
      },
      RotationService: {
        due: () => vault.rotation().due(),
        schedule: () => vault.rotation().schedule(),
        overview: () => vault.rotation().overview(),
        timeline: () => vault.rotation().timeline({ limits: { upcoming: 1 } }),
        status: () => vault.rotation().status(),
        dueOf: () => vault.rotation().dueOf(id),
        setPolicy: () => vault.rotation().setPolicy({ credential: id }, { intervalDays: 60 }),
        setExpiry: () => vault.rotation().setExpiry(id, null),
        snooze: () => vault.rotation().snooze(id, null),
        markRotated: () => vault.rotation().markRotated(id),
        undoMarkRotated: () => vault.rotation().undoMarkRotated(id),
        rollback: () => vault.rotation().rollback(id),
        setRotator: () => vault.rotation().setRotator(id, { create: '' }),
        clearRotator: () => vault.rotation().clearRotator(id),
        dryRun: () => vault.rotation().dryRun(id),
        runRotator: () => vault.rotation().runRotator(id),
        promote: () => vault.rotation().promote(id, 99),
        markCompromised: () => vault.rotation().markCompromised(id),
      },
      UnlockedVault: {
        verifyPassword: () => vault.verifyPassword('not the password'),
        setKeychain: () => vault.setKeychain(false),
        updateSettings: () => vault.updateSettings({ clipboardClearSeconds: 10 }),
        securityPolicy: () => vault.securityPolicy(),
        setPolicy: () => vault.setPolicy('min_length', 14),
        applyPolicyPreset: () => vault.applyPolicyPreset('pci-dss-4'),
        addPolicyRule: () => vault.addPolicyRule({ name: 'door-rule', scopes: ['tag:x'], settings: { max_age_days: 30 } }),
        removePolicyRule: () => vault.removePolicyRule('door-rule', 'not the password'),
        valueForGrant: () => vault.valueForGrant('000000000000000000000000', id),
        listBackups: () => vault.listBackups(),
        previewBackup: () => vault.previewBackup('no-such-backup.keyward'),
        restoreBackup: () => vault.restoreBackup('no-such-backup.keyward'),
        keepSessionState: () => vault.keepSessionState(),
        recordOlderCopySeen: () => vault.recordOlderCopySeen(),
        recordWeakPasswordChoice: () => vault.recordWeakPasswordChoice('weak'),
        changePassword: () => vault.changePassword('not the password', strongPassword() + strongPassword(), { weakPasswordHint: '' }),
        rotateVaultKey: () => vault.rotateVaultKey(password),
        auditRecords: () => vault.auditRecords(),
        verifyAuditTrail: () => vault.verifyAuditTrail(),
        auditCheckpoint: () => vault.auditCheckpoint(),
        auditFeed: () => vault.auditFeed('audit.forward'),
        incidents: () => vault.incidents(),
        usage: () => vault.usage(),
        securityReport: () => vault.securityReport(),
        updateIncident: () => vault.updateIncident('inc-000000000000', 'acknowledged'),
        lock: () => vault.lock('user'),
      },
    };

    const classes = { VaultLifecycle, UnlockedVault, VaultService, HealthService, GeneratorService, GrantService, RotationService };
    for (const [name, cls] of Object.entries(classes)) {
      const listed = [...Object.keys(operations[name]!), ...Object.keys(NOT_OPERATIONS[name]!)].sort();
      expect(listed, `${name}: every public member is an audited operation or says why not`).toEqual(publicMembers(cls).sort());
    }

    for (const [service, calls] of Object.entries(operations)) for (const [method, call] of Object.entries(calls)) await run(`${service}.${method}`, call);

    // The undo capabilities outside the classes: a delete kept for Undo, and its undo.
    const again = await openCore({ actor: 'harness', deps: testDeps(), audit }).vault(path).unlock({ password });
    const undo = new UndoBuffer(testDeps().clock);
    const kept = (await again.credentials.list())[0]!.id;
    expect((await run('removeKeepingUndo', () => removeKeepingUndo(again.credentials, undo, kept))).map((e) => e.action)).toEqual(['remove']);
    expect((await run('undoRemove', () => undoRemove(again.credentials, undo, kept))).map((e) => e.action)).toEqual(['remove.undo']);
    // A report asked for a credential that does not exist is recorded too, as a failure.
    const missing = await run('health of a missing credential', () => again.health.credential('no-such-credential'));
    expect(missing.at(-1)).toMatchObject({ outcome: 'failure', errorCode: 'NOT_FOUND', credentialName: 'no-such-credential' });
    await again.lock('user');

    const trail = JSON.stringify(audit.events);
    expect(trail).not.toContain(secret);
    expect(trail).not.toContain(password);
    // Lifecycle and failures are there, with their error codes.
    expect(audit.events.find((e) => e.action === 'vault.unlock.password')).toMatchObject({ outcome: 'failure', errorCode: 'AUTH_FAILED' });
    expect(audit.events.map((e) => e.action)).toEqual(expect.arrayContaining(['vault.create', 'vault.lock.user', 'vault.rotateKey', 'vault.changePassword', 'vault.keychain.off', 'settings.update', 'generate']));
  });
});

/** Every value reachable from `obj` by a name, a symbol or a getter (own and prototype members), one level deep. */
function reachable(obj: object): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const keys = new Set<string | symbol>([...Reflect.ownKeys(obj), ...Reflect.ownKeys(Object.getPrototypeOf(obj) as object)]);
  for (const key of keys) {
    if (key === 'constructor') continue;
    try {
      found.set(String(key), (obj as Record<string | symbol, unknown>)[key]);
    } catch {
      /* a getter that refuses (locked): nothing reached */
    }
  }
  return found;
}

describe('what a service lets its caller reach (review H1, H2)', () => {
  it('no member of any service — public, TypeScript-private, symbol-keyed or getter — leads to a session, and none can be swapped', async () => {
    const core = openCore({ actor: 'test', deps: testDeps(), audit: new MemoryAuditSink() });
    const lifecycle = core.vault(join(dir, 'vault.keyward'));
    const vault = await lifecycle.create({ password: strongPassword() + strongPassword(), useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
    const services: Record<string, object> = {
      lifecycle,
      vault,
      credentials: vault.credentials,
      health: vault.health,
      rotation: vault.rotation(),
      generator: core.generator,
    };
    for (const [name, service] of Object.entries(services)) {
      for (const [member, value] of reachable(service)) {
        expect(value instanceof VaultSession, `${name}.${member} is a session`).toBe(false);
        // One level further: a member object (the audit door, options) must not hold one either.
        if (value && typeof value === 'object')
          for (const [inner, deeper] of reachable(value)) expect(deeper instanceof VaultSession, `${name}.${member}.${inner} is a session`).toBe(false);
      }
      // What bracket access used to reach (TypeScript `private` is not private at run time).
      for (const member of ['session', 'deps', 'door', 'sink', 'options', 'svc'])
        expect((service as Record<string, unknown>)[member], `${name}['${member}']`).toBeUndefined();
    }
    await vault.lock('user');
  });
});

describe('recorded actions carry no caller text (review M5)', () => {
  it('refuses a field name that is not an identifier, recording the plain action', async () => {
    const audit = new MemoryAuditSink();
    const vault = await openCore({ actor: 'test', deps: testDeps(), audit })
      .vault(join(dir, 'vault.keyward'))
      .create({ password: strongPassword() + strongPassword(), useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
    const { id } = await vault.credentials.add({ name: 'f', type: 'password', fields: { username: 'ada' } }, { value: distinctiveSecret('f') });
    await expect(vault.credentials.field(id, 'username.evil text')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(audit.events.at(-1)).toMatchObject({ action: 'copy.field', outcome: 'failure', errorCode: 'BAD_REQUEST' });
    await expect(vault.credentials.field(id, 'username')).resolves.toBe('ada');
    expect(audit.events.at(-1)).toMatchObject({ action: 'copy.field.username', outcome: 'success' });
    await vault.lock('user');
  });
});
