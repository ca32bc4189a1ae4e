/**
 * The security policy (issue 13; docs/policies.md): every key shown with its
 * value and where it comes from, set within its range or refused with what is
 * allowed, loosened only with the master password, presets, and enforcement
 * where values enter: refused with the exact rule broken, or stored with a
 * finding when the policy only warns.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../core/composition.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { vaultSource } from '../core/env/resolve.js';
import { policyKeyDef, type PolicyView } from '../../shared/security-policy.js';
import { strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function policyVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const core = openCore({ actor: 'test', deps: testDeps({ stateDir: join(dir, 'state') }) });
  const vault = await core.vault(path).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  return { dir, path, password, vault };
}

const valueOf = (view: PolicyView, key: string) => view.entries.find((e) => e.key === key)!;

describe('the security policy', () => {
  it('shows every key at its default, then where each changed value came from', async () => {
    const { vault, password } = await policyVault();
    const first = await vault.securityPolicy();
    expect(first.entries.map((e) => e.key)).toEqual([
      'rotation_interval_days',
      'max_age_days',
      'min_length',
      'require_uppercase',
      'require_lowercase',
      'require_numbers',
      'require_special_chars',
      'password_rules',
      'backup_enabled',
      'backup_count',
      'auto_lock_minutes',
      'clipboard_clear_seconds',
      'audit_retention_days',
      'audit_fail_closed',
      'unlock_backoff',
      'cli_integration_minutes',
    ]);
    expect(first.entries.every((e) => e.source.from === 'default')).toBe(true);
    expect(valueOf(first, 'min_length').value).toBe(12);
    // Tightening needs no password; the rotation key is the rotation policy's own default.
    await vault.setPolicy('min_length', '16');
    await vault.setPolicy('rotation_interval_days', 14);
    const after = await vault.securityPolicy();
    expect(valueOf(after, 'min_length')).toMatchObject({ value: 16, source: { from: 'set' } });
    expect(vault.state.rotation.defaults.intervalDays).toBe(14);
    // A key changed elsewhere (the Settings screen) is shown as set, with its value.
    await vault.updateSettings({ clipboardClearSeconds: 10 });
    expect(valueOf(await vault.securityPolicy(), 'clipboard_clear_seconds')).toMatchObject({ value: 10, source: { from: 'set' } });
    // Presets: each key they name, marked as theirs; loosening ones need the password.
    await expect(vault.applyPolicyPreset('nist-800-63b')).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    const nist = await vault.applyPolicyPreset('nist-800-63b', password);
    expect(valueOf(nist, 'require_special_chars')).toMatchObject({ value: false, source: { from: 'preset', preset: 'nist-800-63b' } });
    expect(valueOf(nist, 'min_length')).toMatchObject({ value: 15, source: { from: 'preset', preset: 'nist-800-63b' } });
    expect(valueOf(nist, 'clipboard_clear_seconds')).toMatchObject({ value: 10, source: { from: 'set' } });
    // Every change is in the audit trail.
    const actions = (await vault.auditRecords()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['policy.show', 'policy.set.min_length', 'policy.set.rotation_interval_days', 'policy.preset.nist-800-63b']));
    await vault.lock('user');
  });

  it('refuses an unknown key or a value out of range with what is allowed, and stores nothing', async () => {
    const { vault, path } = await policyVault();
    const before = await readFile(path);
    await expect(vault.setPolicy('min_lenght', 14)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/There is no policy key "min_lenght"\. The keys: rotation_interval_days, .*min_length/) });
    await expect(vault.setPolicy('min_length', 4)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'min_length takes a whole number of characters from 8 to 128.' });
    await expect(vault.setPolicy('require_numbers', 'maybe')).rejects.toMatchObject({ message: 'require_numbers takes true or false.' });
    await expect(vault.setPolicy('auto_lock_minutes', -1)).rejects.toMatchObject({ message: 'auto_lock_minutes takes a whole number of minutes from 1 to 1440, or 0 (never).' });
    await expect(vault.applyPolicyPreset('hipaa')).rejects.toMatchObject({ message: expect.stringMatching(/There is no policy preset "hipaa"\. The presets: default, nist-800-63b, pci-dss-4\./) });
    expect((await readFile(path)).equals(before)).toBe(true);
    await vault.lock('user');
  });

  it('loosening a key needs the master password, a wrong one is refused, and nothing changes meanwhile', async () => {
    const { vault, password } = await policyVault();
    await expect(vault.setPolicy('min_length', 10)).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' }, message: 'Enter your master password to confirm loosening min_length.' });
    await expect(vault.setPolicy('min_length', 10, 'not the password')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(valueOf(await vault.securityPolicy(), 'min_length').value).toBe(12);
    await vault.setPolicy('min_length', 10, password);
    expect(valueOf(await vault.securityPolicy(), 'min_length').value).toBe(10);
    for (const [key, value] of [['backup_enabled', false], ['audit_fail_closed', false], ['auto_lock_minutes', 0], ['password_rules', 'warn'], ['audit_retention_days', 60]] as const)
      await expect(vault.setPolicy(key, value), key).rejects.toMatchObject({ extra: { field: 'password' } });
    await vault.lock('user');
  });

  it('is enforced where values enter: refused naming the rule broken (POLICY), or, when it only warns, stored with a finding', async () => {
    const { vault, password } = await policyVault();
    await vault.setPolicy('min_length', 20);
    await expect(vault.credentials.add({ name: 'db', type: 'password' }, { value: 'Xy7!short-enough?' })).rejects.toMatchObject({ code: 'POLICY', extra: { violations: [{ rule: 'min_length', message: 'must be at least 20 characters (it has 17)' }] } });
    // The generator meets the vault's rules, not the defaults.
    const generated = await vault.credentials.add({ name: 'gen', type: 'password' }, { generate: true });
    expect([...(await vault.credentials.reveal(generated.name))].length).toBeGreaterThanOrEqual(20);
    await vault.setPolicy('password_rules', 'warn', password);
    await vault.credentials.add({ name: 'db', type: 'password' }, { value: 'Xy7!short-enough?' });
    const report = await vault.health.vault();
    const db = report.reports.find((c) => c.name === 'db')!;
    expect(db.findings.map((f) => f.kind)).toContain('policy_violation');
    // Rotating it too: stored, and still listed.
    await vault.credentials.rotate('db', { value: 'Ab1!also-too-short' });
    expect(await vault.credentials.reveal('db')).toBe('Ab1!also-too-short');
    await vault.lock('user');
  });

  it('with backups turned off, saves make no backup copies (and existing ones stay)', async () => {
    const { vault, password, path } = await policyVault();
    const backups = async () => (await readdir(vaultPaths(path).backupsDir).catch(() => [])).length;
    await vault.credentials.add({ name: 'a', type: 'secret' }, { value: 'one' });
    const kept = await backups();
    expect(kept).toBeGreaterThan(0);
    await vault.setPolicy('backup_enabled', false, password);
    const now = await backups();
    for (let i = 0; i < 3; i++) await vault.credentials.add({ name: `b${i}`, type: 'secret' }, { value: `v${i}` });
    expect(await backups()).toBe(now);
    await vault.setPolicy('backup_enabled', true);
    await vault.credentials.add({ name: 'c', type: 'secret' }, { value: 'again' });
    expect(await backups()).toBeGreaterThan(now);
    await vault.lock('user');
  });
});

describe('keyward policy', () => {
  it('show, set (exit 2 with what is allowed), preset, exit 7 on a value that breaks it; the rotation options still work', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const shown = await cli.json<PolicyView & { rotation: { byType: Record<string, unknown> } }>(['policy', '--json']);
    expect(valueOf(shown, 'min_length')).toMatchObject({ value: 12, source: { from: 'default' } });
    const table = await cli.expectOk(['policy', 'show']);
    expect(table.stdout).toMatch(/^ {4}min_length {15}12 characters {10}default$/m);
    const bad = await cli.run(['policy', 'set', 'min_length', 'twelve']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('keyward: min_length takes a whole number of characters from 8 to 128.\n');
    expect((await cli.run(['policy', 'set', 'nope', '1'])).code).toBe(2);
    expect((await cli.expectOk(['policy', 'set', 'min_length', '18'])).stdout).toBe('min_length is now 18 characters.\n');
    const refused = await cli.run(['add', 'db', '--type', 'password'], { stdin: 'Xy7!short-enough?\n' });
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/\[min_length\]/);
    // Loosening: the master password (here from KEYWARD_PASSWORD, as a script gives it).
    const nist = await cli.expectOk(['policy', 'preset', 'nist-800-63b']);
    expect(nist.stdout).toMatch(/^Applied the NIST SP 800-63B preset/);
    expect(nist.stdout).toMatch(/^ {4}require_special_chars +false +preset nist-800-63b \d{4}-\d{2}-\d{2}$/m);
    // The scoped rotation rules, as before, shown with the rest.
    const scoped = await cli.expectOk(['policy', '--type', 'api_key', '--interval-days', '14']);
    expect(scoped.stdout).toMatch(/^ {4}type api_key +every 14 d, max age · d, remind · d before$/m);
    expect((await cli.run(['policy', 'set', 'min_length', '20', '--type', 'api_key'])).code).toBe(2);
  });

  it('unlock_backoff: strict slows wrong master passwords down after 3, and stays strict across unlocks; loosening asks for the password', async () => {
    const { path, password, vault } = await policyVault();
    expect(valueOf(await vault.securityPolicy(), 'unlock_backoff')).toMatchObject({ value: 'standard', source: { from: 'default' } });
    await vault.setPolicy('unlock_backoff', 'strict');
    await vault.lock('command-end');
    const core = openCore({ actor: 'test', deps: testDeps({ stateDir: join(path, '..', 'state') }) });
    const lifecycle = core.vault(path);
    const wrong = async () => lifecycle.unlock({ password: 'not the password' }).then(() => 'ok', (e: { code: string; message: string }) => `${e.code}: ${e.message}`);
    expect(await wrong()).toMatch(/^AUTH_FAILED: Wrong master password\. 2 more attempts/);
    expect(await wrong()).toMatch(/1 more attempt /);
    expect(await wrong()).toMatch(/Further attempts are now delayed/);
    expect(await wrong()).toMatch(/^LOCKED_OUT: .*Try again in 30 s/);
    // The standard mode would still allow two more free attempts here.
    const locked = await lifecycle.unlock({ password }).then(() => 'ok', (e: { code: string }) => e.code);
    expect(locked).toBe('LOCKED_OUT');
    expect(JSON.parse(await readFile(vaultPaths(path).lockout, 'utf8'))).toMatchObject({ failures: 3, backoff: 'strict' });
    expect(policyKeyDef('unlock_backoff')!.weakens('strict', 'standard')).toBe(true);
  });

  it('custom rules: rotation shortened in scope, copy only after reveal, no plaintext export, grants only with approval; removal asks for the password', async () => {
    const { path, password, vault } = await policyVault();
    await vault.credentials.add({ name: 'stripe-prod', type: 'api_key', tags: ['production'] }, { value: 'sk_live_CustomRule0123456789' });
    await vault.credentials.add({ name: 'stripe-test', type: 'api_key', tags: ['test'] }, { value: 'sk_test_CustomRule0123456789' });
    const { token } = await vault.grants.add({ name: 'ci', role: 'reader' });
    // Bad rules: said, nothing stored.
    await expect(vault.addPolicyRule({ name: 'x', scopes: [], settings: { rotate_every_days: 14 } })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'scope' } });
    await expect(vault.addPolicyRule({ name: 'x', scopes: ['tag:production'], settings: { rotate_every_days: 0 } })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'rotate_every_days' } });
    await expect(vault.addPolicyRule({ name: 'x', scopes: ['tag:production'], settings: { colour: 'red' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'settings' } });
    expect((await vault.securityPolicy()).rules).toEqual([]);

    const view = await vault.addPolicyRule({
      name: 'production-keys',
      scopes: ['tag:production'],
      settings: { rotate_every_days: '14', reveal_before_copy: true, no_plaintext_export: true, grants_need_approval: 'true' },
    });
    expect(view.rules).toMatchObject([{ name: 'production-keys', scopes: ['tag:production'], settings: { rotate_every_days: 14, reveal_before_copy: true, no_plaintext_export: true, grants_need_approval: true } }]);
    await expect(vault.addPolicyRule({ name: 'production-keys', scopes: ['tag:x'], settings: { max_age_days: 5 } })).rejects.toMatchObject({ code: 'EXISTS' });

    // Rotation: due 14 days after creation in scope, 30 (the default) out of it.
    const due = await vault.rotation().schedule();
    const rulesOf = (name: string) => due.find((d) => d.name === name)!.rules.intervalDays;
    expect([rulesOf('stripe-prod'), rulesOf('stripe-test')]).toEqual([14, 30]);

    // Copying: refused until revealed in this session; out of scope, always allowed.
    await expect(vault.credentials.reveal('stripe-prod', undefined, 'copy')).rejects.toMatchObject({ code: 'POLICY', message: expect.stringMatching(/rule "production-keys": reveal "stripe-prod" before copying/) });
    await vault.credentials.reveal('stripe-test', undefined, 'copy');
    await vault.credentials.reveal('stripe-prod');
    await expect(vault.credentials.reveal('stripe-prod', undefined, 'copy')).resolves.toBe('sk_live_CustomRule0123456789');
    // A new value has not been seen: revealing the old one does not cover it.
    await vault.credentials.rotate('stripe-prod', { value: 'sk_live_CustomRule9876543210' });
    await expect(vault.credentials.reveal('stripe-prod', undefined, 'copy')).rejects.toMatchObject({ code: 'POLICY' });
    await vault.credentials.reveal('stripe-prod');
    await expect(vault.credentials.reveal('stripe-prod', undefined, 'copy')).resolves.toBe('sk_live_CustomRule9876543210');
    await vault.credentials.rotate('stripe-prod', { value: 'sk_live_CustomRule0123456789' });

    // Plain-text export (env, inject: purpose "value") refused; a program run with it (purpose "run") allowed.
    const source = vaultSource(vault);
    await expect(source.value('stripe-prod', 'value')).rejects.toMatchObject({ code: 'POLICY' });
    await expect(source.value('stripe-prod', 'run')).resolves.toBe('sk_live_CustomRule0123456789');
    // keyward get writes it out too (review M6).
    await expect(vault.credentials.reveal('stripe-prod', undefined, 'export')).rejects.toMatchObject({ code: 'POLICY' });
    await expect(source.value('stripe-test', 'value')).resolves.toBe('sk_test_CustomRule0123456789');

    // Grants: the value is out of the grant's file; read as plain text never, run only with approval (the app).
    const access = await openCore({ actor: 'test', deps: testDeps({ stateDir: join(path, '..', 'state') }) }).vault(path).openGrant(token);
    await expect(access.value('stripe-prod', 'value')).rejects.toMatchObject({ code: 'POLICY' });
    // Not even "to run a command": the program asking would hold the value (review H1).
    await expect(access.value('stripe-prod', 'run')).rejects.toMatchObject({ code: 'POLICY' });
    await expect(access.value('stripe-test', 'value')).resolves.toBe('sk_test_CustomRule0123456789');

    // Removing loosens: the password.
    await expect(vault.removePolicyRule('production-keys')).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    await expect(vault.removePolicyRule('production-keys', 'wrong')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect((await vault.removePolicyRule('production-keys', password)).rules).toEqual([]);
    expect((await vault.auditRecords({ action: 'policy.rule.' })).map((r) => [r.action, r.outcome])).toEqual(
      expect.arrayContaining([
        ['policy.rule.add.production-keys', 'success'],
        ['policy.rule.remove.production-keys', 'success'],
      ]),
    );
  });

  it('taking a credential out of a rule’s scope (a tag, a name, a provider) needs the master password, as removing the rule does', async () => {
    const { password, vault } = await policyVault();
    await vault.credentials.add({ name: 'prod-stripe', type: 'api_key', provider: 'Stripe', tags: ['production'] }, { value: 'sk_live_ScopeEscape0123456789' });
    await vault.addPolicyRule({ name: 'production-keys', scopes: ['tag:production'], settings: { no_plaintext_export: true } });
    await vault.addPolicyRule({ name: 'prod-names', scopes: ['name:prod-*'], settings: { rotate_every_days: 14 } });
    const tagsOf = async () => (await vault.credentials.show('prod-stripe')).tags;
    // Out of "production-keys": refused without the password, and with a wrong one; nothing changes.
    await expect(vault.credentials.update('prod-stripe', { tags: ['staging'] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      extra: { field: 'password' },
      message: expect.stringMatching(/takes "prod-stripe" out of the rule "production-keys"/),
    });
    await expect(vault.credentials.update('prod-stripe', { tags: ['staging'] }, { password: 'not the password' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(await tagsOf()).toEqual(['production']);
    await expect(vault.credentials.reveal('prod-stripe', undefined, 'export')).rejects.toMatchObject({ code: 'POLICY' });
    // A change that stays in every scope asks nothing; one that adds a scope neither.
    await vault.credentials.update('prod-stripe', { description: 'Payments', tags: ['production', 'payments'] });
    // A rename out of "prod-names" asks too; with the password, it is done.
    await expect(vault.credentials.update('prod-stripe', { name: 'stripe-live' })).rejects.toMatchObject({ extra: { field: 'password' }, message: expect.stringMatching(/rule "prod-names"/) });
    await vault.credentials.update('prod-stripe', { tags: ['staging'], name: 'stripe-live' }, { password });
    expect((await vault.credentials.show('stripe-live')).tags).toEqual(['staging']);
    await expect(vault.credentials.reveal('stripe-live', undefined, 'export')).resolves.toBe('sk_live_ScopeEscape0123456789');
  });

  it('keyward edit out of a rule’s scope asks for the master password (KEYWARD_PASSWORD here) and is done with it', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    await cli.add('stripe-prod', 'sk_live_CliEscape0123456789abc', 'api_key', ['--tag', 'production']);
    await cli.expectOk(['policy', 'rule', 'add', 'prod', '--scope', 'tag:production', '--set', 'no_plaintext_export=true']);
    const edited = await cli.run(['edit', 'stripe-prod', '--tag', 'staging']);
    expect([edited.code, edited.stdout], edited.stderr).toEqual([0, 'Updated "stripe-prod".\n']);
    expect((await cli.expectOk(['env', 'stripe-prod'])).stdout).toContain('sk_live_CliEscape0123456789abc');
  });

  it('deactivating a credential a rule keeps on a rotation schedule needs the master password; other rules do not ask', async () => {
    const { password, vault } = await policyVault();
    await vault.credentials.add({ name: 'prod-db', type: 'secret', tags: ['production'] }, { value: 'pg_DeactivateEscape0123456789' });
    await vault.credentials.add({ name: 'notes', type: 'secret', tags: ['personal'] }, { value: 'notes_NoRuleHere0123456789' });
    await vault.addPolicyRule({ name: 'prod-rotation', scopes: ['tag:production'], settings: { rotate_every_days: 14 } });
    await vault.addPolicyRule({ name: 'personal-export', scopes: ['tag:personal'], settings: { no_plaintext_export: true } });
    // Never due once inactive: the rule would stop reminding, so it asks, and a wrong password changes nothing.
    await expect(vault.credentials.setActive('prod-db', false)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      extra: { field: 'password' },
      message: expect.stringMatching(/rule "prod-rotation" would no longer remind you to rotate "prod-db"/),
    });
    await expect(vault.credentials.setActive('prod-db', false, { password: 'not the password' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect((await vault.credentials.show('prod-db')).active).toBe(true);
    await vault.credentials.setActive('prod-db', false, { password });
    expect((await vault.credentials.show('prod-db')).active).toBe(false);
    // Activating asks nothing; nor does deactivating one whose rules still hold for an inactive credential.
    await vault.credentials.setActive('prod-db', true);
    await vault.credentials.setActive('notes', false);
    expect((await vault.credentials.show('notes')).active).toBe(false);
  });

  it('keyward deactivate under a rotation rule asks for the master password (KEYWARD_PASSWORD here) and is done with it', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    await cli.add('stripe-prod', 'sk_live_CliDeactivate0123456789', 'api_key', ['--tag', 'production']);
    await cli.expectOk(['policy', 'rule', 'add', 'prod', '--scope', 'tag:production', '--set', 'rotate_every_days=14']);
    const done = await cli.run(['deactivate', 'stripe-prod']);
    expect([done.code, done.stdout], done.stderr).toEqual([0, '"stripe-prod" is now inactive.\n']);
  });

  it('keyward policy rule add|remove, shown by policy show; env refuses a value a rule keeps from plain text (exit 7), run uses it', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    await cli.add('stripe-prod', 'sk_live_CliRule0123456789abc', 'api_key', ['--tag', 'production']);
    const added = await cli.run(['policy', 'rule', 'add', 'prod', '--scope', 'tag:production', '--set', 'rotate_every_days=14', '--set', 'no_plaintext_export=true']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/prod\s+tag:production: rotate_every_days=14, no_plaintext_export/);
    expect((await cli.expectOk(['policy'])).stdout).toMatch(/Custom rules[^\n]*\n\s+prod\s+tag:production/);
    const bad = await cli.run(['policy', 'rule', 'add', 'x', '--scope', 'tag:production', '--set', 'rotate_every_days=0']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/rotate_every_days takes a whole number of days from 1 to 3650/)]);
    const env = await cli.run(['env', 'stripe-prod']);
    expect([env.code, env.stdout]).toEqual([7, '']);
    const get = await cli.run(['get', 'stripe-prod']);
    expect([get.code, get.stdout]).toEqual([7, '']);
    expect(env.stderr).toMatch(/Refused by the rule "prod"/);
    const run = await cli.run(['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'echo "$K"']);
    expect([run.code, run.stdout]).toEqual([0, '<concealed:stripe-prod>\n']);
    // Removing asks for the password (KEYWARD_PASSWORD here): removed.
    expect((await cli.run(['policy', 'rule', 'remove', 'prod'])).code).toBe(0);
    expect((await cli.expectOk(['env', 'stripe-prod'])).stdout).toContain('sk_live_CliRule0123456789abc');
  });
});
