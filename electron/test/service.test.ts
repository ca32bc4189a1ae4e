/**
 * VaultService over a real vault file: every credential operation, names that
 * are hard to carry (unicode, newlines, 10,000 characters), rotation stages,
 * policy, the audit sink (every operation, never a value), input validation
 * and the value generator.
 */
import { editCredential } from '../core/vault/vault-change.js';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/domain.js';
import { CREDENTIAL_TYPES } from '../../shared/credential-types/index.js';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { KeywardError } from '../core/errors.js';
import { CHARSETS, generateFromRecipe, generatePassword, generateRandomSecret, LOOK_ALIKES } from '../core/generator/generate.js';
import { passwordViolations, DEFAULT_PASSWORD_RULES } from '../core/policy/password-policy.js';
import { FakeClock } from '../core/ports/clock.js';
import { normaliseExpiry, normaliseName, normaliseTags, validateNewCredential, validatePatch } from '../core/service/credential-input.js';
import { MAX_VALUE_BYTES } from '../core/service/vault-service.js';
import { unlockVault } from '../core/vault/vault-session.js';
import { createTestVault, distinctiveSecret, strongPassword, testDeps, testService } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

/** Reopens the vault from disk, so a test sees what was saved rather than what is in memory. */
async function reopened(path: string, password: string) {
  const session = await unlockVault(path, { password }, testDeps());
  return { session, service: testService(session) };
}

const HARD_NAMES: [string, string][] = [
  ['unicode', 'Ключ 🔑 clé — 鍵 ✓ ﷽ \u202eevil\u202c'],
  ['newlines and tabs', 'line one\nline two\r\n\tindented\u2028sep'],
  ['control characters and escapes', 'bell\u0007 esc\u001b[31mred\u001b[0m nul\u0000end'],
  ['quotes and JSON', '"quoted" \'single\' {"a":[1,2]} \\backslash'],
  ['10,000 characters', 'n'.repeat(LIMITS.nameLength)],
  ['10,000 characters with unicode and newlines', `é\n🔑${'x'.repeat(LIMITS.nameLength - 5)}`],
];

describe('credential operations', () => {
  it.each(HARD_NAMES)('a name with %s round-trips through add, list, show, reveal and a reopen', async (_label, name) => {
    expect(name.length).toBeLessThanOrEqual(LIMITS.nameLength);
    const v = await createTestVault(await tempDir());
    const value = distinctiveSecret();
    const added = await v.service.add({ name, type: 'secret' }, { value });
    expect(added.name).toBe(name.normalize('NFC'));
    v.session.lock();
    const { session, service } = await reopened(v.path, v.password);
    expect((await service.list()).map((c) => c.name)).toEqual([name.normalize('NFC')]);
    expect((await service.show(name)).id).toBe(added.id);
    expect(await service.reveal(name)).toBe(value);
    expect(await service.reveal(added.id)).toBe(value);
    session.lock();
  });

  it('refuses a name of 10,001 characters, an empty one and one of only spaces (BAD_REQUEST on field "name")', async () => {
    const v = await createTestVault(await tempDir());
    for (const name of ['n'.repeat(LIMITS.nameLength + 1), '', '   \n\t']) {
      await expect(v.service.add({ name, type: 'secret' }, { value: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'name' } });
    }
    expect(await v.service.list()).toEqual([]);
    v.session.lock();
  });

  it('treats composed and decomposed spellings of a name as the same name', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'caf\u00e9', type: 'secret' }, { value: 'one' });
    expect(await v.service.reveal('cafe\u0301')).toBe('one');
    await expect(v.service.add({ name: 'cafe\u0301', type: 'secret' }, { value: 'two' })).rejects.toMatchObject({ code: 'EXISTS' });
    v.session.lock();
  });

  it('stores every field of every type and lists them with their metadata', async () => {
    const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
    const v = await createTestVault(await tempDir(), { deps: { clock } });
    const svc = testService(v.session, { clock });
    await svc.add(
      { name: 'gh', type: 'api_key', provider: 'GitHub', description: 'CI', tags: ['ci', 'ci', ' prod '], fields: { keyId: 'k1', scopes: 'repo' }, expiresAt: '2026-12-31' },
      { value: 'ghp_x' },
    );
    await svc.add({ name: 'mail', type: 'password', fields: { username: 'me@example.com', url: 'https://mail.example.com' } }, { value: strongPassword() });
    await svc.add({ name: 'oauth', type: 'token', fields: { tokenType: 'bearer' } }, { value: 'tok' });
    await svc.add({ name: 'misc', type: 'secret' }, { value: 's' });
    const gh = await svc.show('gh');
    expect(gh).toMatchObject({
      type: 'api_key',
      provider: 'GitHub',
      description: 'CI',
      tags: ['ci', 'prod'],
      fields: { keyId: 'k1', scopes: 'repo' },
      expiresAt: '2026-12-31T00:00:00.000Z',
      createdAt: '2026-03-01T10:00:00.000Z',
      active: true,
      lastRotatedAt: null,
      currentVersion: 1,
    });
    expect((await svc.list({ type: 'password' })).map((c) => c.name)).toEqual(['mail']);
    expect((await svc.list({ provider: 'github' })).map((c) => c.name)).toEqual(['gh']);
    expect((await svc.list({ tag: 'prod' })).map((c) => c.name)).toEqual(['gh']);
    expect((await svc.list({ query: 'MAIL' })).map((c) => c.name)).toEqual(['mail']);
    expect(await svc.list()).toHaveLength(4);
    v.session.lock();
  });

  it('rotation keeps the old values as previous and history, each still readable', async () => {
    const clock = new FakeClock();
    const v = await createTestVault(await tempDir(), { deps: { clock } });
    const svc = testService(v.session, { clock });
    const values = [distinctiveSecret('v1')];
    await svc.add({ name: 'k', type: 'secret' }, { value: values[0]! });
    for (let i = 2; i <= 4; i++) {
      clock.advance(60_000);
      values.push(distinctiveSecret(`v${i}`));
      const d = await svc.rotate('k', { value: values[i - 1]! });
      expect(d.currentVersion).toBe(i);
    }
    const detail = await svc.show('k');
    expect(detail.versions.map((x) => [x.version, x.stage, x.origin])).toEqual([
      [4, 'current', 'manual'],
      [3, 'previous', 'manual'],
      [2, 'history', 'manual'],
      [1, 'history', 'initial'],
    ]);
    expect(detail.lastRotatedAt).toBe(clock.now().toISOString());
    expect(await svc.history('k')).toEqual(detail.versions);
    v.session.lock();
    const { session, service } = await reopened(v.path, v.password);
    expect(await service.reveal('k')).toBe(values[3]);
    for (let i = 1; i <= 4; i++) expect(await service.reveal('k', i)).toBe(values[i - 1]);
    await expect(service.reveal('k', 5)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    session.lock();
  });

  it('keeps at most historyToKeep superseded "history" versions', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'k', type: 'secret' }, { value: 'v1' });
    for (let i = 2; i <= 24; i++) await v.service.rotate('k', { value: `v${i}` });
    const versions = (await v.service.show('k')).versions;
    expect(versions.filter((x) => x.stage === 'history')).toHaveLength(v.session.state.settings.historyToKeep);
    expect(versions[0]).toMatchObject({ version: 24, stage: 'current' });
    expect(versions.at(-1)!.version).toBe(24 - 1 - v.session.state.settings.historyToKeep);
    expect(await v.service.reveal('k', 3)).toBe('v3');
    await expect(v.service.reveal('k', 2)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    v.session.lock();
  });

  it('deactivates, reactivates, edits and removes', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'a', type: 'secret' }, { value: '1' });
    await v.service.add({ name: 'b', type: 'secret' }, { value: '2' });
    expect((await v.service.setActive('a', false)).active).toBe(false);
    expect((await v.service.list({ active: false })).map((c) => c.name)).toEqual(['a']);
    expect((await v.service.list({ active: true })).map((c) => c.name)).toEqual(['b']);
    expect((await v.service.setActive('a', true)).active).toBe(true);
    await expect(v.service.update('a', { name: 'b' })).rejects.toMatchObject({ code: 'EXISTS' });
    expect((await v.service.update('a', { name: 'c', description: 'renamed' })).name).toBe('c');
    expect(await v.service.reveal('c')).toBe('1');
    expect(await v.service.remove('c')).toMatchObject({ name: 'c' });
    await expect(v.service.show('c')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    v.session.lock();
    const { session, service } = await reopened(v.path, v.password);
    expect((await service.list()).map((c) => c.name)).toEqual(['b']);
    session.lock();
  });

  it('NOT_FOUND for every operation on a missing credential, EXISTS for a duplicate add', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'here', type: 'secret' }, { value: 'x' });
    for (const op of [
      () => v.service.show('gone'),
      () => v.service.history('gone'),
      () => v.service.reveal('gone'),
      () => v.service.rotate('gone', { value: 'y' }),
      () => v.service.update('gone', { description: 'd' }),
      () => v.service.setActive('gone', false),
      () => v.service.remove('gone'),
    ])
      await expect(op()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(v.service.add({ name: 'here', type: 'secret' }, { value: 'x' })).rejects.toMatchObject({ code: 'EXISTS' });
    v.session.lock();
  });

  it('refuses empty and oversized values, and generation for types without a generator', async () => {
    const v = await createTestVault(await tempDir());
    await expect(v.service.add({ name: 'e', type: 'secret' }, { value: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'value' } });
    await expect(v.service.add({ name: 'big', type: 'secret' }, { value: 'x'.repeat(MAX_VALUE_BYTES + 1) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(v.service.add({ name: 'tok', type: 'token' }, { generate: true })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/cannot generate/) });
    expect((await v.service.add({ name: 'max', type: 'secret' }, { value: 'é'.repeat(MAX_VALUE_BYTES / 2) })).name).toBe('max');
    v.session.lock();
  });

  it('generates values that fit their type and pass the default policy', async () => {
    const v = await createTestVault(await tempDir());
    for (const type of ['api_key', 'password', 'secret'] as const) {
      const d = await v.service.add({ name: type, type }, { generate: true });
      expect(d.versions[0]!.origin).toBe('generated');
      const value = await v.service.reveal(type);
      if (type === 'password') expect(passwordViolations(value, DEFAULT_PASSWORD_RULES)).toEqual([]);
      expect(value.length).toBeGreaterThanOrEqual(20);
    }
    const before = await v.service.reveal('password');
    await v.service.rotate('password', { generate: true });
    expect(await v.service.reveal('password')).not.toBe(before);
    v.session.lock();
  });
});

describe('names that look the same', () => {
  it('are trimmed, and a name equal to another ignoring case is refused with EXISTS naming the existing one', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: ' stripe-prod ', type: 'secret' }, { value: 'one' });
    expect((await v.service.list()).map((c) => c.name)).toEqual(['stripe-prod']);
    await expect(v.service.add({ name: 'STRIPE-PROD', type: 'secret' }, { value: 'two' })).rejects.toMatchObject({
      code: 'EXISTS',
      message: expect.stringContaining('"stripe-prod" already exists'),
    });
    await v.service.add({ name: 'other', type: 'secret' }, { value: 'three' });
    await expect(v.service.update('other', { name: 'Stripe-Prod ' })).rejects.toMatchObject({ code: 'EXISTS' });
    v.session.lock();
  });

  it('a vault written before the rule, holding " x " and "X" beside "x", still opens and serves each by its exact name', async () => {
    const v = await createTestVault(await tempDir());
    for (const [name, value] of [['x', 'lower'], ['y', 'upper'], ['z', 'padded']]) await v.service.add({ name: name!, type: 'secret' }, { value: value! });
    // What an older Keyward could write: rename behind the service's back.
    await v.session.transact((body) => {
      editCredential(body, body.credentials.find((c) => c.name === 'y')!.id).name = 'X';
      editCredential(body, body.credentials.find((c) => c.name === 'z')!.id).name = ' x ';
    });
    v.session.lock();
    const { session, service } = await reopened(v.path, v.password);
    expect((await service.list()).map((c) => c.name).sort()).toEqual([' x ', 'X', 'x']);
    expect(await service.reveal('x')).toBe('lower');
    expect(await service.reveal('X')).toBe('upper');
    expect(await service.reveal(' x ')).toBe('padded');
    // Editing one of them without renaming it is still allowed.
    await service.update('X', { description: 'kept' });
    session.lock();
  });
});

describe('values that say nothing new', () => {
  it('an all-whitespace value is refused (BAD_REQUEST on "value") on add and rotate', async () => {
    const v = await createTestVault(await tempDir());
    for (const value of ['      ', ' \t\n ', '\u00a0\u2003'])
      await expect(v.service.add({ name: 'blank', type: 'secret' }, { value })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'value' } });
    await v.service.add({ name: 'ok', type: 'secret' }, { value: '  padded but real  ' });
    await expect(v.service.rotate('ok', { value: '   ' }, { force: true })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    v.session.lock();
  });

  it('rotating to the identical current value is refused (POLICY, rule same_value) unless forced', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 's', type: 'secret' }, { value: 'the-value' });
    const err = (await v.service.rotate('s', { value: 'the-value' }).catch((e: unknown) => e)) as KeywardError;
    expect(err).toMatchObject({ code: 'POLICY', extra: { field: 'value', violations: [{ rule: 'same_value' }] } });
    expect(err.message).toMatch(/same as the current value/);
    expect((await v.service.show('s')).currentVersion).toBe(1);
    expect((await v.service.show('s')).lastRotatedAt).toBeNull();
    await v.service.rotate('s', { value: 'the-value' }, { force: true });
    expect((await v.service.show('s')).currentVersion).toBe(2);
    // Back to an older (not current) value is a real change at the provider: allowed.
    await v.service.rotate('s', { value: 'another' });
    await v.service.rotate('s', { value: 'the-value' });
    v.session.lock();
  });

  it('does not generate a value its provider issues (a Stripe key), and says so in the summary', async () => {
    const v = await createTestVault(await tempDir());
    await expect(v.service.add({ name: 'k', type: 'api_key', provider: 'Stripe' }, { generate: true })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/issued by Stripe.*paste it, or set a rotator/),
    });
    const stripe = await v.service.add({ name: 'k', type: 'api_key', provider: 'stripe' }, { value: `sk_live_${'a1B2c3D4e5'.repeat(3)}` });
    expect(stripe.issuedByProvider).toBe(true);
    await expect(v.service.rotate('k', { generate: true })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const own = await v.service.add({ name: 'own', type: 'api_key', provider: 'acme' }, { generate: true });
    expect(own.issuedByProvider).toBeUndefined();
    expect((await v.service.add({ name: 'pw', type: 'password', provider: 'github' }, { generate: true })).issuedByProvider).toBeUndefined();
    v.session.lock();
  });
});

describe('policy at the one door values enter', () => {
  it('refuses a weak password with POLICY naming the rules, stores it with force, and checks rotations too', async () => {
    const v = await createTestVault(await tempDir());
    const weak = 'short1';
    const err = (await v.service.add({ name: 'p', type: 'password' }, { value: weak }).catch((e: unknown) => e)) as KeywardError;
    expect(err.code).toBe('POLICY');
    const rules = err.extra.violations!.map((x) => x.rule);
    expect(rules).toEqual(expect.arrayContaining(['min_length', 'require_uppercase', 'require_special_chars']));
    expect(err.message).toMatch(/^Refused by policy: the value must be at least 12 characters/);
    // The core names no caller's override: the CLI adds --force, the app its own button.
    expect(err.message).not.toMatch(/--force|Store anyway/);
    expect(err.message).not.toContain(weak);
    expect(await v.service.list()).toEqual([]);
    await v.service.add({ name: 'p', type: 'password' }, { value: weak }, { force: true });
    expect(await v.service.reveal('p')).toBe(weak);
    await expect(v.service.rotate('p', { value: 'alsoweak' })).rejects.toMatchObject({ code: 'POLICY' });
    await v.service.rotate('p', { value: strongPassword() });
    // API keys are minted by providers: the password rules do not apply to them.
    await v.service.add({ name: 'k', type: 'api_key' }, { value: 'abc' });
    v.session.lock();
  });

  it('counts code points, not UTF-16 units, for the minimum length', () => {
    expect(passwordViolations('Aa1!🔑🔑🔑🔑🔑🔑🔑🔑', DEFAULT_PASSWORD_RULES)).toEqual([]);
    expect(passwordViolations('Aa1!🔑🔑🔑🔑', DEFAULT_PASSWORD_RULES).map((x) => x.rule)).toEqual(['min_length']);
  });
});

describe('the audit sink', () => {
  it('receives one event per operation, success or failure, naming the credential and never a value', async () => {
    const clock = new FakeClock();
    const v = await createTestVault(await tempDir(), { deps: { clock } });
    const audit = new MemoryAuditSink();
    const svc = testService(v.session, { clock, audit });
    const secrets = [distinctiveSecret('a'), distinctiveSecret('b'), distinctiveSecret('weak').toLowerCase().replace(/-/g, '')];
    const added = await svc.add({ name: 'a', type: 'secret' }, { value: secrets[0]! });
    await svc.list();
    await svc.show('a');
    await svc.history('a');
    await svc.reveal('a');
    await svc.rotate('a', { value: secrets[1]! });
    await svc.update('a', { description: 'd' });
    await svc.setActive('a', false);
    await svc.setActive('a', true);
    await svc.reveal('missing').catch(() => undefined);
    await svc.add({ name: 'w', type: 'password' }, { value: secrets[2]! }).catch(() => undefined);
    await svc.add({ name: 'a', type: 'secret' }, { value: secrets[0]! }).catch(() => undefined);
    await svc.remove('a');

    expect(audit.events.map((e) => [e.action, e.outcome, e.errorCode ?? null])).toEqual([
      ['add', 'success', null],
      ['list', 'success', null],
      ['show', 'success', null],
      ['history', 'success', null],
      ['reveal', 'success', null],
      ['rotate', 'success', null],
      ['update', 'success', null],
      ['deactivate', 'success', null],
      ['activate', 'success', null],
      ['reveal', 'failure', 'NOT_FOUND'],
      ['add', 'failure', 'POLICY'],
      ['add', 'failure', 'EXISTS'],
      ['remove', 'success', null],
    ]);
    for (const e of audit.events) {
      expect(e.actor).toBe('test');
      expect(e.at).toBe(clock.now().toISOString());
    }
    for (const e of audit.events.filter((x) => x.action !== 'list' && x.outcome === 'success')) {
      expect(e).toMatchObject({ credentialId: added.id, credentialName: 'a' });
    }
    expect(audit.events[9]).toMatchObject({ credentialName: 'missing' });
    const recorded = JSON.stringify(audit.events);
    for (const s of secrets) expect(recorded).not.toContain(s);
    v.session.lock();
  });

  it('an audit sink that fails makes the operation fail (nothing bypasses the trail)', async () => {
    const v = await createTestVault(await tempDir());
    const svc = testService(v.session, {
      audit: {
        record: () => {
          throw new Error('audit device full');
        },
      },
    });
    await expect(svc.list()).rejects.toThrow('audit device full');
    v.session.lock();
  });
});

describe('credential input validation', () => {
  it('names: text, not blank, at most 10,000 characters, NFC', () => {
    expect(normaliseName('cafe\u0301')).toBe('caf\u00e9');
    expect(normaliseName(' padded \t')).toBe('padded');
    expect(normaliseName('x'.repeat(LIMITS.nameLength))).toHaveLength(LIMITS.nameLength);
    for (const bad of [42, null, undefined, '', ' \n', 'x'.repeat(LIMITS.nameLength + 1)])
      expect(() => normaliseName(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', extra: { field: 'name' } }));
  });

  it('tags: trimmed, de-duplicated, bounded', () => {
    expect(normaliseTags(undefined)).toEqual([]);
    expect(normaliseTags([' a ', 'a', 'b'])).toEqual(['a', 'b']);
    for (const bad of ['a', [''], ['  '], [1], ['t'.repeat(LIMITS.tagLength + 1)], Array.from({ length: LIMITS.tagCount + 1 }, (_, i) => `t${i}`)])
      expect(() => normaliseTags(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', extra: { field: 'tags' } }));
  });

  it('expiry: a date or nothing', () => {
    expect(normaliseExpiry('2027-01-02')).toBe('2027-01-02T00:00:00.000Z');
    expect(normaliseExpiry('2027-01-02T03:04:05+02:00')).toBe('2027-01-02T01:04:05.000Z');
    expect(normaliseExpiry('')).toBeNull();
    expect(normaliseExpiry(null)).toBeNull();
    expect(() => normaliseExpiry('next tuesday')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', extra: { field: 'expiresAt' } }));
    expect(() => normaliseExpiry(20270102)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('a URL typed as into an address bar ("github.com/login") is stored as https://…; other schemes are still refused', () => {
    const url = (u: string) => validateNewCredential({ name: 'n', type: 'password', fields: { url: u } }).fields.url;
    expect(url('github.com/login')).toBe('https://github.com/login');
    expect(url(' github.com ')).toBe('https://github.com');
    expect(url('localhost:8080/admin')).toBe('https://localhost:8080/admin');
    expect(url('intranet.example:8443')).toBe('https://intranet.example:8443');
    expect(url('http://plain.example')).toBe('http://plain.example');
    for (const bad of ['javascript:alert(1)', 'ftp://x.example', 'not a url'])
      expect(() => url(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', extra: { field: 'url' } }));
    expect(validatePatch('password', { fields: { url: 'gitlab.com/me' } }).fields).toEqual({ url: 'https://gitlab.com/me' });
  });

  it("type and fields follow the type's declaration", () => {
    const ok = validateNewCredential({ name: 'n', type: 'password', fields: { username: 'u', url: 'https://x.example', ignoredEmpty: '' } as Record<string, string> });
    expect(ok.fields).toEqual({ username: 'u', url: 'https://x.example' });
    expect(ok).toMatchObject({ provider: '', description: '', tags: [], expiresAt: null });
    const bad: [unknown, string][] = [
      [{ name: 'n', type: 'ssh_key' }, 'type'],
      [{ name: 'n', type: 'password', fields: { url: 'javascript:alert(1)' } }, 'url'],
      [{ name: 'n', type: 'password', fields: { shoeSize: '42' } }, 'shoeSize'],
      [{ name: 'n', type: 'token', fields: { tokenType: 'magic' } }, 'tokenType'],
      [{ name: 'n', type: 'api_key', fields: { keyId: 'k'.repeat(513) } }, 'keyId'],
      [{ name: 'n', type: 'secret', fields: { x: 1 } }, 'fields'],
      [{ name: 'n', type: 'secret', fields: ['a'] }, 'fields'],
      [{ name: 'n', type: 'secret', provider: 'p'.repeat(LIMITS.providerLength + 1) }, 'provider'],
      [{ name: 'n', type: 'secret', description: 'd'.repeat(LIMITS.descriptionLength + 1) }, 'description'],
      [{ name: 'n', type: 'secret', provider: 7 }, 'provider'],
    ];
    for (const [input, field] of bad) {
      let err: KeywardError | undefined;
      try {
        validateNewCredential(input as never);
      } catch (e) {
        err = e as KeywardError;
      }
      expect(err, JSON.stringify(input).slice(0, 80)).toMatchObject({ code: 'BAD_REQUEST', extra: { field } });
    }
    expect(() => validateNewCredential(null as never)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('patches validate only what they change', () => {
    expect(validatePatch('secret', { description: 'x' })).toEqual({ description: 'x' });
    expect(validatePatch('secret', { provider: '  P  ', expiresAt: null })).toEqual({ provider: 'P', expiresAt: null });
    expect(() => validatePatch('secret', { name: '' })).toThrow(expect.objectContaining({ extra: { field: 'name' } }));
    expect(() => validatePatch('password', { fields: { url: 'ftp://x' } })).toThrow(expect.objectContaining({ extra: { field: 'url' } }));
  });
});

describe('the generator', () => {
  it('passwords have the exact length and every requested class, for many draws', () => {
    for (let i = 0; i < 300; i++) {
      const length = 4 + (i % 40);
      const p = generatePassword({ length, classes: ['lower', 'upper', 'digits', 'symbols'] });
      expect([...p]).toHaveLength(length);
      for (const set of Object.values(CHARSETS)) expect([...p].some((ch) => set.includes(ch)), p).toBe(true);
      expect([...p].every((ch) => Object.values(CHARSETS).some((set) => set.includes(ch)))).toBe(true);
    }
  });

  it('honours a subset of classes and can leave out look-alike characters', () => {
    for (let i = 0; i < 100; i++) {
      const p = generatePassword({ length: 32, classes: ['upper', 'digits'], excludeLookAlikes: true });
      expect(p).toMatch(/^[A-Z0-9]{32}$/);
      expect(/[A-Z]/.test(p) && /[0-9]/.test(p)).toBe(true);
      expect([...p].some((ch) => LOOK_ALIKES.has(ch))).toBe(false);
    }
  });

  it('refuses impossible requests', () => {
    expect(() => generatePassword({ length: 3, classes: ['lower'] })).toThrow(RangeError);
    expect(() => generatePassword({ length: 2000, classes: ['lower'] })).toThrow(RangeError);
    expect(() => generatePassword({ length: 8, classes: [] })).toThrow(RangeError);
    expect(() => generatePassword({ length: 4.5, classes: ['lower'] })).toThrow(RangeError);
    expect(() => generateRandomSecret(4, 'hex')).toThrow(RangeError);
  });

  it('random secrets carry the requested entropy in their encoding', () => {
    expect(generateRandomSecret(32, 'hex')).toMatch(/^[0-9a-f]{64}$/);
    expect(generateRandomSecret(32, 'base64url')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateRandomSecret(32, 'base62')).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(generateRandomSecret(16, 'hex', 'kw_')).toMatch(/^kw_[0-9a-f]{32}$/);
    const many = new Set(Array.from({ length: 200 }, () => generateRandomSecret(16, 'base62')));
    expect(many.size).toBe(200);
  });

  it("every type's recipe generates a value (and only token has none)", () => {
    for (const type of CREDENTIAL_TYPES) {
      if (!type.generator) {
        expect(type.id).toBe('token');
        continue;
      }
      expect(generateFromRecipe(type.generator).length).toBeGreaterThanOrEqual(20);
    }
  });
});
