/**
 * Which program a rotator runs, and where. A relative program is resolved once,
 * when the rotator is configured, against the folder the configuring command
 * ran in; a bare name is looked up in PATH (never in a relative PATH entry);
 * what is stored, confirmed and shown is the absolute path; and every step
 * runs in one fixed folder (the home folder), whatever folder Keyward was
 * started from. A stored rotator with a relative program is refused, not run.
 */
import { editCredential } from '../core/vault/vault-change.js';
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CredentialDetail } from '../../shared/domain.js';
import { splitProgram } from '../core/rotation/program-path.js';
import { RotationService, type RotationOptions } from '../core/rotation/rotation-service.js';
import { FakeClock } from '../core/ports/clock.js';
import { findCredential } from '../core/service/vault-service.js';
import { createTestVault } from './helpers/builders.js';
import { cliEnv, CliVault, type CliResult } from './helpers/cli.js';
import { builtCli } from './helpers/paths.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs('keyward-rotator-paths-');
const NAME = 'svc-key';
const PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);

/** A create script that prints `marker` plus a fresh suffix (a new value each run) and logs where it ran (`pwd -P`). */
async function createScript(path: string, marker: string, log: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `#!/bin/sh\ncat >/dev/null\npwd -P >> '${log}'\necho "${marker}-$$"\n`, { mode: 0o755 });
}

/** Two folders, each with its own ./rot.sh: A's prints "from-A-…", B's "from-B-…". */
async function twoFolders() {
  const root = await tempDir();
  const a = join(root, 'A');
  const b = join(root, 'B');
  const log = join(root, 'ran-in.log');
  await createScript(join(a, 'rot.sh'), 'from-A', log);
  await createScript(join(b, 'rot.sh'), 'from-B', log);
  return { root, a, b, log };
}

async function vaultIn(dir: string) {
  const v = await createTestVault(dir);
  await v.service.add({ name: NAME, type: 'api_key', provider: 'Example' }, { value: 'initial-value-0001' });
  return v;
}

function inFolder<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(dir);
  return work().finally(() => process.chdir(before));
}

describe('rotator programs are resolved when configured, and steps run in a fixed folder', () => {
  it('a relative program configured in folder A runs A\'s script, even when Keyward later runs in folder B that has its own', async () => {
    const { root, a, b, log } = await twoFolders();
    const v = await vaultIn(root);
    const configured = await new RotationService(v.service, { cwd: a, env: { PATH } }).setRotator(NAME, { create: './rot.sh --flag' });
    expect(configured.rotation.rotator?.create).toBe(`${join(a, 'rot.sh')} --flag`);

    // Later, from folder B (the process's own folder), with no cwd given: A's script runs, in the home folder.
    await inFolder(b, () => new RotationService(v.service, { env: { PATH } }).runRotator(NAME));
    expect(await v.service.reveal(NAME)).toMatch(/^from-A-\d+$/);
    expect((await readFile(log, 'utf8')).trim()).toBe(realpathSync(homedir()));
  });

  it('every step (create, test, revoke, and the dry run\'s test) runs in the home folder, never in the folder Keyward runs in', async () => {
    const dir = await tempDir();
    const log = join(dir, 'steps.log');
    const step = (label: string) => `#!/bin/sh\ncat >/dev/null\necho "${label} $(pwd -P)" >> '${log}'\n${label === 'create' ? 'echo "new-$$"\n' : ''}`;
    for (const label of ['create', 'test', 'revoke']) await writeFile(join(dir, `${label}.sh`), step(label), { mode: 0o755 });
    const v = await vaultIn(dir);
    const rotation = new RotationService(v.service, { env: { PATH } });
    await rotation.setRotator(NAME, { create: join(dir, 'create.sh'), test: join(dir, 'test.sh'), revoke: join(dir, 'revoke.sh') });
    await inFolder(dir, async () => {
      await rotation.dryRun(NAME);
      await rotation.runRotator(NAME);
    });
    const home = realpathSync(homedir());
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([`test ${home}`, `create ${home}`, `test ${home}`, `revoke ${home}`]);
  });

  it('a program that cannot be resolved is refused, naming it; nothing is stored', async () => {
    const dir = await tempDir();
    const v = await vaultIn(dir);
    await writeFile(join(dir, 'not-executable.sh'), '#!/bin/sh\necho x\n', { mode: 0o644 });
    await mkdir(join(dir, 'a-folder'));
    const rotation = new RotationService(v.service, { cwd: dir, env: { PATH } });
    const refused = async (create: string, message: RegExp, options = {}) => {
      const r = new RotationService(v.service, { cwd: dir, env: { PATH }, ...options });
      await expect(r.setRotator(NAME, { create }), create).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });
    };
    await refused('./no-such-script.sh create', /^The create command's program "\.\/no-such-script\.sh" could not be found; give an absolute path or a program on PATH\.$/);
    await refused('keyward-no-such-program-here revoke', /program "keyward-no-such-program-here" could not be found; give an absolute path or a program on PATH/);
    await refused('/definitely/not/here/rot.sh', /program "\/definitely\/not\/here\/rot\.sh" could not be found/);
    await refused('./not-executable.sh', /not-executable\.sh" is not an executable file .*chmod \+x/);
    await refused('./a-folder', /a-folder" is not an executable file/);
    // Without the configuring folder (the app), a relative program is refused outright.
    await refused('./rot.sh', /is a relative path, which would depend on the folder Keyward runs in; give an absolute path/, { cwd: undefined });
    // Not a plain program: variables, assignments, wildcards.
    await refused('$HOME/rot.sh', /must start with the program to run/);
    await refused('FOO=1 ./rot.sh', /must start with the program to run/);
    await refused('./rot*.sh', /must start with the program to run/);
    // The test and revoke commands too.
    await expect(rotation.setRotator(NAME, { create: 'sh -c true', revoke: 'keyward-no-such-program-here' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      extra: { field: 'revoke' },
      message: expect.stringMatching(/^The revoke command's program/),
    });
    expect((await v.service.show(NAME)).rotation.rotator).toBeNull();
  });

  it('a bare name is looked up in PATH, skipping relative PATH entries, and stored as its absolute path', async () => {
    const dir = await tempDir();
    const v = await vaultIn(dir);
    // An executable in the current folder, and "." plus an empty entry in PATH: the shell would run it; resolution does not.
    await writeFile(join(dir, 'kw-local-prog'), '#!/bin/sh\necho evil\n', { mode: 0o755 });
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'kw-real-prog'), '#!/bin/sh\ncat >/dev/null\necho "real-$$"\n', { mode: 0o755 });
    const env = { PATH: ['.', '', 'relative/bin', bin, PATH].join(delimiter) };
    await inFolder(dir, async () => {
      await expect(new RotationService(v.service, { env }).setRotator(NAME, { create: 'kw-local-prog' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      const detail = await new RotationService(v.service, { env }).setRotator(NAME, { create: 'kw-real-prog --x', test: 'sh -c "exit 0"' });
      expect(detail.rotation.rotator?.create).toBe(`${join(bin, 'kw-real-prog')} --x`);
      expect(detail.rotation.rotator?.test).toMatch(/^\/\S*\/sh -c "exit 0"$/);
    });
  });

  it('a program path with spaces and quotes is stored shell-quoted and runs', async () => {
    const dir = await tempDir();
    const v = await vaultIn(dir);
    const script = join(dir, 'my rotators', "it's $HOME.sh");
    await createScript(script, 'quoted', join(dir, 'log'));
    // Inside double quotes the shell would expand $HOME, so that spelling is refused; quoted as the shell reads it, it resolves.
    const rotation = new RotationService(v.service, { cwd: dir, env: { PATH } });
    await expect(rotation.setRotator(NAME, { create: `"./my rotators/it's $HOME.sh" --go` })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const detail = await rotation.setRotator(NAME, { create: `./my\\ rotators/it"'"s' $HOME'.sh --go` });
    expect(detail.rotation.rotator?.create).toBe(`'${join(dir, 'my rotators', "it'\\''s $HOME.sh")}' --go`);
    expect(splitProgram(detail.rotation.rotator!.create)).toEqual({ program: script, rest: ' --go', tilde: false });
    await new RotationService(v.service, { env: { PATH } }).runRotator(NAME);
    expect(await v.service.reveal(NAME)).toMatch(/^quoted-\d+$/);
  });

  it('a stored rotator with a relative program (configured before programs were resolved) is refused at create; nothing runs', async () => {
    const { root, b, log } = await twoFolders();
    const v = await vaultIn(root);
    await v.session.transact((body) => {
      editCredential(body, findCredential(body, NAME).id).rotation = { rotator: { create: '/bin/sh -c true', test: './rot.sh', timeoutSeconds: 5, confirmedAt: new Date().toISOString() } };
    });
    const err = await inFolder(b, () => new RotationService(v.service, { env: { PATH } }).runRotator(NAME).catch((e: unknown) => e));
    expect(err).toMatchObject({
      code: 'ROTATION_FAILED',
      extra: { step: 'create' },
      message: expect.stringMatching(/The test command's program is not an absolute path.*nothing was run\. Configure the rotator again with an absolute path/),
    });
    expect(existsSync(log)).toBe(false);
    const detail: CredentialDetail = await v.service.show(NAME);
    expect(detail.versions.map((x) => x.stage)).toEqual(['current']);
    expect(detail.rotation.runs).toEqual([{ at: expect.any(String), kind: 'rotator', outcome: 'failure', failedStep: 'create', message: expect.stringMatching(/not an absolute path/) }]);
    const dry = await new RotationService(v.service, { env: { PATH } }).dryRun(NAME);
    expect(dry.commands.map((c) => [c.step, c.found])).toEqual([
      ['create', true],
      ['test', false],
    ]);
    expect(dry.testOfCurrent).toBeNull();
  });
});

/** The built CLI run from a given folder (the helper's runCli always runs in the test's folder). */
function cliIn(cwd: string, cli: CliVault, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCli(), '--vault', cli.path, '--no-keychain', ...args], {
      cwd,
      env: cliEnv({ KEYWARD_PASSWORD: cli.password, ...env }),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end('');
  });
}

describe('through the CLI', () => {
  it('rotator set from folder A resolves ./rot.sh there, confirms and shows the absolute path; rotate from folder B runs A\'s script', async () => {
    const { root, a, b, log } = await twoFolders();
    const cli = new CliVault(root);
    await cli.init();
    await cli.add(NAME, 'initial-value-0001', 'api_key');
    const env = { PATH };
    const absolute = join(a, 'rot.sh');

    // The confirmation (shown when there is no --yes) already names the absolute path and the folder steps run in.
    const unconfirmed = await cliIn(a, cli, ['rotator', 'set', NAME, '--create', './rot.sh create'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`in ${homedir()}, whenever "${NAME}" is rotated:\n  create: ${absolute} create\n`);
    // An unresolvable program is refused before anything is asked.
    const missing = await cliIn(a, cli, ['rotator', 'set', NAME, '--create', './nope.sh', '--yes'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('keyward: The create command\'s program "./nope.sh" could not be found; give an absolute path or a program on PATH.');

    const set = await cliIn(a, cli, ['rotator', 'set', NAME, '--create', './rot.sh create', '--yes'], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`create: ${absolute} create`);
    const shown = await cliIn(b, cli, ['rotator', 'show', NAME], env);
    expect(shown.stdout).toContain(`create: ${absolute} create\nruns in: ${homedir()}\n`);

    const rotated = await cliIn(b, cli, ['rotate', NAME, '--run-rotator'], env);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect((await cli.expectOk(['get', NAME])).stdout.trim()).toMatch(/^from-A-\d+$/);
    expect((await readFile(log, 'utf8')).trim()).toBe(realpathSync(homedir()));
  });
});

describe('two runs of one rotator at once', () => {
  it('a second run is refused before it asks the provider for anything (BUSY); the first finishes, and the next run may start', async () => {
    const root = await tempDir();
    const v = await vaultIn(root);
    const counter = join(root, 'runs');
    const create = join(root, 'create.sh');
    const test = join(root, 'test.sh');
    // Each create prints a new value naming its run number; the first run's test step is slow, so a second run
    // would start while the first is still under way.
    await writeFile(create, `#!/bin/sh\ncat >/dev/null\nn=$(cat '${counter}' 2>/dev/null || echo 0)\necho $((n + 1)) > '${counter}'\necho "value-of-run-$n-0123456789"\n`, { mode: 0o755 });
    await writeFile(test, `#!/bin/sh\ncase "$(cat)" in value-of-run-0-*) sleep 1 ;; esac\nexit 0\n`, { mode: 0o755 });
    const rotation = new RotationService(v.service, { env: { PATH } });
    await rotation.setRotator(NAME, { create, test });
    const first = rotation.runRotator(NAME).then(() => 'finished', (e: { code: string; message: string }) => `${e.code}: ${e.message}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Another service over the same vault (as another process would be): it sees the hold in the vault.
    expect((await v.service.show(NAME)).rotation.running).toMatchObject({ since: expect.any(String), until: expect.any(String) });
    await expect(new RotationService(v.service, { env: { PATH } }).runRotator(NAME)).rejects.toMatchObject({
      code: 'BUSY',
      message: expect.stringMatching(/A rotator run for "svc-key" is already under way .* a second one would ask the provider for a second key/),
    });
    expect(await first).toBe('finished');
    // The provider was asked once.
    expect((await readFile(counter, 'utf8')).trim()).toBe('1');
    expect(await v.service.reveal(NAME)).toBe('value-of-run-0-0123456789');
    // The hold ended with the run: the next one starts.
    expect((await v.service.show(NAME)).rotation.running).toBeUndefined();
    await rotation.runRotator(NAME);
    expect(await v.service.reveal(NAME)).toBe('value-of-run-1-0123456789');
  });

  it('a hold left by a CLI killed mid-run does not keep the next run out (its process is gone)', async () => {
    const root = await tempDir();
    const cli = new CliVault(root);
    await cli.init();
    await cli.add(NAME, 'initial-value-0001', 'api_key');
    const started = join(root, 'started');
    const create = join(root, 'create.sh');
    // The first create says it started, then hangs (its pid kept, to clean up); later ones answer at once.
    await writeFile(create, `#!/bin/sh\ncat >/dev/null\nif [ ! -e '${started}' ]; then echo $$ > '${started}'; exec sleep 60; fi\necho "after-the-kill-0123456789"\n`, { mode: 0o755 });
    await cli.expectOk(['rotator', 'set', NAME, '--create', create, '--yes']);
    const first = spawn(process.execPath, [builtCli(), '--vault', cli.path, '--no-keychain', 'rotate', NAME, '--run-rotator'], { env: cliEnv({ KEYWARD_PASSWORD: cli.password }), stdio: 'ignore', detached: true });
    try {
      await expect.poll(() => existsSync(started), { timeout: 20_000 }).toBe(true);
      // Under way: another run is refused.
      expect((await cli.run(['rotate', NAME, '--run-rotator'])).code).toBe(6);
      const closed = new Promise((resolve) => first.on('close', resolve));
      first.kill('SIGKILL');
      await closed;
    } finally {
      const pid = Number((await readFile(started, 'utf8').catch(() => '')).trim());
      if (pid) process.kill(pid, 'SIGKILL');
    }
    const again = await cli.run(['rotate', NAME, '--run-rotator']);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect((await cli.expectOk(['get', NAME])).stdout.trim()).toBe('after-the-kill-0123456789');
  });

  it('a hold whose run died ends when every step could have timed out', async () => {
    const clock = new FakeClock(new Date('2026-12-01T10:00:00Z'));
    const v = await createTestVault(await tempDir(), { deps: { clock } });
    await v.service.add({ name: NAME, type: 'api_key', provider: 'Example' }, { value: 'initial-value-0001' });
    let created = 0;
    // The first run's create never returns (its process is as good as dead); the next one's does.
    const run: RotationOptions['run'] = () =>
      created++ === 0 ? new Promise(() => undefined) : Promise.resolve({ exitCode: 0, timedOut: false, tooLarge: false, stdout: `fresh-value-${created}-0123456789\n`, failedToStart: false });
    const rotation = new RotationService(v.service, { env: { PATH }, run });
    await rotation.setRotator(NAME, { create: '/bin/true', timeoutSeconds: 30 });
    void rotation.runRotator(NAME);
    await expect.poll(() => created).toBe(1);
    await expect(rotation.runRotator(NAME)).rejects.toMatchObject({ code: 'BUSY' });
    // 3 × 30 s and a minute: still held just before, free after.
    clock.advance(149_000);
    await expect(rotation.runRotator(NAME)).rejects.toMatchObject({ code: 'BUSY' });
    clock.advance(2_000);
    await rotation.runRotator(NAME);
    expect(await v.service.reveal(NAME)).toBe('fresh-value-2-0123456789');
  });
});
