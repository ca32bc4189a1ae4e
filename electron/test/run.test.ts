/**
 * `keyward run` (issue 13; docs/env.md): a real program started with its
 * secrets in its environment for its lifetime only — the values in its
 * output concealed even when it prints them in pieces, its exit status (or
 * 128 + the signal that ended it) as Keyward's, no KEYWARD_* variable passed
 * on, and nothing started when a reference names nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCli } from './helpers/paths.js';
import { cliEnv, CliVault } from './helpers/cli.js';

const SECRET = 'sk_live_RunTest0123456789abcdef';
const DB_PASSWORD = 'Pg-Secret-Password-42!';

describe('keyward run', () => {
  let shared: Promise<{ cli: CliVault; dir: string; program: string }> | null = null;
  let sharedDir: string | null = null;
  afterAll(() => sharedDir && rmSync(sharedDir, { recursive: true, force: true }));
  const setup = () =>
    (shared ??= (async () => {
      const dir = (sharedDir = mkdtempSync(join(tmpdir(), 'keyward-run-test-')));
      const cli = new CliVault(dir);
      await cli.init();
      await cli.add('stripe/prod', SECRET, 'api_key');
      await cli.add('db/prod', DB_PASSWORD, 'password', ['--field', 'username=app']);
      // The program: prints what it is asked to, in pieces, and ends as it is told.
      const program = join(dir, 'program.mjs');
      writeFileSync(
        program,
        `const [what] = process.argv.slice(2);
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
if (what === 'print') {
  const v = process.env.STRIPE_KEY;
  process.stdout.write('key=' + v.slice(0, 7));
  await wait(60);
  process.stdout.write(v.slice(7) + '\\n');
  process.stderr.write('db ' + process.env.DB_PASSWORD + ' as ' + process.env.DB_USER + '\\n');
} else if (what === 'env') {
  process.stdout.write(JSON.stringify(Object.keys(process.env).filter((k) => /^KEYWARD_/i.test(k))) + '\\n');
  process.stdout.write((process.env.FROM_PARENT ?? 'none') + '\\n');
} else if (what === 'exit') process.exit(Number(process.argv[3]));
else if (what === 'signal') process.kill(process.pid, 'SIGTERM');
else if (what === 'mark') (await import('node:fs')).writeFileSync(process.argv[3], 'started');
`,
      );
      return { cli, dir, program };
    })());

  it('gives the program its secrets and conceals them in its output, also when printed in pieces, on stdout and stderr', async () => {
    const { cli, program } = await setup();
    const r = await cli.run(['run', '--env', 'STRIPE_KEY=stripe/prod', '--env', 'DB_PASSWORD=kw://db/prod', '--env', 'DB_USER=kw://db/prod/username', '--', process.execPath, program, 'print']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('key=<concealed:stripe/prod>\n');
    expect(r.stderr).toBe('db <concealed:db/prod> as app\n');
    const plain = await cli.run(['run', '--no-masking', '--env', 'STRIPE_KEY=stripe/prod', '--env', 'DB_PASSWORD=db/prod', '--env', 'DB_USER=kw://db/prod/username', '--', process.execPath, program, 'print']);
    expect(plain.stdout).toBe(`key=${SECRET}\n`);
  });

  it('never passes on KEYWARD_* variables (the master password); resolves kw:// values in the environment and in an env file', async () => {
    const { cli, dir, program } = await setup();
    const envFile = join(dir, 'app.env');
    writeFileSync(envFile, '# an env file\nexport STRIPE_KEY=kw://stripe/prod\nPLAIN="left as it is"\n');
    // Both the master password and a grant's token are in Keyward's environment: neither reaches the program.
    const { token } = await cli.json<{ token: string }>(['grant', 'add', 'children', '--role', 'runner']);
    const r = await cli.run(['run', '--env-file', envFile, '--', process.execPath, program, 'env'], { env: { FROM_PARENT: 'kw://db/prod', KEYWARD_TOKEN: token } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('[]\n<concealed:db/prod>\n');
    const isolated = await cli.run(['run', '--no-inherit-env', '--', process.execPath, program, 'env'], { env: { FROM_PARENT: 'inherited' } });
    expect(isolated.stdout).toBe('[]\nnone\n');
  });

  it('exits with the program’s status, or 128 + the signal that ended it', async () => {
    const { cli, program } = await setup();
    expect((await cli.run(['run', '--', process.execPath, program, 'exit', '7'])).code).toBe(7);
    expect((await cli.run(['run', '--', process.execPath, program, 'signal'])).code).toBe(128 + 15);
  });

  it('passes SIGTERM on to the program and ends as it does', async () => {
    const { cli, dir } = await setup();
    const waiter = join(dir, 'waiter.mjs');
    writeFileSync(waiter, "process.on('SIGTERM', () => { process.stdout.write('got SIGTERM\\n'); process.exit(3); });\nprocess.stdout.write('ready\\n');\nsetInterval(() => {}, 1000);\n");
    const child = spawn(process.execPath, [builtCli(), '--vault', cli.path, '--no-keychain', 'run', '--', process.execPath, waiter], { env: cliEnv({ KEYWARD_PASSWORD: cli.password }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => out.includes('ready') && (clearInterval(poll), resolve()), 20);
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toBe('ready\ngot SIGTERM\n');
    expect(code).toBe(3);
  });

  it('starts nothing when a reference names nothing (exit 4), and refuses a KEYWARD_* variable (exit 2)', async () => {
    const { cli, dir, program } = await setup();
    const marker = join(dir, 'started');
    const r = await cli.run(['run', '--env', 'X=kw://nothing', '--', process.execPath, program, 'mark', marker]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/kw:\/\/nothing names no credential/);
    expect(existsSync(marker)).toBe(false);
    expect((await cli.run(['run', '--env', 'KEYWARD_PASSWORD=stripe/prod', '--', 'true'])).code).toBe(2);
    expect((await cli.run(['run', '--', join(dir, 'no-such-program')])).code).toBe(4);
  });

  // keyward itself run in a terminal (script(1) gives it one, as a user's terminal would).
  it.skipIf(process.platform !== 'linux' || !existsSync('/usr/bin/script'))('in a terminal, the program gets a pseudo-terminal (colours, prompts) and its output is still masked', async () => {
    const { cli, dir } = await setup();
    const program = join(dir, 'tty.sh');
    writeFileSync(program, 'if [ -t 1 ] && [ -t 0 ]; then echo "tty=yes"; else echo "tty=no"; fi\nprintf "\\033[31mred\\033[0m %s\\n" "$STRIPE_KEY"\nexit 6\n');
    const line = [process.execPath, builtCli(), '--vault', cli.path, '--no-keychain', 'run', '--env', 'STRIPE_KEY=stripe/prod', '--', 'sh', program].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('/usr/bin/script', ['--quiet', '--return', '--command', line, '/dev/null'], { env: cliEnv({ KEYWARD_PASSWORD: cli.password }), stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end();
    });
    expect(r.code).toBe(6);
    const out = r.out.replace(/\0/g, '').replace(/\r/g, '');
    expect(out).toContain('tty=yes');
    expect(out).toContain('\x1b[31mred\x1b[0m <concealed:stripe/prod>');
    expect(out).not.toContain(SECRET);
  });
});
