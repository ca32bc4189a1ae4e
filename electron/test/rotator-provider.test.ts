/**
 * Command rotators against a small real provider served on 127.0.0.1 by the
 * test. The provider holds the set of valid keys (POST /keys mints one for a
 * caller holding a valid key, GET /check answers 200 only for a valid key,
 * DELETE /keys/KEY revokes one); the rotator is a node script written into the
 * temp folder, run through the shell exactly as a user's would be. Failures
 * are injected at every step — create, set, test, finish — and after finish at
 * revoke: the vault's `current` stays a key that works at the provider, the
 * provider's keys change only when a rotation succeeds, failed values are kept
 * for inspection, and every run is recorded (in the credential and the audit
 * trail) without values. The rotator never sees the master password or any
 * KEYWARD_* variable except the two it is given, and no value is ever in argv.
 * Last, the same through the built CLI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialDetail } from '../../shared/domain.js';
import type { DueItem, RotationRun } from '../../shared/rotation.js';
import type { FileSystem } from '../core/ports/file-system.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { RescuedValues } from '../core/rotation/rescued-values.js';
import { flushRescued, RotationService, type DryRunResult } from '../core/rotation/rotation-service.js';
import { runCommand } from '../core/rotation/run-command.js';
import { systemRandom } from '../core/ports/random.js';
import { unlockVault, type VaultDeps, type VaultSession } from '../core/vault/vault-session.js';
import { WriteLock } from '../core/vault/write-lock.js';
import { createTestVault, strongPassword, testDeps, testService, type TestVault } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { builtCli } from './helpers/paths.js';
import { findInAnyEncoding } from './helpers/vault-file.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs('keyward-rotator-');

/** The provider: a set of valid keys behind a tiny HTTP API. */
class Provider {
  readonly valid = new Set<string>();
  /** Every key ever minted, valid or not. */
  readonly issued: string[] = [];
  private server: Server | null = null;
  url = '';

  issue(active = true): string {
    const key = `pk_${randomBytes(16).toString('hex')}`;
    this.issued.push(key);
    if (active) this.valid.add(key);
    return key;
  }

  reset(): void {
    this.valid.clear();
    this.issued.length = 0;
  }

  get validKeys(): string[] {
    return [...this.valid].sort();
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const authorised = this.valid.has(bearer);
      const url = new URL(req.url ?? '/', 'http://provider');
      const answer = (status: number, body = '') => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(body);
      };
      if (req.method === 'POST' && url.pathname === '/keys') {
        if (!authorised) return answer(401);
        // ?inactive=1: a provider that hands out a key it has not activated (the test step must catch it).
        return answer(201, this.issue(url.searchParams.get('inactive') !== '1'));
      }
      if (req.method === 'GET' && url.pathname === '/check') return answer(authorised ? 200 : 401);
      const revoke = /^\/keys\/(.+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && revoke) {
        if (!authorised) return answer(401);
        return answer(this.valid.delete(decodeURIComponent(revoke[1]!)) ? 204 : 404);
      }
      answer(404);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/**
 * The rotator, as a user might write it: `rotator.mjs STEP [MODE]`. It logs
 * what it was given (argv, environment, a hash of stdin — never a value) and
 * talks to the provider found in $PROVIDER_URL. MODE injects failures.
 */
const ROTATOR_SOURCE = `
import { appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
const [step, mode = 'ok'] = process.argv.slice(2);
let input = '';
for await (const chunk of process.stdin) input += chunk;
appendFileSync(process.env.ROTATOR_LOG, JSON.stringify({
  step, mode, argv: process.argv, env: process.env, pid: process.pid,
  passwordUnset: process.env.KEYWARD_PASSWORD === undefined,
  stdinSha256: createHash('sha256').update(input).digest('hex'),
}) + '\\n');
const url = process.env.PROVIDER_URL;
const auth = { authorization: 'Bearer ' + input };
if (step === 'create') {
  if (mode === 'fail') process.exit(3);
  if (mode === 'hang') setInterval(() => {}, 1 << 30);
  else if (mode === 'empty') process.exit(0);
  else if (mode === 'weak') process.stdout.write('weak\\n');
  else if (mode === 'same') process.stdout.write(input + '\\n');
  else if (mode === 'big') process.stdout.write('K'.repeat(1536 * 1024) + '\\n');
  else if (mode === 'huge') process.stdout.write('H'.repeat(5 * 1024 * 1024) + '\\n');
  else {
    // rekey: another Keyward process replaces the vault key while this create runs.
    if (mode === 'rekey') {
      const { execFileSync } = await import('node:child_process');
      execFileSync(process.execPath, [process.env.TEST_CLI, '--vault', process.env.TEST_VAULT, '--no-keychain', '--password-file', process.env.TEST_PWFILE, 'rotate-vault-key'], { stdio: 'ignore' });
    }
    const res = await fetch(url + '/keys' + (mode === 'inactive' ? '?inactive=1' : ''), { method: 'POST', headers: auth });
    if (!res.ok) process.exit(4);
    process.stdout.write((await res.text()) + '\\n');
  }
} else if (step === 'test') {
  const res = await fetch(url + '/check', { headers: auth });
  process.exit(res.status === 200 ? 0 : 1);
} else if (step === 'revoke') {
  if (mode === 'fail') process.exit(5);
  const res = await fetch(url + '/keys/' + encodeURIComponent(input), { method: 'DELETE', headers: auth });
  process.exit(res.ok ? 0 : 6);
}
`;

interface LogEntry {
  step: 'create' | 'test' | 'revoke';
  mode: string;
  argv: string[];
  env: Record<string, string>;
  pid: number;
  passwordUnset: boolean;
  stdinSha256: string;
}

const provider = new Provider();
beforeAll(() => provider.start());
afterAll(() => provider.stop());
beforeEach(() => provider.reset());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const MASTER_IN_ENV = `master-in-env-${randomBytes(6).toString('hex')}`;
const NAME = 'stripe-live';
const PROVIDER_NAME = 'Stripe';

/** The environment a Keyward process might have: the master password and other KEYWARD_* variables among the user's own. */
function parentEnv(log: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    PROVIDER_URL: provider.url,
    ROTATOR_LOG: log,
    KEYWARD_PASSWORD: MASTER_IN_ENV,
    KEYWARD_NEW_PASSWORD: `${MASTER_IN_ENV}-new`,
    KEYWARD_VAULT: '/somewhere/vault.keyward',
    keyward_lower_case: `${MASTER_IN_ENV}-lower`,
    ELECTRON_RUN_AS_NODE: '1',
  };
  delete env.NODE_OPTIONS;
  return env;
}

async function readLog(log: string): Promise<LogEntry[]> {
  if (!existsSync(log)) return [];
  return (await readFile(log, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);
}

/** What every rotator step must (not) have been given. */
function expectCleanSteps(entries: LogEntry[], raw: string, credential: string, providerName: string, secrets: string[]) {
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) {
    expect(e.passwordUnset).toBe(true);
    expect(e.env.KEYWARD_CREDENTIAL).toBe(credential);
    expect(e.env.KEYWARD_PROVIDER).toBe(providerName);
    expect(Object.keys(e.env).filter((k) => /^keyward_/i.test(k)).sort()).toEqual(['KEYWARD_CREDENTIAL', 'KEYWARD_PROVIDER']);
    expect(Object.keys(e.env).filter((k) => /^electron_/i.test(k))).toEqual([]);
    // The user's other variables are kept (that is how the rotator finds its provider).
    expect(e.env.PROVIDER_URL).toBe(provider.url);
    expect(e.argv.slice(2)).toEqual(e.mode === 'ok' ? [e.step] : [e.step, e.mode]);
  }
  // No value and no master password anywhere in what the steps were given (argv, environment).
  for (const secret of secrets) expect(raw).not.toContain(secret);
}

interface Setup extends TestVault {
  dir: string;
  log: string;
  script: string;
  initial: string;
  rotation: RotationService;
  cmd: (step: string, mode?: string) => string;
  entries: () => Promise<LogEntry[]>;
  rawLog: () => string;
  runs: () => Promise<RotationRun[]>;
  detail: () => Promise<CredentialDetail>;
}

async function setup(
  options: { fs?: FileSystem; deps?: Partial<VaultDeps>; type?: 'api_key' | 'password'; initial?: string; run?: typeof runCommand; rescued?: RescuedValues } = {},
): Promise<Setup> {
  const dir = await tempDir();
  const script = join(dir, 'rotator.mjs');
  const log = join(dir, 'rotator.log');
  await writeFile(script, ROTATOR_SOURCE);
  const v = await createTestVault(dir, { deps: { ...options.deps, ...(options.fs ? { fs: options.fs } : {}) } });
  const initial = options.initial ?? provider.issue();
  await v.service.add({ name: NAME, type: options.type ?? 'api_key', provider: PROVIDER_NAME }, { value: initial });
  const rotation = new RotationService(v.service, { env: parentEnv(log), ...(options.run ? { run: options.run } : {}), ...(options.rescued ? { rescued: options.rescued } : {}) });
  return {
    ...v,
    dir,
    log,
    script,
    initial,
    rotation,
    cmd: (step, mode) => `node ${script} ${step}${mode ? ` ${mode}` : ''}`,
    entries: () => readLog(log),
    rawLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : ''),
    runs: async () => (await v.service.show(NAME)).rotation.runs,
    detail: () => v.service.show(NAME),
  };
}

const stages = (d: CredentialDetail) => d.versions.map((v) => [v.version, v.stage]);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie is dead, only not yet reaped.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('a command rotator against a real provider', () => {
  it('succeeds end to end: create → set → test → finish → revoke', async () => {
    const s = await setup();
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke') });
    expect(provider.validKeys).toEqual([s.initial]);

    const outcome = await s.rotation.runRotator(NAME);
    expect(outcome.revokeFailed).toBe(false);

    // The provider now holds exactly the new key, and the vault's current value is it.
    const current = await s.service.reveal(NAME);
    expect(current).not.toBe(s.initial);
    expect(provider.validKeys).toEqual([current]);
    expect(provider.issued).toEqual([s.initial, current]);
    // previous holds the old key (one-step rollback); the old key was revoked.
    expect(stages(outcome.detail)).toEqual([
      [2, 'current'],
      [1, 'previous'],
    ]);
    expect(outcome.detail.versions[0]!.origin).toBe('rotator');
    expect(await s.service.reveal(NAME, 1)).toBe(s.initial);
    expect(outcome.detail.lastRotatedAt).not.toBeNull();
    // (Recorded once revoke has run, so with revoke's time.)
    expect(outcome.detail.rotation.runs).toEqual([{ at: expect.any(String), kind: 'rotator', outcome: 'success', version: 2 }]);

    // The protocol: create got the current value, test the new one, revoke the old one — on stdin.
    const entries = await s.entries();
    expect(entries.map((e) => [e.step, e.stdinSha256])).toEqual([
      ['create', sha256(s.initial)],
      ['test', sha256(current)],
      ['revoke', sha256(s.initial)],
    ]);
    expectCleanSteps(entries, s.rawLog(), NAME, PROVIDER_NAME, [MASTER_IN_ENV, s.initial, current, s.password]);

    // On disk too: a fresh session sees the new current value, and neither key is in the file in any encoding.
    const reopened = await unlockVault(s.path, { password: s.password }, testDeps());
    const svc = testService(reopened);
    expect(await svc.reveal(NAME)).toBe(current);
    expect(await svc.reveal(NAME, 1)).toBe(s.initial);
    const file = await readFile(s.path);
    expect(findInAnyEncoding(file, current)).toBeNull();
    expect(findInAnyEncoding(file, s.initial)).toBeNull();
    reopened.lock();

    // The audit trail has the configuration and the run, and no value.
    const actions = s.audit.events.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['rotator.set:success', 'rotate.rotator:success']));
    expect(s.audit.events.find((e) => e.action === 'rotate.rotator')).toMatchObject({ credentialName: NAME, outcome: 'success' });
    const audit = JSON.stringify(s.audit.events);
    for (const secret of [s.initial, current, MASTER_IN_ENV, s.password]) expect(audit).not.toContain(secret);
  });

  it('a failing create (non-zero exit, timeout, empty output, the same value again) changes nothing', async () => {
    const s = await setup();
    const cases: Array<[string, RegExp]> = [
      ['fail', /The create command exited with code 3\./],
      ['hang', /The create command did not finish within its timeout and was stopped\./],
      ['empty', /The create command printed no new value\./],
      ['same', /printed the current value again/],
    ];
    for (const [mode, message] of cases) {
      await s.rotation.setRotator(NAME, { create: s.cmd('create', mode), test: s.cmd('test'), revoke: s.cmd('revoke'), timeoutSeconds: 1 });
      await expect(s.rotation.runRotator(NAME), mode).rejects.toMatchObject({ code: 'ROTATION_FAILED', extra: { step: 'create' }, message: expect.stringMatching(/at the create step/) });
      const detail = await s.detail();
      expect(stages(detail), mode).toEqual([[1, 'current']]);
      expect(detail.rotation.runs.at(-1), mode).toEqual({ at: expect.any(String), kind: 'rotator', outcome: 'failure', failedStep: 'create', message: expect.stringMatching(message) });
      expect(await s.service.reveal(NAME)).toBe(s.initial);
    }
    // The provider never changed; only create ever ran.
    expect(provider.validKeys).toEqual([s.initial]);
    expect(provider.issued).toEqual([s.initial]);
    const entries = await s.entries();
    expect(entries.map((e) => e.step)).toEqual(['create', 'create', 'create', 'create']);
    // The hung command was killed with its process group, not left running.
    const hung = entries.find((e) => e.mode === 'hang')!;
    await vi.waitFor(() => expect(isAlive(hung.pid)).toBe(false), { timeout: 5_000 });
    expectCleanSteps(entries, s.rawLog(), NAME, PROVIDER_NAME, [MASTER_IN_ENV, s.initial, s.password]);

    // Four runs recorded, four audited failures, no value in either.
    expect((await s.runs()).map((r) => `${r.outcome}@${r.failedStep}`)).toEqual(Array(4).fill('failure@create'));
    const audited = s.audit.events.filter((e) => e.action === 'rotate.rotator');
    expect(audited.map((e) => `${e.outcome}:${e.errorCode}`)).toEqual(Array(4).fill('failure:ROTATION_FAILED'));
    expect(JSON.stringify(s.audit.events)).not.toContain(s.initial);
    expect(JSON.stringify(await s.runs())).not.toContain(s.initial);
  });

  it('a value the policy refuses fails at set naming the rule, but is kept (noted history, readable); current untouched', async () => {
    const strong = strongPassword();
    const s = await setup({ type: 'password', initial: strong });
    await s.rotation.setRotator(NAME, { create: s.cmd('create', 'weak'), test: s.cmd('test') });
    const err = await s.rotation.runRotator(NAME).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ROTATION_FAILED',
      extra: { step: 'set' },
      message: expect.stringMatching(/at the set step: Refused by policy: the value must be at least 12 characters \(it has 4\) \[min_length\];.*kept as version 2, not current.*keyward promote stripe-live --version 2 --force.*The current value is unchanged\./),
    });
    const detail = await s.detail();
    // The minted value survives — the provider may already use it — as noted history, never current.
    expect(stages(detail)).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(detail.versions[0]!.note).toBe('kept, not current: refused by policy [min_length, require_uppercase, require_numbers, require_special_chars]');
    expect(await s.service.reveal(NAME)).toBe(strong);
    expect(await s.service.reveal(NAME, 2)).toBe('weak');
    expect(detail.rotation.runs).toEqual([
      { at: expect.any(String), kind: 'rotator', outcome: 'failure', failedStep: 'set', version: 2, message: expect.stringMatching(/^Refused by policy: .*\[min_length\].*kept as version 2, not current\.$/) },
    ]);
    // The test step never ran.
    expect((await s.entries()).map((e) => e.step)).toEqual(['create']);
    expect(JSON.stringify(detail.rotation.runs)).not.toMatch(/weak\b|\bweak$/);
    expect(s.audit.events.filter((e) => e.action === 'rotate.rotator').map((e) => e.errorCode)).toEqual(['ROTATION_FAILED']);
  });

  it('a new key that fails the test: current untouched, the failed value kept as noted history; running again starts a fresh create', async () => {
    const s = await setup();
    await s.rotation.setRotator(NAME, { create: s.cmd('create', 'inactive'), test: s.cmd('test'), revoke: s.cmd('revoke') });
    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({
      code: 'ROTATION_FAILED',
      message: 'Rotation failed at the test step: The test command exited with code 1. The current value is unchanged.',
    });
    const broken = provider.issued.at(-1)!;
    expect(provider.validKeys).toEqual([s.initial]); // the provider's valid keys did not change
    let detail = await s.detail();
    expect(stages(detail)).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(detail.versions[0]!.note).toBe('rotator run failed at the test step');
    expect(await s.service.reveal(NAME)).toBe(s.initial);
    expect(await s.service.reveal(NAME, 2)).toBe(broken); // kept for inspection
    expect(detail.lastRotatedAt).toBeNull();
    expect(detail.rotation.runs).toEqual([{ at: expect.any(String), kind: 'rotator', outcome: 'failure', failedStep: 'test', message: 'The test command exited with code 1.', version: 2 }]);
    expect((await s.entries()).map((e) => e.step)).toEqual(['create', 'test']); // revoke never ran

    // Again, with a working create: a fresh create from the *current* value, not from the failed one.
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke') });
    const outcome = await s.rotation.runRotator(NAME);
    const current = await s.service.reveal(NAME);
    expect(provider.validKeys).toEqual([current]);
    detail = outcome.detail;
    expect(stages(detail)).toEqual([
      [3, 'current'],
      [2, 'history'],
      [1, 'previous'],
    ]);
    expect(detail.versions[1]!.note).toBe('rotator run failed at the test step');
    const entries = await s.entries();
    expect(entries.slice(2).map((e) => [e.step, e.stdinSha256])).toEqual([
      ['create', sha256(s.initial)],
      ['test', sha256(current)],
      ['revoke', sha256(s.initial)],
    ]);
    expect(detail.rotation.runs.map((r) => `${r.outcome}@${r.failedStep ?? '-'}#${r.version}`)).toEqual(['failure@test#2', 'success@-#3']);
    expectCleanSteps(entries, s.rawLog(), NAME, PROVIDER_NAME, [MASTER_IN_ENV, s.initial, broken, current, s.password]);
    expect(JSON.stringify(s.audit.events)).not.toContain(broken);
  });

  it('a run that died between set and test leaves a pending value; the next run supersedes it and starts afresh', async () => {
    let crash = true;
    // The process "dies" while the test command runs: nothing after set happens.
    const run: typeof runCommand = (command, options) =>
      crash && / test$/.test(command) ? Promise.reject(new Error('killed')) : runCommand(command, options);
    const s = await setup({ run });
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke') });
    await expect(s.rotation.runRotator(NAME)).rejects.toThrow('killed');
    const orphan = await s.service.reveal(NAME, 2);
    expect(stages(await s.detail())).toEqual([
      [2, 'pending'],
      [1, 'current'],
    ]);
    expect(await s.service.reveal(NAME)).toBe(s.initial);

    crash = false;
    const outcome = await s.rotation.runRotator(NAME);
    expect(stages(outcome.detail)).toEqual([
      [3, 'current'],
      [2, 'history'],
      [1, 'previous'],
    ]);
    expect(outcome.detail.versions[1]!.note).toBe('superseded by a later rotator run');
    const current = await s.service.reveal(NAME);
    expect(current).not.toBe(orphan);
    expect(provider.valid.has(current)).toBe(true);
    expect(provider.valid.has(s.initial)).toBe(false);
    const creates = (await s.entries()).filter((e) => e.step === 'create');
    expect(creates.map((e) => e.stdinSha256)).toEqual([sha256(s.initial), sha256(s.initial)]);
  });

  it('a save that fails at finish is a recorded failure: current untouched, the new value kept, nothing revoked', async () => {
    let failAtWrite = -1;
    let writes = 0;
    const flaky: FileSystem = {
      ...nodeFileSystem,
      // A save is an append (writeAt) or a whole new file (writeFileAtomic): either can meet a full disk.
      writeFileAtomic: async (path, data, options) => {
        if (writes++ === failAtWrite) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return nodeFileSystem.writeFileAtomic(path, data, options);
      },
      writeAt: async (path, offset, data, guard) => {
        if (writes++ === failAtWrite) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return nodeFileSystem.writeAt(path, offset, data, guard);
      },
    };
    const s = await setup({ fs: flaky });
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke') });
    failAtWrite = writes + 2; // the run's hold is the first write of the run, the set step the second, finish the third
    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({ code: 'ROTATION_FAILED', message: expect.stringMatching(/at the finish step/) });
    const created = provider.issued.at(-1)!;
    expect(await s.service.reveal(NAME)).toBe(s.initial);
    const detail = await s.detail();
    expect(stages(detail)).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(detail.versions[0]!.note).toBe('rotator run failed at the finish step');
    expect(await s.service.reveal(NAME, 2)).toBe(created);
    expect(detail.rotation.runs).toEqual([{ at: expect.any(String), kind: 'rotator', outcome: 'failure', failedStep: 'finish', message: expect.any(String), version: 2 }]);
    // The old key was not revoked: the vault's current key still works at the provider.
    expect(provider.valid.has(s.initial)).toBe(true);
    expect((await s.entries()).map((e) => e.step)).toEqual(['create', 'test']);
    // Same on disk.
    const reopened = await unlockVault(s.path, { password: s.password }, testDeps());
    expect(await testService(reopened).reveal(NAME)).toBe(s.initial);
    reopened.lock();
  });

  it('a save at finish that fails after the file was replaced: the new value is current (never demoted), and the old key is not revoked', async () => {
    let failAfterWrite = -1;
    let writes = 0;
    const flaky: FileSystem = {
      ...nodeFileSystem,
      writeFileAtomic: async (path, data, options) => {
        await nodeFileSystem.writeFileAtomic(path, data, options);
        if (writes++ === failAfterWrite) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
      writeAt: async (path, offset, data, guard) => {
        await nodeFileSystem.writeAt(path, offset, data, guard);
        if (writes++ === failAfterWrite) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      },
    };
    const s = await setup({ fs: flaky });
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke') });
    failAfterWrite = writes + 2; // after the run's hold and the set step
    await expect(s.rotation.runRotator(NAME)).rejects.toThrow(/EIO/);
    const created = provider.issued.at(-1)!;
    // The file holds the finished rotation, and so does the session: a current version, the old one previous.
    expect(stages(await s.detail())).toEqual([
      [2, 'current'],
      [1, 'previous'],
    ]);
    expect(await s.service.reveal(NAME)).toBe(created);
    // Its durability is in doubt, so the old key is not revoked: both work at the provider.
    expect(provider.validKeys).toEqual([s.initial, created].sort());
    expect((await s.entries()).map((e) => e.step)).toEqual(['create', 'test']);
    const reopened = await unlockVault(s.path, { password: s.password }, testDeps());
    expect(await testService(reopened).reveal(NAME)).toBe(created);
    reopened.lock();
  });

  it('a failing revoke (after finish): the new value stays current, the run is recorded as revoke_failed, the old key still works', async () => {
    const s = await setup();
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke', 'fail') });
    const outcome = await s.rotation.runRotator(NAME);
    expect(outcome.revokeFailed).toBe(true);
    const current = await s.service.reveal(NAME);
    expect(current).not.toBe(s.initial);
    expect(provider.validKeys).toEqual([s.initial, current].sort());
    expect(stages(outcome.detail)).toEqual([
      [2, 'current'],
      [1, 'previous'],
    ]);
    expect(outcome.detail.rotation.runs).toEqual([
      { at: expect.any(String), kind: 'rotator', outcome: 'revoke_failed', failedStep: 'revoke', message: 'The revoke command exited with code 5.', version: 2 },
    ]);
    expect((await s.entries()).map((e) => e.step)).toEqual(['create', 'test', 'revoke']);
    expectCleanSteps(await s.entries(), s.rawLog(), NAME, PROVIDER_NAME, [MASTER_IN_ENV, s.initial, current, s.password]);
    expect(JSON.stringify(s.audit.events)).not.toContain(current);
  });

  it('deactivated credentials are never rotated: nothing runs', async () => {
    const s = await setup();
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test') });
    await s.service.setActive(NAME, false);
    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/deactivated/) });
    expect(await s.entries()).toEqual([]);
    expect(provider.issued).toEqual([s.initial]);
  });

  it('a dry run finds the programs and tests the current value, creating and revoking nothing', async () => {
    const s = await setup();
    // A program that was there when the rotator was configured, and is gone now.
    const gone = join(s.dir, 'revoke-gone.sh');
    await writeFile(gone, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    await s.rotation.setRotator(NAME, {
      create: `"${process.execPath}" ${s.script} create`,
      test: s.cmd('test'),
      revoke: `${gone} revoke`,
    });
    await rm(gone);
    const dry: DryRunResult = await s.rotation.dryRun(NAME);
    expect(dry.commands.map((c) => [c.step, c.found])).toEqual([
      ['create', true],
      ['test', true],
      ['revoke', false],
    ]);
    expect(dry.testOfCurrent).toEqual({ passed: true, exitCode: 0, timedOut: false });
    expect(provider.issued).toEqual([s.initial]);
    expect(provider.validKeys).toEqual([s.initial]);
    expect((await s.entries()).map((e) => [e.step, e.stdinSha256])).toEqual([['test', sha256(s.initial)]]);
    expect(await s.runs()).toEqual([]);

    // With the current key revoked at the provider, the dry run says so.
    provider.valid.delete(s.initial);
    expect((await s.rotation.dryRun(NAME)).testOfCurrent).toEqual({ passed: false, exitCode: 1, timedOut: false });
  });
});

describe('through the CLI', () => {
  it('rotator set / dry-run, rotate --run-rotator, a failing run, rollback, due, policy-for, snooze, mark-rotated', async () => {
    const dir = await tempDir();
    const script = join(dir, 'rotator.mjs');
    const log = join(dir, 'rotator.log');
    await writeFile(script, ROTATOR_SOURCE);
    const cmd = (step: string, mode?: string) => `node ${script} ${step}${mode ? ` ${mode}` : ''}`;
    // The CLI runs with KEYWARD_PASSWORD set; its rotator must not see it.
    const env = { PROVIDER_URL: provider.url, ROTATOR_LOG: log, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter) };
    const cli = new CliVault(dir);
    await cli.init();
    const initial = provider.issue();
    await cli.expectOk(['add', 'github', '--type', 'api_key', '--provider', 'GitHub'], { stdin: `${initial}\n` });

    // Without --yes and without a terminal to confirm on, nothing is configured.
    const unconfirmed = await cli.run(['rotator', 'set', 'github', '--create', cmd('create')], { env });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/Not confirmed; nothing was changed/);
    expect((await cli.json<{ rotator: unknown }>(['rotator', 'show', 'github'])).rotator).toBeNull();

    await cli.expectOk(['rotator', 'set', 'github', '--create', cmd('create'), '--test', cmd('test'), '--revoke', cmd('revoke'), '--yes'], { env });

    // dry-run: creates nothing at the provider.
    const dry = await cli.json<DryRunResult>(['rotator', 'dry-run', 'github'], { env });
    expect(dry.commands.every((c) => c.found)).toBe(true);
    expect(dry.testOfCurrent?.passed).toBe(true);
    expect(provider.issued).toEqual([initial]);

    // rotate --run-rotator: exit 0, the provider's only key is the vault's current value.
    const rotated = await cli.run(['rotate', 'github', '--run-rotator'], { env });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/version 2 is now current/);
    const second = (await cli.expectOk(['get', 'github'])).stdout.trimEnd();
    expect(provider.validKeys).toEqual([second]);
    expect(rotated.stdout + rotated.stderr).not.toContain(second);

    // A failing rotator: exit 1, one line on stderr, current unchanged, provider unchanged.
    await cli.expectOk(['rotator', 'set', 'github', '--create', cmd('create', 'fail'), '--test', cmd('test'), '--yes'], { env });
    const failed = await cli.run(['rotate', 'github', '--run-rotator'], { env });
    expect(failed.code).toBe(1);
    expect(failed.stderr.trimEnd().split('\n')).toEqual(['keyward: Rotation failed at the create step: The create command exited with code 3. The current value is unchanged.']);
    expect((await cli.expectOk(['get', 'github'])).stdout.trimEnd()).toBe(second);
    expect(provider.validKeys).toEqual([second]);

    // rollback: the previous version is current again.
    const rolledBack = await cli.json<CredentialDetail>(['rollback', 'github']);
    expect(rolledBack.currentVersion).toBe(1);
    expect((await cli.expectOk(['get', 'github'])).stdout.trimEnd()).toBe(initial);

    // due: --within 0 means due by now; without a window, the reminder lead time.
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await cli.expectOk(['add', 'expired', '--type', 'secret', '--expires', '2020-01-01'], { stdin: 'x1\n' });
    await cli.expectOk(['add', 'soon', '--type', 'secret', '--expires', inThreeDays], { stdin: 'x2\n' });
    const byNow = await cli.json<{ items: DueItem[]; vaultKey: { dueAt: string; overdue: boolean } | null }>(['due', '--within', '0']);
    expect(byNow.items.map((i) => [i.name, i.status, i.reason])).toEqual([['expired', 'overdue', 'expiry']]);
    expect(byNow.vaultKey?.overdue).toBe(false);
    const byLead = await cli.json<{ items: DueItem[] }>(['due']);
    expect(byLead.items.map((i) => [i.name, i.status])).toEqual([
      ['expired', 'overdue'],
      ['soon', 'due_soon'],
    ]);

    // policy-for: a 7-day interval makes github due within 8 days.
    const policy = await cli.json<{ rules: { intervalDays: number; maxAgeDays: number }; override: object }>(['policy-for', 'github', '--interval-days', '7']);
    expect(policy.rules).toMatchObject({ intervalDays: 7, maxAgeDays: 90 });
    expect(policy.override).toEqual({ intervalDays: 7 });
    expect((await cli.json<{ items: DueItem[] }>(['due', '--within', '8'])).items.map((i) => i.name)).toContain('github');

    // snooze, then mark-rotated (which ends the snooze and restarts the clock).
    const snoozed = await cli.json<CredentialDetail>(['snooze', 'github', '--days', '3']);
    expect(Date.parse(snoozed.rotation.snoozedUntil!) - Date.now()).toBeGreaterThan(2 * 86_400_000);
    const marked = await cli.json<CredentialDetail>(['mark-rotated', 'github']);
    expect(marked.rotation.snoozedUntil).toBeNull();
    expect(marked.lastRotatedAt).not.toBe(snoozed.lastRotatedAt);

    // Every run is recorded, without values.
    const shown = await cli.json<{ runs: RotationRun[] }>(['rotator', 'show', 'github']);
    expect(shown.runs.map((r) => `${r.kind}:${r.outcome}${r.failedStep ? `@${r.failedStep}` : ''}`)).toEqual([
      'rotator:success',
      'rotator:failure@create',
      'rollback:success',
      'marked:success',
    ]);
    expect(JSON.stringify(shown)).not.toContain(initial);
    expect(JSON.stringify(shown)).not.toContain(second);

    // The rotator never saw the CLI's master password, nor any value in argv.
    const entries = await readLog(log);
    expect(entries.map((e) => e.step)).toEqual(['test', 'create', 'test', 'revoke', 'create']);
    expectCleanSteps(entries, readFileSync(log, 'utf8'), 'github', 'GitHub', [cli.password, initial, second]);
  });
});

describe('a value create printed always survives', () => {
  it('a kept value the policy refuses is promoted only on purpose: refused naming the rule, made current with force', async () => {
    const strong = strongPassword();
    const s = await setup({ type: 'password', initial: strong });
    await s.rotation.setRotator(NAME, { create: s.cmd('create', 'weak'), test: s.cmd('test') });
    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({ code: 'ROTATION_FAILED', extra: { step: 'set' } });

    await expect(s.rotation.promote(NAME, 2)).rejects.toMatchObject({
      code: 'POLICY',
      message: expect.stringMatching(/^Refused by policy: version 2 must be at least 12 characters \(it has 4\) \[min_length\];.*\[require_special_chars\]\. Use --force to make it current regardless\.$/),
    });
    expect(stages(await s.detail())).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(await s.service.reveal(NAME)).toBe(strong);

    const promoted = await s.rotation.promote(NAME, 2, { force: true });
    expect(stages(promoted)).toEqual([
      [2, 'current'],
      [1, 'previous'],
    ]);
    expect(promoted.versions[0]!.note).toBeUndefined();
    expect(await s.service.reveal(NAME)).toBe('weak');
    expect(promoted.rotation.runs.at(-1)).toEqual({
      at: expect.any(String),
      kind: 'manual',
      outcome: 'success',
      version: 2,
      message: 'Kept version 2 made current with --force despite [min_length, require_uppercase, require_numbers, require_special_chars].',
    });
    // A deliberate step, and undone in one: rollback.
    await s.rotation.rollback(NAME);
    expect(await s.service.reveal(NAME)).toBe(strong);
    await expect(s.rotation.promote(NAME, 1)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/already current/) });
    await expect(s.rotation.promote(NAME, 9)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const audited = s.audit.events.filter((e) => e.action === 'promote').map((e) => `${e.outcome}:${e.errorCode ?? ''}`);
    expect(audited).toEqual(['failure:POLICY', 'success:', 'failure:BAD_REQUEST', 'failure:NOT_FOUND']);
    expect(JSON.stringify(s.audit.events)).not.toContain(strong);
  });

  it('a value over 1 MiB is kept (readable, never current); more than 4 MiB of output is discarded at create', async () => {
    const s = await setup();
    await s.rotation.setRotator(NAME, { create: s.cmd('create', 'big') });
    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({
      code: 'ROTATION_FAILED',
      extra: { step: 'set' },
      message: expect.stringMatching(/Refused by policy: the value is larger than 1 MiB \[max_size\]\. The new value was kept as version 2, not current: .*--version 2"; a value this large cannot be made current\. The current value is unchanged\.$/),
    });
    const kept = await s.service.reveal(NAME, 2);
    expect(kept.length).toBe(1536 * 1024);
    expect(kept === 'K'.repeat(1536 * 1024)).toBe(true);
    expect((await s.detail()).versions[0]).toMatchObject({ version: 2, stage: 'history', note: 'kept, not current: refused by policy [max_size]' });
    await expect(s.rotation.promote(NAME, 2, { force: true })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/larger than 1 MiB \[max_size\]; it can be read, but not made current/) });
    expect(await s.service.reveal(NAME)).toBe(s.initial);

    await s.rotation.setRotator(NAME, { create: s.cmd('create', 'huge') });
    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({
      code: 'ROTATION_FAILED',
      message: 'Rotation failed at the create step: The create command printed more than 4 MiB and was stopped; its output was discarded. The current value is unchanged.',
    });
    expect(stages(await s.detail())).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
  });

  it('the vault locked while create ran: the value is kept sealed in memory, and written with its failed run at the next unlock', async () => {
    let target: VaultSession | null = null;
    // The app auto-locks while the create command talks to the provider.
    const run: typeof runCommand = async (command, options) => {
      const result = await runCommand(command, options);
      if (/ create( \w+)?$/.test(command)) target?.lock();
      return result;
    };
    const rescued = new RescuedValues();
    const s = await setup({ run, rescued });
    target = s.session;
    const vaultId = s.session.info.vaultId;
    const id = (await s.detail()).id;
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test'), revoke: s.cmd('revoke') });

    const err = await s.rotation.runRotator(NAME).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ROTATION_FAILED',
      extra: { step: 'set' },
      message:
        'Rotation failed at the set step: the new value could not be stored (The vault is locked. Unlock it first). It is kept sealed in memory and will be written to the vault, as a kept version (not current), at the next unlock; this Keyward process must keep running until then. The current value is unchanged.',
    });
    const minted = provider.issued.at(-1)!;
    expect(minted).not.toBe(s.initial);
    expect(provider.validKeys).toEqual([s.initial, minted].sort()); // the provider has it: it must not be lost
    expect(rescued.list()).toEqual([
      {
        vaultId,
        credentialId: id,
        credentialName: NAME,
        reason: 'VAULT_LOCKED',
        hasValue: true,
        run: { at: expect.any(String), kind: 'rotator', outcome: 'failure', failedStep: 'set', message: 'The new value could not be stored: The vault is locked. Unlock it first.' },
        // Written with the record at the next unlock, it ends the run's hold on the credential.
        lease: expect.any(String),
      },
    ]);
    expect(rescued.holdsKey).toBe(true);
    // Held sealed: the value is in no field of the store.
    expect(findInAnyEncoding(Buffer.from(JSON.stringify(rescued, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v))), minted)).toBeNull();
    expect((await s.entries()).map((e) => e.step)).toEqual(['create']);

    // Nothing on disk yet; at the next unlock it is written: a kept version (not current) and the failed run.
    const reopened = await unlockVault(s.path, { password: s.password }, testDeps());
    const svc = testService(reopened);
    expect(stages(await svc.show(NAME))).toEqual([[1, 'current']]);
    const report = await flushRescued(new RotationService(svc, { rescued }));
    expect(report).toEqual({ written: [{ credentialId: id, name: NAME, at: expect.any(String), hadValue: true, version: 2 }], left: 0 });
    expect(rescued.size).toBe(0);
    expect(rescued.holdsKey).toBe(false); // the ephemeral key is wiped once the store is empty
    const detail = await svc.show(NAME);
    expect(stages(detail)).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(detail.versions[0]!.note).toBe('kept, not current: a rotator run could not store it when it was made (VAULT_LOCKED)');
    expect(detail.rotation.running).toBeUndefined();
    expect(detail.rotation.runs).toEqual([
      {
        at: expect.any(String),
        kind: 'rotator',
        outcome: 'failure',
        failedStep: 'set',
        version: 2,
        message: 'The new value could not be stored: The vault is locked. Unlock it first. It was kept in memory and written later as version 2, not current.',
      },
    ]);
    expect(await svc.reveal(NAME)).toBe(s.initial);
    expect(await svc.reveal(NAME, 2)).toBe(minted);
    // It passes the policy, so it can be promoted without force.
    await new RotationService(svc).promote(NAME, 2);
    expect(await svc.reveal(NAME)).toBe(minted);

    // A failed create while locked: only the run record is held, and written at the next unlock.
    target = reopened;
    await new RotationService(svc, { run, rescued, env: parentEnv(s.log) }).setRotator(NAME, { create: s.cmd('create', 'fail') });
    await expect(new RotationService(svc, { run, rescued, env: parentEnv(s.log) }).runRotator(NAME)).rejects.toMatchObject({ code: 'ROTATION_FAILED', extra: { step: 'create' } });
    expect(rescued.list().map((r) => [r.hasValue, r.reason, r.run.failedStep])).toEqual([[false, 'VAULT_LOCKED', 'create']]);
    const thirdSession = await unlockVault(s.path, { password: s.password }, testDeps());
    const third = testService(thirdSession);
    expect(await flushRescued(new RotationService(third, { rescued }))).toMatchObject({ written: [{ hadValue: false }], left: 0 });
    expect((await third.show(NAME)).rotation.runs.at(-1)).toMatchObject({ outcome: 'failure', failedStep: 'create', message: 'The create command exited with code 3.' });
    thirdSession.lock();

    for (const secret of [minted, s.initial, s.password]) expect(JSON.stringify(s.audit.events)).not.toContain(secret);
  });

  it('the vault busy at set: the value is kept in memory and written as soon as the other writer is done', async () => {
    let releaseLock: () => void = () => undefined;
    let holder: Promise<void> | null = null;
    const rescued = new RescuedValues();
    let lockPath = '';
    // Another process takes the write lock while create runs, and keeps it past this session's lock timeout.
    const run: typeof runCommand = async (command, options) => {
      const result = await runCommand(command, options);
      if (/ create$/.test(command)) {
        const acquired = new Promise<void>((resolve) => {
          holder = new WriteLock(nodeFileSystem, systemRandom).withLock(lockPath, async () => {
            resolve();
            await new Promise<void>((release) => (releaseLock = release));
          });
        });
        await acquired;
      }
      return result;
    };
    const s = await setup({ run, rescued, deps: { lockTimeoutMs: 300 } });
    lockPath = s.session.paths.lock;
    await s.rotation.setRotator(NAME, { create: s.cmd('create'), test: s.cmd('test') });

    await expect(s.rotation.runRotator(NAME)).rejects.toMatchObject({
      code: 'ROTATION_FAILED',
      extra: { step: 'set' },
      message: expect.stringMatching(/^Rotation failed at the set step: the new value could not be stored \(The vault is busy: another Keyward process is writing to it\. Try again in a moment\)\. It is kept sealed in memory/),
    });
    const minted = provider.issued.at(-1)!;
    expect(rescued.list().map((r) => [r.reason, r.hasValue])).toEqual([['BUSY', true]]);
    // Still busy: nothing written, still held.
    expect(await s.rotation.flushRescued()).toEqual({ written: [], left: 1, error: 'BUSY' });
    expect(rescued.size).toBe(1);

    releaseLock();
    await holder;
    const report = await s.rotation.flushRescued();
    expect(report).toMatchObject({ written: [{ name: NAME, hadValue: true, version: 2 }], left: 0 });
    expect(stages(await s.detail())).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(await s.service.reveal(NAME, 2)).toBe(minted);
    expect(await s.service.reveal(NAME)).toBe(s.initial);
    expect((await s.runs()).at(-1)).toMatchObject({ outcome: 'failure', failedStep: 'set', version: 2, message: expect.stringMatching(/busy.*written later as version 2/) });
    // test never ran on a value that was not stored
    expect((await s.entries()).map((e) => e.step)).toEqual(['create']);
  });
});

describe('through the CLI: kept values', () => {
  it('a refused value is kept: get --version reads it, promote refuses naming the rule, promote --force makes it current', async () => {
    const dir = await tempDir();
    const script = join(dir, 'rotator.mjs');
    const log = join(dir, 'rotator.log');
    await writeFile(script, ROTATOR_SOURCE);
    const env = { PROVIDER_URL: provider.url, ROTATOR_LOG: log, PATH: [dirname(process.execPath), process.env.PATH].join(delimiter) };
    const cli = new CliVault(dir);
    await cli.init();
    const strong = strongPassword();
    await cli.expectOk(['add', 'db-password', '--type', 'password'], { stdin: `${strong}\n` });
    await cli.expectOk(['rotator', 'set', 'db-password', '--create', `node ${script} create weak`, '--yes'], { env });

    const failed = await cli.run(['rotate', 'db-password', '--run-rotator'], { env });
    expect(failed.code).toBe(1);
    expect(failed.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^keyward: Rotation failed at the set step: Refused by policy: the value must be at least 12 characters \(it has 4\) \[min_length\];.* The new value was kept as version 2, not current: read it with "keyward get db-password --version 2", or make it current on purpose with "keyward promote db-password --version 2 --force"\. The current value is unchanged\.$/,
      ),
    ]);
    expect((await cli.expectOk(['get', 'db-password'])).stdout).toBe(`${strong}\n`);
    expect((await cli.expectOk(['get', 'db-password', '--version', '2'])).stdout).toBe('weak\n');

    const refused = await cli.run(['promote', 'db-password', '--version', '2']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/^keyward: Refused by policy: version 2 must be at least 12 characters \(it has 4\) \[min_length\];.*Use --force/);
    expect((await cli.expectOk(['get', 'db-password'])).stdout).toBe(`${strong}\n`);
    expect((await cli.run(['promote', 'db-password'])).code).toBe(2); // --version is required

    const promoted = await cli.expectOk(['promote', 'db-password', '--version', '2', '--force']);
    expect(promoted.stdout).toMatch(/Version 2 of "db-password" is now current/);
    expect((await cli.expectOk(['get', 'db-password'])).stdout).toBe('weak\n');
    for (const r of [failed, refused, promoted]) expect(r.stdout + r.stderr).not.toMatch(/\bweak\b|Pw!9/);
  });

  it('the vault key replaced by another keyward while create ran: the new value is written through a fresh unlock before the CLI exits', async () => {
    const dir = await tempDir();
    const script = join(dir, 'rotator.mjs');
    const log = join(dir, 'rotator.log');
    await writeFile(script, ROTATOR_SOURCE);
    const cli = new CliVault(dir);
    const pwFile = join(dir, 'pw.txt');
    await writeFile(pwFile, cli.password, { mode: 0o600 });
    const env = {
      PROVIDER_URL: provider.url,
      ROTATOR_LOG: log,
      PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
      TEST_CLI: builtCli(),
      TEST_VAULT: cli.path,
      TEST_PWFILE: pwFile,
    };
    await cli.init();
    const initial = provider.issue();
    await cli.expectOk(['add', 'github', '--type', 'api_key'], { stdin: `${initial}\n` });
    await cli.expectOk(['rotator', 'set', 'github', '--create', `node ${script} create rekey`, '--test', `node ${script} test`, '--yes'], { env });

    const r = await cli.run(['rotate', 'github', '--run-rotator'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'keyward: Rotation failed at the set step: the new value could not be stored at first (The vault key was changed by another Keyward process. Unlock again); it was then kept as version 2 of "github", not current. Read it with "keyward get github --version 2"; make it current with "keyward promote github --version 2" (with --force if it breaks the policy). The current value is unchanged.',
    ]);
    const minted = provider.issued.at(-1)!;
    expect((await cli.expectOk(['get', 'github', '--version', '2'])).stdout).toBe(`${minted}\n`);
    expect((await cli.expectOk(['get', 'github'])).stdout).toBe(`${initial}\n`);
    const shown = await cli.json<{ runs: RotationRun[] }>(['rotator', 'show', 'github']);
    expect(shown.runs).toEqual([expect.objectContaining({ outcome: 'failure', failedStep: 'set', version: 2 })]);
    await cli.expectOk(['promote', 'github', '--version', '2']);
    expect((await cli.expectOk(['get', 'github'])).stdout).toBe(`${minted}\n`);
    expect(r.stdout + r.stderr).not.toContain(minted);
    expectCleanSteps(await readLog(log), readFileSync(log, 'utf8'), 'github', '', [cli.password, initial, minted]);
  });
});
