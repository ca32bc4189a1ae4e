/**
 * `keyward env` and `keyward inject`: a program's secrets from the vault,
 * named by reference (kw://NAME[/FIELD]; docs/env.md) instead of written
 * into its configuration. Every value read is recorded in the audit trail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { resolve } from 'node:path';
import { locate, readReferences } from '../../core/env/resolve.js';
import { checkVariableName, parseReference, shellQuote, TEMPLATE_REFERENCE, variableFor, type SecretReference } from '../../core/env/references.js';
import { MIN_MASKED_BYTES, OutputMasker, type MaskedValue } from '../../core/env/masker.js';
import { fail } from '../../core/errors.js';
import { nodeFileSystem } from '../../core/ports/file-system.js';
import { safeText } from '../terminal.js';
import type { CommandFamily, SecretsInvocation } from './spec.js';

/** `VAR=REF` or a bare `REF` (the variable then named after it), each variable once. */
function assignments(args: readonly string[]): { variable: string; ref: SecretReference }[] {
  const seen = new Set<string>();
  return args.map((arg) => {
    const eq = arg.indexOf('=');
    // A name may hold "=" only in the VAR=REF form's REF; a bare kw:// reference never starts with a variable.
    const [variable, text] = eq > 0 && !arg.startsWith('kw://') ? [arg.slice(0, eq), arg.slice(eq + 1)] : [null, arg];
    const ref = parseReference(text);
    const name = variable ?? variableFor(ref);
    checkVariableName(name);
    if (seen.has(name)) throw fail.badRequest(`${name} is given twice: name each variable once.`);
    seen.add(name);
    return { variable: name, ref };
  });
}

async function env({ secrets, args, o }: SecretsInvocation): Promise<void> {
  if (args.length === 0) throw fail.badRequest('env takes one or more references: NAME, kw://NAME[/FIELD], or VAR=REF.');
  const wanted = assignments(args);
  // Every reference is checked before any value is read: one that names nothing reads nothing.
  const located = await locate(secrets, wanted.map((w) => w.ref));
  const values = await readReferences(secrets, located, 'value');
  const lines = wanted.map((w, i) => `export ${w.variable}=${shellQuote(values[i]!)}`);
  if (o.json) o.out(JSON.stringify(Object.fromEntries(wanted.map((w, i) => [w.variable, values[i]!]))));
  else o.out(lines.join('\n'));
}

async function inject({ secrets, flags, o }: SecretsInvocation): Promise<void> {
  if (typeof flags.in !== 'string' || typeof flags.out !== 'string') throw fail.badRequest('inject takes --in TEMPLATE and --out FILE.');
  const template = await readFile(resolve(flags.in), 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw fail.badRequest(`The template ${safeText(flags.in as string)} cannot be read (${err.code ?? err.message}).`);
  });
  const texts = [...template.matchAll(TEMPLATE_REFERENCE)].map((m) => m[1]!);
  const unique = [...new Set(texts)];
  const located = await locate(secrets, unique.map(parseReference));
  const values = new Map(unique.map((t, i) => [t, i] as const));
  const read = await readReferences(secrets, located, 'value');
  const filled = template.replace(TEMPLATE_REFERENCE, (_m, text: string) => read[values.get(text)!]!);
  const out = resolve(flags.out);
  const bytes = Buffer.from(filled, 'utf8');
  try {
    // Created for this user alone (0600), complete or not at all; never over a file unless --force.
    if (flags.force) await nodeFileSystem.writeFileAtomic(out, bytes);
    else if (!(await nodeFileSystem.createExclusive(out, bytes, { sync: true }))) throw fail.exists(`${safeText(flags.out)} exists; nothing was written. Use --force to replace it.`);
  } finally {
    bytes.fill(0);
  }
  if (o.json) o.out(JSON.stringify({ out, references: unique.length, replaced: texts.length }));
  else o.out(`Wrote ${safeText(flags.out)} (only you can read it): ${texts.length} reference${texts.length === 1 ? '' : 's'} filled from ${unique.length} credential value${unique.length === 1 ? '' : 's'}.`);
}

const TOKEN_NOTE = 'With KEYWARD_TOKEN set, only what that grant covers is read, by its token alone (no password, no keychain); each use is recorded under the grant\'s name.';

export const envCommands: CommandFamily = {
  title: 'Secrets for programs',
  commands: [
    {
      name: 'env',
      args: ['REF…'],
      options: {},
      synopsis: 'env REF|VAR=REF...',
      summary: "export VAR='value' lines a POSIX shell evaluates exactly (eval \"$(keyward env …)\"); REF is NAME or kw://NAME[/FIELD]",
      notes: ['A bare REF is exported as its name in capitals ("stripe-prod" → STRIPE_PROD); KEYWARD_* names are refused. Each value read is recorded.', TOKEN_NOTE],
      needs: 'secrets',
      run: env,
    },
    {
      name: 'run',
      args: ['COMMAND…'],
      options: { env: { type: 'string', multiple: true, value: 'VAR=REF' }, 'env-file': { type: 'string', value: 'FILE' }, 'no-masking': { type: 'boolean' }, 'no-inherit-env': { type: 'boolean' } },
      synopsis: 'run [--env VAR=REF]... [--env-file FILE] [--no-masking] [--no-inherit-env] -- COMMAND [ARGS]...',
      summary: 'run a program with secrets in its environment for its lifetime only; each value in its output shown as <concealed:NAME>; exits with its status',
      notes: [
        'kw:// values in the inherited environment and in the env file are resolved too; KEYWARD_* variables never reach the program.',
        'Every reference is checked, and every value read (each recorded), before the program starts; the vault is locked before it does.',
        TOKEN_NOTE,
      ],
      needs: 'secrets',
      run,
    },
    {
      name: 'inject',
      args: [],
      options: { in: { type: 'string', value: 'TEMPLATE' }, out: { type: 'string', value: 'FILE' }, force: { type: 'boolean' } },
      synopsis: 'inject --in TEMPLATE --out FILE [--force]',
      summary: 'fill {{ kw://NAME[/FIELD] }} references in a config file into FILE, created readable by you alone (0600); never over a file unless --force',
      needs: 'secrets',
      run: inject,
    },
  ],
};

/** `VAR=VALUE` lines of an env file; a VALUE that is a kw:// reference is resolved, any other is passed as it is. */
async function envFile(path: string): Promise<[string, string][]> {
  const text = await readFile(resolve(path), 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw fail.badRequest(`The env file ${safeText(path)} cannot be read (${err.code ?? err.message}).`);
  });
  const pairs: [string, string][] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw fail.badRequest(`Line ${i + 1} of ${safeText(path)} is not VAR=VALUE.`);
    const name = line.slice(0, eq).replace(/^export\s+/, '').trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) value = value.slice(1, -1);
    checkVariableName(name);
    pairs.push([name, value]);
  }
  return pairs;
}

/** The signals passed on to the program (SIGINT and SIGQUIT only when no terminal already sends them to it). */
function forwardedSignals(): NodeJS.Signals[] {
  const fromTerminal: NodeJS.Signals[] = process.stdin.isTTY ? [] : ['SIGINT', 'SIGQUIT'];
  return ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', ...fromTerminal];
}

async function run({ secrets, grant, release, args, flags, o }: SecretsInvocation): Promise<number> {
  const [command, ...commandArgs] = args;
  if (command === undefined) throw fail.badRequest('run takes -- COMMAND [ARGS]...');
  // A grant runs only the commands it allows (a program that reaches the network could send a secret anywhere).
  await grant?.checkCommand(args);
  const inherit = flags['no-inherit-env'] !== true;
  // The program's environment: ours (or only PATH), never a KEYWARD_* variable (the master password, a token) ...
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^KEYWARD_/i.test(name) && (inherit || name === 'PATH')) environment[name] = value;
  // ... then the env file's and the --env assignments, later ones over earlier, each --env variable once.
  const wanted: { variable: string; ref: SecretReference }[] = [];
  const fromFile = typeof flags['env-file'] === 'string' ? await envFile(flags['env-file']) : [];
  for (const [name, value] of fromFile) {
    if (value.startsWith('kw://')) wanted.push({ variable: name, ref: parseReference(value) });
    else environment[name] = value;
  }
  const given = assignments(((flags.env as string[] | undefined) ?? []).map(String));
  for (const g of given) {
    const i = wanted.findIndex((w) => w.variable === g.variable);
    if (i >= 0) wanted.splice(i, 1);
  }
  wanted.push(...given);
  // References already in the environment it inherits are resolved too (kw://… values).
  for (const [name, value] of Object.entries(environment))
    if (value.startsWith('kw://') && !wanted.some((w) => w.variable === name)) wanted.push({ variable: name, ref: parseReference(value) });
  // Every reference checked, then every value read, before the program starts; the vault is locked before it does.
  const located = await locate(secrets, wanted.map((w) => w.ref));
  const values = await readReferences(secrets, located, 'run', args);
  await release();
  wanted.forEach((w, i) => (environment[w.variable] = values[i]!));
  const masking = flags['no-masking'] !== true;
  // Secret values are masked; a field (a username, a URL) is not secret and shows as it is.
  const secretValues = wanted.map((w, i) => ({ variable: w.variable, value: values[i]!, name: safeText(located[i]!.name), field: located[i]!.field })).filter((s) => s.field === undefined);
  const tooShort = secretValues.filter((s) => Buffer.byteLength(s.value, 'utf8') < MIN_MASKED_BYTES).map((s) => s.variable);
  if (masking && tooShort.length) o.err(`keyward: note: ${tooShort.join(', ')} ${tooShort.length === 1 ? 'is' : 'are'} too short to mask in the output (under ${MIN_MASKED_BYTES} bytes).`);
  const masked = secretValues.map(({ value, name }) => ({ value, name }));
  return spawnMasked(command, commandArgs, environment, masking ? masked : null);
}

/** util-linux's script(1), when it is there: it gives a program a pseudo-terminal whose output we read. */
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => process.platform === 'linux' && existsSync(p)) ?? null;

/**
 * How the program is started. Masked and in a terminal (Linux, with script(1)):
 * inside a pseudo-terminal, so colours, progress bars and prompts keep working,
 * its output read from the terminal's other end and masked on the way to ours
 * (stdout and stderr then arrive together, as in any terminal). Otherwise pipes.
 */
function startProgram(command: string, args: string[], env: Record<string, string>, masked: MaskedValue[] | null): { child: ChildProcess; pty: boolean } {
  const line = `${env.SHELL ? `SHELL=${shellQuote(env.SHELL)}` : 'unset SHELL;'} exec ${[command, ...args].map(shellQuote).join(' ')}`;
  // (A line too long for one argument would not start: pipes then.)
  if (masked && SCRIPT && process.stdin.isTTY && process.stdout.isTTY && process.stderr.isTTY && line.length < 100_000) {
    // script runs "$SHELL -c"; /bin/sh reads the quoted line, and the program gets the user's own SHELL back (or none).
    const child = spawn(SCRIPT, ['--quiet', '--return', '--flush', '--command', line, '/dev/null'], { env: { ...env, SHELL: '/bin/sh' }, stdio: ['inherit', 'pipe', 'inherit'] });
    return { child, pty: true };
  }
  const child = spawn(command, args, { env, stdio: ['inherit', masked ? 'pipe' : 'inherit', masked ? 'pipe' : 'inherit'] });
  return { child, pty: false };
}

/**
 * The program's process group inside script(1): script makes it the leader of
 * a new session, so signals for the program go to that group, not to script
 * (which would swallow or misreport them).
 */
function programGroup(script: ChildProcess): number | null {
  try {
    const children = readFileSync(`/proc/${script.pid}/task/${script.pid}/children`, 'utf8').trim().split(/\s+/);
    const pid = Number(children[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** What a terminal does to the program's output on its way to us: each newline becomes CR LF (onlcr). */
function asTerminalWrites(values: MaskedValue[]): MaskedValue[] {
  return values.flatMap((v) => (v.value.includes('\n') ? [v, { ...v, value: v.value.replace(/\r?\n/g, '\r\n') }] : [v]));
}

/** Runs the program to its end: its status, or 128 + the signal that ended it. Its output masked unless `masked` is null. */
function spawnMasked(command: string, args: string[], env: Record<string, string>, masked: MaskedValue[] | null): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const { child, pty } = startProgram(command, args, env, masked);
    const forward = (signal: NodeJS.Signals) => {
      const group = pty ? programGroup(child) : null;
      if (group === null) child.kill(signal);
      else
        try {
          process.kill(-group, signal);
        } catch {
          child.kill(signal);
        }
    };
    const signals = forwardedSignals();
    // (A terminal's Ctrl-C reaches the program itself; this process waits for it to end, whatever it does.)
    const ignore = () => undefined;
    for (const s of signals) process.on(s, forward);
    if (process.stdin.isTTY) for (const s of ['SIGINT', 'SIGQUIT'] as const) process.on(s, ignore);
    const cleanUp = () => {
      for (const s of signals) process.off(s, forward);
      for (const s of ['SIGINT', 'SIGQUIT'] as const) process.off(s, ignore);
    };
    if (masked) {
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ] as const) {
        if (!from) continue;
        const masker = new OutputMasker(pty ? asTerminalWrites(masked) : masked);
        from.on('data', (chunk: Buffer) => to.write(masker.push(chunk)));
        from.on('end', () => to.write(masker.end()));
      }
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      cleanUp();
      reject(err.code === 'ENOENT' ? fail.notFound(`${safeText(command)}: no such program.`) : err);
    });
    child.on('close', (code, signal) => {
      cleanUp();
      resolvePromise(code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0));
    });
  });
}
