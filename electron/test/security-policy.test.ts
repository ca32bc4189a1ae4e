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
});
