/**
 * Runs the built `keyward` CLI as a real child process. Each run gets a clean
 * environment (no inherited KEYWARD_* variables) and no controlling terminal,
 * so a missing password fails instead of waiting on a prompt.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_KDF_ITERATIONS } from './builders.js';
import { builtCli } from './paths.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Written to stdin, which is then closed (an empty stdin when absent). */
  stdin?: string;
  /** Sets KEYWARD_PASSWORD; null leaves it unset. */
  password?: string | null;
  /** False (the default) adds --no-keychain, so tests never touch a real keychain by accident. */
  keychain?: boolean;
  /** Extra variables; undefined removes one. */
  env?: Record<string, string | undefined>;
  /** Options for node itself, before the script (e.g. -r hook.cjs). */
  nodeArgs?: string[];
  timeoutMs?: number;
}

const SCRUBBED = ['KEYWARD_PASSWORD', 'KEYWARD_NEW_PASSWORD', 'KEYWARD_VAULT', 'NODE_OPTIONS'];

export function cliEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SCRUBBED) delete env[key];
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** `keyward [--vault V] [--no-keychain] ARGS…` */
export function runCli(vault: string | null, args: string[], options: CliOptions = {}): Promise<CliResult> {
  const argv = [
    ...(options.nodeArgs ?? []),
    builtCli(),
    ...(vault === null ? [] : ['--vault', vault]),
    ...(options.keychain ? [] : ['--no-keychain']),
    ...args,
  ];
  const env = cliEnv({ ...(options.password ? { KEYWARD_PASSWORD: options.password } : {}), ...options.env });
  return new Promise((resolve, reject) => {
    // detached: a new session without a controlling terminal, so /dev/tty cannot be opened.
    const child = spawn(process.execPath, argv, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined); // the CLI may exit without reading stdin
    child.stdin.end(options.stdin ?? '');
  });
}

/** A vault driven through the CLI, with its password and a path in a temp folder. */
export class CliVault {
  readonly path: string;

  constructor(
    readonly dir: string,
    readonly password = `pw-${Math.random().toString(36).slice(2)}`,
    file = 'vault.keyward',
  ) {
    this.path = join(dir, file);
  }

  run(args: string[], options: CliOptions = {}): Promise<CliResult> {
    return runCli(this.path, args, { password: this.password, ...options });
  }

  async init(extra: string[] = [], options: CliOptions = {}): Promise<CliResult> {
    return this.expectOk(['init', '--kdf-iterations', String(TEST_KDF_ITERATIONS), ...extra], options);
  }

  /** `add NAME --type T` with the value on stdin (plus the newline `echo` adds). */
  add(name: string, value: string, type = 'secret', extra: string[] = [], options: CliOptions = {}): Promise<CliResult> {
    return this.run(['add', name, '--type', type, ...extra], { stdin: `${value}\n`, ...options });
  }

  async json<T>(args: string[], options: CliOptions = {}): Promise<T> {
    const r = await this.expectOk([...args, '--json'], options);
    return JSON.parse(r.stdout) as T;
  }

  /** Runs and fails the test with the CLI's own stderr when the exit code is not 0. */
  async expectOk(args: string[], options: CliOptions = {}): Promise<CliResult> {
    const r = await this.run(args, options);
    if (r.code !== 0) throw new Error(`keyward ${args[0]} exited ${r.code ?? r.signal}: ${r.stderr}`);
    return r;
  }
}
