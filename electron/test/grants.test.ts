/**
 * Access grants for programs (issue 13; docs/grants.md): a token opens
 * exactly what its grant covers — checked at the level of the bytes on disk,
 * with the grant's key alone —, follows every change of the vault, stops at
 * revocation, suspension and expiry, is never stored, and every use is
 * recorded under the grant's name with a proof the vault's owner checks.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../core/composition.js';
import { KeywardError } from '../core/errors.js';
import { parseToken, wrapKeyFromSecret, grantAad, openPart } from '../core/grants/grant-crypto.js';
import { openGrantFileWithKey, parseGrantFile } from '../core/grants/grant-file.js';
import { grantFilePath, grantsDir } from '../core/grants/grant-sync.js';
import { FakeClock } from '../core/ports/clock.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function grantVault(clock = new FakeClock(new Date('2026-12-01T10:00:00Z'))) {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const core = openCore({ actor: 'test', deps: testDeps({ clock, stateDir: join(dir, 'state') }) });
  const lifecycle = core.vault(path);
  const vault = await lifecycle.create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  const values = { prod: distinctiveSecret('prod'), staging: distinctiveSecret('staging'), personal: distinctiveSecret('personal') };
  await vault.credentials.add({ name: 'stripe-prod', type: 'api_key', provider: 'Stripe', tags: ['production'] }, { value: values.prod });
  await vault.credentials.add({ name: 'stripe-staging', type: 'api_key', provider: 'Stripe', tags: ['staging'] }, { value: values.staging });
  await vault.credentials.add({ name: 'bank', type: 'secret', tags: ['personal'] }, { value: values.personal });
  return { dir, path, password, core, lifecycle, vault, values, clock };
}

/** The grant's key, from the token alone, as a program bypassing Keyward would get it. */
async function keyFromToken(path: string, token: string): Promise<{ file: ReturnType<typeof parseGrantFile>; key: Buffer }> {
  const parsed = parseToken(token)!;
  const file = parseGrantFile(await readFile(grantFilePath(path, parsed.grantId)))!;
  const key = openPart(wrapKeyFromSecret(parsed.secret, parsed.grantId), file.wrap, grantAad('wrap', file.vault, file.grant))!;
  return { file, key };
}

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: KeywardError) => e.code);

describe('grants', () => {
  it('a token opens exactly its scope, even read with its key alone; never the vault', async () => {
    const { path, vault, values, lifecycle } = await grantVault();
    const { token, grant } = await vault.grants.add({ name: 'ci', role: 'reader', scopes: ['provider:stripe'] });
    expect(token).toMatch(/^kwg_[A-Za-z0-9_-]{59}$/);
    expect(grant.covers).toBe(2);

    // At the level of the bytes: G opens the two Stripe credentials and nothing else is in the file at all.
    const { file, key } = await keyFromToken(path, token);
    const opened = openGrantFileWithKey(file!, key);
    expect(opened.entries.map((e) => [e.name, e.value]).sort()).toEqual([
      ['stripe-prod', values.prod],
      ['stripe-staging', values.staging],
    ]);
    const bytes = await readFile(grantFilePath(path, grant.id), 'utf8');
    expect(bytes).not.toContain(values.personal);
    expect(bytes).not.toContain('bank');
    // The vault file's frames do not open under anything G yields: it is not the vault key.
    const vaultBytes = await readFile(path);
    expect(vaultBytes.includes(key)).toBe(false);

    // Through Keyward: the same scope, values by name, NOT_FOUND for what is out of scope.
    const access = await lifecycle.openGrant(token);
    expect((await access.credentials()).map((c) => c.name).sort()).toEqual(['stripe-prod', 'stripe-staging']);
    expect((await access.credentials()).some((c) => 'value' in c)).toBe(false);
    expect(await access.value('STRIPE-PROD', 'value')).toBe(values.prod);
    await expect(access.value('bank', 'value')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a viewer’s file holds no value at all, and a viewer is refused one', async () => {
    const { path, vault, values, lifecycle } = await grantVault();
    const { token } = await vault.grants.add({ name: 'dash', role: 'viewer' });
    const { file, key } = await keyFromToken(path, token);
    const opened = openGrantFileWithKey(file!, key);
    expect(opened.entries).toHaveLength(3);
    expect(opened.entries.every((e) => e.value === undefined)).toBe(true);
    for (const v of Object.values(values)) expect(await readFile(grantFilePath(path, file!.grant), 'utf8')).not.toContain(v);
    const access = await lifecycle.openGrant(token);
    await expect(access.value('stripe-prod', 'value')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(access.value('stripe-prod', 'run')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('follows every change: a new value, leaving and entering scope, removal, a rename', async () => {
    const { vault, values, lifecycle } = await grantVault();
    const { token } = await vault.grants.add({ name: 'prod', role: 'reader', scopes: ['tag:production'] });
    const names = async () => (await (await lifecycle.openGrant(token)).credentials()).map((c) => c.name).sort();
    const rotated = distinctiveSecret('rotated');
    await vault.credentials.rotate('stripe-prod', { value: rotated });
    expect(await (await lifecycle.openGrant(token)).value('stripe-prod', 'value')).toBe(rotated);
    await vault.credentials.update('bank', { tags: ['production'] });
    expect(await names()).toEqual(['bank', 'stripe-prod']);
    await vault.credentials.update('stripe-prod', { tags: [] });
    expect(await names()).toEqual(['bank']);
    await vault.credentials.update('bank', { name: 'bank-renamed' });
    expect(await names()).toEqual(['bank-renamed']);
    await vault.credentials.remove('bank-renamed');
    expect(await names()).toEqual([]);
    expect(values.prod).not.toBe(rotated);
  });

  it('a file changed on disk, or one missing a save, is refused or rewritten whole', async () => {
    const { path, vault, lifecycle } = await grantVault();
    const { token, grant } = await vault.grants.add({ name: 'ci', role: 'reader' });
    const file = JSON.parse(await readFile(grantFilePath(path, grant.id), 'utf8')) as { entries: Record<string, string> };
    const [first, second] = Object.keys(file.entries);
    // Swapping two entries (each intact) is caught by the manifest.
    [file.entries[first!], file.entries[second!]] = [file.entries[second!]!, file.entries[first!]!];
    await writeFile(grantFilePath(path, grant.id), JSON.stringify(file));
    await expect(lifecycle.openGrant(token)).rejects.toMatchObject({ code: 'CORRUPTED' });
    // The next save rewrites it whole (it no longer authenticates as the last one written).
    await vault.credentials.update('bank', { description: 'x' });
    expect((await (await lifecycle.openGrant(token)).credentials())).toHaveLength(3);
  });

  it('revocation and suspension remove the key material; expiry is checked at every use', async () => {
    const { path, vault, lifecycle, clock } = await grantVault();
    const a = await vault.grants.add({ name: 'a', role: 'reader' });
    const b = await vault.grants.add({ name: 'b', role: 'runner', expiresAt: '2026-12-03' });
    expect(b.grant.expiresAt).toBe('2026-12-03T23:59:59.999Z');
    await vault.grants.revoke('a');
    expect(await readdir(grantsDir(path))).toEqual([b.grant.id]);
    await expect(lifecycle.openGrant(a.token)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/revoked/) });

    await vault.grants.setSuspended('b', true);
    expect(await readdir(grantsDir(path))).toEqual([]);
    expect(await code(lifecycle.openGrant(b.token))).toBe('AUTH_FAILED');
    await vault.grants.setSuspended('b', false);
    const access = await lifecycle.openGrant(b.token);
    expect(await access.value('bank', 'run')).not.toBe('');
    clock.set(new Date('2026-12-04T00:00:00Z'));
    await expect(access.value('bank', 'run')).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/expired/) });

    // A mistyped token, and one that is not a token.
    const wrong = b.token.slice(0, -2) + (b.token.endsWith('AA') ? 'BB' : 'AA');
    expect(await code(lifecycle.openGrant(wrong))).toBe('AUTH_FAILED');
    expect(await code(lifecycle.openGrant('hunter2'))).toBe('AUTH_FAILED');
  });

  it('checks what it is given: names, roles, scopes, expiry, duplicates', async () => {
    const { vault } = await grantVault();
    await expect(vault.grants.add({ name: 'Bad Name', role: 'reader' })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'name' } });
    await expect(vault.grants.add({ name: 'x', role: 'owner' })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'role' } });
    await expect(vault.grants.add({ name: 'x', role: 'reader', scopes: ['label:x'] })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'scope' } });
    await expect(vault.grants.add({ name: 'x', role: 'reader', expiresAt: '2020-01-01' })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'expires' } });
    await expect(vault.grants.add({ name: 'x', role: 'viewer', allowCommands: ['npm test'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await vault.grants.add({ name: 'x', role: 'reader' });
    await expect(vault.grants.add({ name: 'x', role: 'viewer' })).rejects.toMatchObject({ code: 'EXISTS' });
    await expect(vault.grants.revoke('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never stores a token: only its keyed hash, in the body; nothing of it in any file', async () => {
    const { dir, path, vault } = await grantVault();
    const { token } = await vault.grants.add({ name: 'ci', role: 'reader' });
    const secret = parseToken(token)!.secret;
    const stored = vault.state.grants![0]!;
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const files = [path, grantFilePath(path, stored.id), vaultPaths(path).audit.log];
    for (const f of files) {
      const bytes = await readFile(f);
      expect(bytes.includes(Buffer.from(token))).toBe(false);
      expect(bytes.includes(secret)).toBe(false);
      expect(bytes.includes(Buffer.from(secret.toString('base64')))).toBe(false);
    }
    expect(dir).toBeTruthy();
  });

  it('every use is recorded under the grant’s name; a forged use is folded in as a failure without a name', async () => {
    const { path, vault, lifecycle, password, core } = await grantVault();
    const { token } = await vault.grants.add({ name: 'ci', role: 'reader' });
    await vault.lock('command-end');
    const access = await lifecycle.openGrant(token);
    await access.value('stripe-prod', 'value');
    await expect(access.value('bank', 'run')).resolves.toBeTruthy();
    const pending = (await readFile(vaultPaths(path).audit.pending, 'utf8')).trim().split('\n');
    expect(pending).toHaveLength(2);
    expect(pending.join('\n')).not.toContain('stripe-prod');
    // A line written by someone without the grant's key: same shape, another credential id.
    const forged = JSON.parse(pending[0]!) as Record<string, string>;
    forged.cred = 'someone-else';
    await writeFile(vaultPaths(path).audit.pending, [...pending, JSON.stringify(forged)].join('\n') + '\n');

    const again = await core.vault(path).unlock({ password });
    const records = await again.auditRecords({ actor: 'grant:ci' });
    expect(records.map((r) => [r.action, r.outcome, r.credential ?? null, r.code ?? null])).toEqual([
      ['reveal', 'success', 'stripe-prod', null],
      ['reveal.run', 'success', 'bank', null],
      ['reveal', 'failure', null, 'CORRUPTED'],
    ]);
    expect(await again.grants.show('ci')).toMatchObject({ uses: 3, role: 'reader', covers: 3 });
  });

  it('a sweep by a grant’s token suspends that grant (the automatic response), and says so in the incident', async () => {
    const { path, vault, lifecycle, password, core } = await grantVault();
    for (let i = 0; i < 14; i++) await vault.credentials.add({ name: `svc-${i}`, type: 'secret' }, { value: distinctiveSecret(`svc${i}`) });
    const { token } = await vault.grants.add({ name: 'leaky', role: 'reader' });
    await vault.lock('command-end');
    const access = await lifecycle.openGrant(token);
    for (const c of await access.credentials()) await access.value(c.name, 'value');
    // The next unlock chains those reads, the watch sees the sweep, and the grant is suspended.
    const again = await core.vault(path).unlock({ password });
    const { incidents } = await again.incidents();
    const sweep = incidents.find((i) => i.kind === 'sweep')!;
    expect(sweep).toMatchObject({ actor: 'grant:leaky', responses: ['notify', 'suspend-grant'] });
    await again.lock('command-end');
    const after = await core.vault(path).unlock({ password });
    expect((await after.grants.show('leaky')).suspended).toBe(true);
    expect((await after.auditRecords({ action: 'grant.suspend.leaky' })).map((r) => r.outcome)).toEqual(['success']);
    await expect(lifecycle.openGrant(token)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('a restored backup never brings back a grant revoked or suspended since (unlocked, and while locked)', async () => {
    const { path, vault, lifecycle, clock, core, password } = await grantVault();
    const gone = await vault.grants.add({ name: 'gone', role: 'reader' });
    const paused = await vault.grants.add({ name: 'paused', role: 'reader' });
    await vault.credentials.remove('bank');
    await vault.grants.revoke('gone');
    await vault.grants.setSuspended('paused', true);
    const later = await vault.grants.add({ name: 'later', role: 'viewer' });
    // The newest backup from before "bank" was removed: both grants worked then.
    const backup = (await vault.listBackups()).find((b) => b.intact !== false && b.credentialCount === 3);
    expect(backup).toBeDefined();

    // Restored while unlocked: the credential comes back, the grants stay as they are now.
    clock.advance(60_000);
    expect(await vault.restoreBackup(backup!.file)).toBe('restored');
    expect(vault.state.credentials.some((c) => c.name === 'bank')).toBe(true);
    expect((await vault.grants.list()).map((g) => [g.name, g.suspended])).toEqual([
      ['paused', true],
      ['later', false],
    ]);
    expect(await code(lifecycle.openGrant(gone.token))).toBe('AUTH_FAILED');
    expect(await code(lifecycle.openGrant(paused.token))).toBe('AUTH_FAILED');
    expect(await code(lifecycle.openGrant(later.token))).toBe('ok');

    // Restored while locked (no key to read today's grants): the files say which work; the rest come back suspended.
    await vault.lock('command-end');
    clock.advance(60_000);
    await lifecycle.restoreBackup(backup!.file);
    const reopened = await core.vault(path).unlock({ password });
    const grants = Object.fromEntries((await reopened.grants.list()).map((g) => [g.name, g.suspended]));
    expect(grants).toEqual({ gone: true, paused: true });
    expect(await code(lifecycle.openGrant(gone.token))).toBe('AUTH_FAILED');
  });

  it('an expired grant’s file leaves the disk at the next save or unlock (no rotated values for a clock that lies)', async () => {
    const { path, vault, clock, core, password } = await grantVault();
    const { grant } = await vault.grants.add({ name: 'brief', role: 'reader', expiresAt: '2026-12-02' });
    expect(await readdir(grantsDir(path))).toEqual([grant.id]);
    clock.set(new Date('2026-12-03T00:00:00Z'));
    await vault.credentials.rotate('stripe-prod', { value: distinctiveSecret('after-expiry') });
    expect(await readdir(grantsDir(path))).toEqual([]);
    // And at unlock, when nothing is saved: made again by hand, it is removed.
    await writeFile(grantFilePath(path, grant.id), '{}');
    await vault.lock('command-end');
    await core.vault(path).unlock({ password });
    expect(await readdir(grantsDir(path))).toEqual([]);
  });

  it('a pending line in a grant’s name without its proof is chained as a failure (CORRUPTED)', async () => {
    const { path, vault, core, password } = await grantVault();
    await vault.grants.add({ name: 'ci', role: 'reader' });
    await vault.lock('command-end');
    await writeFile(vaultPaths(path).audit.pending, JSON.stringify({ at: '2026-12-01T10:00:00.000Z', actor: 'grant:ci', action: 'reveal', outcome: 'success' }) + '\n');
    const again = await core.vault(path).unlock({ password });
    expect((await again.auditRecords({ actor: 'grant:ci' })).map((r) => [r.action, r.outcome, r.code])).toEqual([['reveal', 'failure', 'CORRUPTED']]);
  });
});
