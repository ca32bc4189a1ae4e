import { describe, expect, it } from 'vitest';
import type { Method } from '../../shared/ipc/contract.js';
import { REQUEST_SCHEMAS } from '../../shared/ipc/schemas.js';
import { KeywardError } from '../core/errors.js';
import { createDispatcher, isAppPage } from './dispatcher.js';
import type { Handlers } from './handlers/index.js';

const ORIGIN = 'app://keyward';
const APP_PAGE = { url: 'app://keyward/index.html', isMainFrame: true };
const METHODS = Object.keys(REQUEST_SCHEMAS) as Method[];

/** Handlers that record what reached them, so a test can prove a bad request never did. */
function recordingHandlers(answer: (m: Method, r: unknown) => unknown = () => ({ fine: true })) {
  const calls: Array<{ method: Method; request: unknown }> = [];
  const handlers = Object.fromEntries(
    METHODS.map((m) => [
      m,
      async (request: unknown) => {
        calls.push({ method: m, request });
        return answer(m, request);
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

/** Well-formed requests for every method, so each malformed variant is checked against a valid baseline. */
const VALID: { [M in Method]: unknown } = {
  'app.state': {},
  'app.activity': {},
  'app.openLink': { id: 'docs.security' },
  'vault.create': { password: 'a long master password', useKeychain: false },
  'vault.unlock': { method: 'password', password: 'pw' },
  'vault.lock': {},
  'vault.chooseFile': { mode: 'open' },
  'vault.changePassword': { currentPassword: 'a', newPassword: 'b' },
  'vault.setKeychain': { enabled: true },
  'vault.listBackups': {},
  'vault.previewBackup': { file: '2026-01-01T00-00-00-000Z.g00000001.keyward' },
  'vault.restoreBackup': {},
  'vault.inspectBackups': { password: 'pw' },
  'settings.update': { autoLockMinutes: 5 },
  'credentials.list': {},
  'credentials.get': { id: 'abc' },
  'credentials.add': { credential: { name: 'n', type: 'secret' }, value: { value: 'v' } },
  'credentials.update': { id: 'abc', patch: { name: 'new' } },
  'credentials.rotate': { id: 'abc', value: { generate: true } },
  'credentials.setActive': { id: 'abc', active: false },
  'credentials.remove': { id: 'abc' },
  'credentials.undoRemove': { id: 'abc' },
  'credentials.reveal': { id: 'abc' },
  'credentials.copy': { id: 'abc', target: 'value' },
  'analysis.health': {},
  'analysis.check': { id: 'abc' },
  'analysis.checkValue': { value: 'ghp_x', type: 'api_key', provider: 'github' },
  'rotation.schedule': {},
  'rotation.timeline': { limits: { upcoming: 100 }, keep: [{ id: 'abc', group: 'overdue', dueAt: '2026-01-01T00:00:00.000Z' }] },
  'rotation.status': {},
  'rotation.due': { id: 'abc' },
  'rotation.setPolicy': { scope: { provider: 'stripe' }, override: { intervalDays: 14 } },
  'rotation.snooze': { id: 'abc', days: 3 },
  'rotation.markRotated': { id: 'abc' },
  'rotation.undoMarkRotated': { id: 'abc' },
  'rotation.rollback': { id: 'abc' },
  'rotation.setRotator': { id: 'abc', create: './make-key.sh', test: './check.sh', password: 'master' },
  'rotation.clearRotator': { id: 'abc' },
  'rotation.dryRun': { id: 'abc' },
  'rotation.runRotator': { id: 'abc' },
  'vault.rotateKey': { password: 'master' },
  'vault.keepSessionState': {},
  'vault.reopen': {},
  'generator.generate': { options: { kind: 'passphrase', words: 6, separator: '-', capitalize: false, includeNumber: true } },
  'audit.records': { action: 'vault.', outcome: 'failure', credential: 'stripe', since: '2026-12-01T00:00:00Z', limit: 100, before: 95_000 },
  'audit.verify': {},
  'audit.forwarding': {},
  'audit.usage': { credential: 'stripe' },
  'report.security': {},
  'policy.get': {},
  'policy.set': { key: 'min_length', value: 14 },
  'policy.preset': { name: 'pci-dss-4' },
  'policy.addRule': { name: 'prod', scopes: ['tag:production'], settings: { rotate_every_days: 14, reveal_before_copy: true } },
  'policy.removeRule': { name: 'prod', password: 'pw' },
  'grants.list': {},
  'grants.add': { name: 'ci', role: 'runner', scopes: ['tag:ci'], allowCommands: ['npm test'], expiresAt: '2027-01-01', ask: false },
  'grants.revoke': { name: 'ci' },
  'grants.setSuspended': { name: 'ci', suspended: true },
  'grants.answerApproval': { id: 'apr-1', allow: true },
  'incidents.list': { all: true },
  'incidents.update': { id: 'inc-0123456789ab', status: 'resolved', note: 'rotated' },
  'credentials.markCompromised': { id: 'c1' },
};

const MALFORMED: { [M in Method]: unknown[] } = {
  'audit.records': [{ limit: 0 }, { limit: 5001 }, { limit: 1.5 }, { outcome: 'maybe' }, { action: 'a b' }, { since: 'yesterday' }, { before: -1 }, { before: 2.5 }, { before: '100' }, { extra: 1 }],
  'audit.verify': [{ extra: 1 }],
  'audit.forwarding': [{ extra: 1 }],
  'audit.usage': [{ credential: '' }, { credential: 5 }, { extra: 1 }],
  'report.security': [{ extra: 1 }],
  'policy.get': [{ extra: 1 }],
  'policy.set': [{ key: '', value: 1 }, { key: 'min_length' }, { key: 'min_length', value: { n: 1 } }, { key: 'min_length', value: 'x'.repeat(65) }, { key: 'min_length', value: 14, password: '' }, { key: 'k', value: 1, extra: 1 }],
  'policy.preset': [{}, { name: '' }, { name: 'pci-dss-4', extra: 1 }],
  'policy.addRule': [{}, { name: 'p', scopes: [''], settings: {} }, { name: 'p', scopes: ['tag:x'], settings: { k: {} } }, { name: 'p', scopes: 'tag:x', settings: {} }],
  'policy.removeRule': [{}, { name: '' }, { name: 'p', password: '' }],
  'grants.list': [{ all: true }],
  'grants.add': [{}, { name: 'ci', role: 'reader' }, { name: '', role: 'reader', scopes: [], allowCommands: [] }, { name: 'ci', role: 'reader', scopes: 'tag:x', allowCommands: [] }, { name: 'ci', role: 'reader', scopes: [], allowCommands: [], token: 'kwg_x' }],
  'grants.revoke': [{}, { name: '' }, { name: 'x'.repeat(65) }],
  'grants.setSuspended': [{ name: 'ci' }, { name: 'ci', suspended: 'yes' }],
  'grants.answerApproval': [{ id: 'apr-1' }, { id: '', allow: true }, { id: 'apr-1', allow: 'yes' }],
  'incidents.list': [{ all: 'yes' }, { extra: 1 }],
  'incidents.update': [{ id: 'inc-1', status: 'resolved' }, { id: 'inc-0123456789ab', status: 'open' }, { id: 'inc-0123456789ab', status: 'resolved', note: 'x'.repeat(2001) }],
  'credentials.markCompromised': [{}, { id: '' }, { id: 1 }],
  'app.state': [{ extra: 1 }, 'x', 42],
  'app.activity': [{ extra: 1 }, []],
  'app.openLink': [{}, { id: 'https://evil.example/' }, { id: 'constructor' }, { id: 'docs.security', url: 'https://evil.example/' }, { url: 'https://evil.example/' }],
  'vault.create': [{}, { password: '', useKeychain: false }, { password: 'p', useKeychain: 'yes' }, { password: 'p', useKeychain: false, kdfIterations: 1000 }, { password: 'x'.repeat(5000), useKeychain: false }],
  'vault.unlock': [{}, { method: 'magic' }, { method: 'password' }, { method: 'password', password: 7 }, { method: 'keychain', password: 'p' }],
  'vault.lock': [{ now: true }],
  'vault.chooseFile': [{}, { mode: 'delete' }, { mode: 'open', path: '/etc/passwd' }],
  'vault.changePassword': [{}, { currentPassword: 'a' }, { currentPassword: 'a', newPassword: '' }],
  'vault.setKeychain': [{}, { enabled: 'true' }],
  'vault.listBackups': [{ all: true }],
  'vault.previewBackup': [{}, { file: '../../etc/passwd' }, { file: 'a/b' }, { file: '' }],
  'vault.restoreBackup': [{ file: '../vault.keyward' }, { file: 5 }],
  'vault.inspectBackups': [{}, { password: '' }, { password: 7 }, { password: 'pw', file: 'x' }],
  'settings.update': [{ autoLockMinutes: -1 }, { autoLockMinutes: 5, password: '' }, { autoLockMinutes: 1.5 }, { clipboardClearSeconds: 1 }, { theme: 'dark' }],
  'credentials.list': [{ query: 'x' }],
  'credentials.get': [{}, { id: '' }, { id: 'x'.repeat(65) }, { id: 1 }],
  'credentials.add': [
    {},
    { credential: { name: 'n', type: 'nope' }, value: { value: 'v' } },
    { credential: { name: 'n', type: 'secret' }, value: { value: '' } },
    { credential: { name: 'n', type: 'secret' }, value: { generate: false } },
    { credential: { name: 'n', type: 'secret', tags: 'a,b' }, value: { value: 'v' } },
    { credential: { name: 'n', type: 'secret', admin: true }, value: { value: 'v' } },
    { credential: { name: 'x'.repeat(10_001), type: 'secret' }, value: { value: 'v' } },
  ],
  'credentials.update': [{ id: 'abc' }, { id: 'abc', patch: { type: 'password' } }, { id: 'abc', patch: { tags: [1] } }],
  'credentials.rotate': [{ id: 'abc' }, { id: 'abc', value: {} }, { id: 'abc', value: { value: 'v', generate: true } }],
  'credentials.setActive': [{ id: 'abc' }, { id: 'abc', active: 1 }],
  'credentials.remove': [{}, { id: null }],
  'credentials.undoRemove': [{}, { id: 7 }],
  'credentials.reveal': [{}, { id: 'abc', version: 0 }, { id: 'abc', version: 'latest' }],
  'credentials.copy': [{ id: 'abc' }, { id: 'abc', target: 'clipboard' }, { id: 'abc', target: { field: '' } }],
  'analysis.health': [{ id: 'abc' }],
  'rotation.schedule': [{ within: 3 }],
  'rotation.timeline': [
    { limits: { upcoming: -1 } },
    { limits: { upcoming: 10_001 } },
    { limits: { later: 5 } },
    { keep: [{ id: 'abc', group: 'later', dueAt: '2026-01-01T00:00:00.000Z' }] },
    { keep: [{ id: 'abc', group: 'overdue', dueAt: 'yesterday' }] },
    { keep: Array.from({ length: 1_001 }, () => ({ id: 'abc', group: 'overdue', dueAt: '2026-01-01T00:00:00.000Z' })) },
  ],
  'rotation.status': [{ id: 'abc' }],
  'rotation.due': [{}, { id: '' }, { id: 7 }],
  'rotation.setPolicy': [
    { scope: { provider: 'stripe' } },
    { scope: { type: 'ssh' }, override: {} },
    { scope: { credentialId: 'abc' }, override: { intervalDays: 0 } },
    { scope: {}, override: {} },
    { scope: { defaults: true }, override: { reminderLeadDays: -1 } },
  ],
  'rotation.snooze': [{ id: 'abc' }, { id: 'abc', days: 0 }, { id: 'abc', days: 1000 }],
  'rotation.markRotated': [{}],
  'rotation.undoMarkRotated': [{}],
  'rotation.rollback': [{ id: '' }],
  'rotation.setRotator': [
    { id: 'abc', create: './make-key.sh' },
    { id: 'abc', create: '', password: 'master' },
    { id: 'abc', create: 'x', password: 'master', timeoutSeconds: 0 },
    { id: 'abc', create: 'x', password: 'master', env: { A: 'b' } },
  ],
  'rotation.clearRotator': [{}],
  'rotation.dryRun': [{ id: 1 }],
  'rotation.runRotator': [{ id: 'abc', force: true }],
  'vault.rotateKey': [{}, { password: '' }],
  'vault.keepSessionState': [{ force: true }],
  'vault.reopen': [{ now: 1 }],
  'analysis.check': [{}, { id: 7 }],
  'analysis.checkValue': [{}, { value: 7 }, { value: 'x', type: 'nope' }, { value: 'x', extra: true }],
  'generator.generate': [
    {},
    { options: { kind: 'pin', length: 4 } },
    { options: { kind: 'password', length: 20 } },
    { options: { kind: 'api', bytes: 32, encoding: 'base32', prefix: '' } },
    { options: { kind: 'passphrase', words: 5.5, separator: '-', capitalize: false, includeNumber: false } },
  ],
};

describe('IPC dispatcher', () => {
  it('has a valid example and malformed examples for every method of the contract', () => {
    expect(Object.keys(VALID).sort()).toEqual([...METHODS].sort());
    expect(Object.keys(MALFORMED).sort()).toEqual([...METHODS].sort());
  });

  it.each(METHODS)('%s: accepts its well-formed request and passes it to the handler', async (method) => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, ORIGIN);
    const result = await dispatch(APP_PAGE, method, VALID[method]);
    expect(result).toEqual({ ok: true, value: { fine: true } });
    expect(calls).toEqual([{ method, request: VALID[method] }]);
  });

  it.each(METHODS)('%s: rejects every malformed request with BAD_REQUEST before any handler runs', async (method) => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, ORIGIN);
    for (const bad of MALFORMED[method]) {
      const result = await dispatch(APP_PAGE, method, bad);
      expect(result.ok, JSON.stringify(bad).slice(0, 80)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('BAD_REQUEST');
        expect(result.error.message).toMatch(/^Invalid request/);
      }
    }
    expect(calls).toEqual([]);
  });

  it('never echoes the submitted value in a validation error', async () => {
    const { handlers } = recordingHandlers();
    const dispatch = createDispatcher(handlers, ORIGIN);
    const secret = 'sk_live_DO_NOT_ECHO_0123456789';
    const result = await dispatch(APP_PAGE, 'credentials.add', { credential: { name: 'n', type: 'secret' }, value: { value: secret, extra: secret } });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('rejects unknown methods, including prototype names', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, ORIGIN);
    for (const method of ['nope', 'constructor', '__proto__', 'toString', 42, null]) {
      const result = await dispatch(APP_PAGE, method, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses calls from other pages and from sub-frames with FORBIDDEN', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, ORIGIN);
    const senders = [
      { url: 'https://evil.example/index.html', isMainFrame: true },
      { url: 'app://keyward.evil/index.html', isMainFrame: true },
      { url: 'file:///tmp/index.html', isMainFrame: true },
      { url: 'app://keyward/index.html', isMainFrame: false },
      { url: '', isMainFrame: true },
      { url: 'not a url', isMainFrame: true },
    ];
    for (const sender of senders) {
      const result = await dispatch(sender, 'credentials.list', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(calls).toEqual([]);
  });

  it('answers typed errors from handlers, and hides the text of unexpected ones', async () => {
    const { handlers } = recordingHandlers((m) => {
      if (m === 'credentials.get') throw new KeywardError('NOT_FOUND', 'No credential named "x".');
      throw new Error('boom: secret-ish internal detail');
    });
    const dispatch = createDispatcher(handlers, ORIGIN);
    expect(await dispatch(APP_PAGE, 'credentials.get', { id: 'x' })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No credential named "x".' } });
    const internal = await dispatch(APP_PAGE, 'credentials.list', {});
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret-ish');
  });

  it('runs a vault request once the credentials decoded after an unlock are whole; answers the state, activity and a lock at once', async () => {
    const { handlers, calls } = recordingHandlers();
    let decoded!: () => void;
    const decoding = new Promise<void>((resolve) => (decoded = resolve));
    const dispatch = createDispatcher(handlers, ORIGIN, () => decoding);
    const list = dispatch(APP_PAGE, 'credentials.list', {});
    for (const method of ['app.state', 'app.activity', 'vault.lock'] as const) expect(await dispatch(APP_PAGE, method, VALID[method])).toEqual({ ok: true, value: { fine: true } });
    expect(calls.map((c) => c.method)).toEqual(['app.state', 'app.activity', 'vault.lock']);
    decoded();
    expect(await list).toEqual({ ok: true, value: { fine: true } });
    expect(calls.map((c) => c.method)).toEqual(['app.state', 'app.activity', 'vault.lock', 'credentials.list']);
  });

  it('recognises the app page by scheme, host and port', () => {
    expect(isAppPage('app://keyward/index.html', 'app://keyward')).toBe(true);
    expect(isAppPage('http://127.0.0.1:4000/', 'http://127.0.0.1:4000')).toBe(true);
    expect(isAppPage('http://127.0.0.1:4001/', 'http://127.0.0.1:4000')).toBe(false);
    expect(isAppPage('http://localhost:4000/', 'http://127.0.0.1:4000')).toBe(false);
  });
});
