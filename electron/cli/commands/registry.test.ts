/**
 * The command registry: the help, the argument checks and the dispatch all
 * come from one description per command, so they cannot disagree.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../exit-codes.js';
import { main } from '../main.js';
import { commandEntry, commandUsage, synopsis, usageText } from './help.js';
import { parseCommandLine } from './parse.js';
import { allOptions, COMMANDS, FAMILIES, findCommand, GLOBAL_OPTIONS } from './registry.js';
import type { CommandSpec } from './spec.js';

function command(name: string): CommandSpec {
  const found = findCommand(name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

/** Runs main() in-process, collecting what it writes. */
async function runMain(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout: out.join(''), stderr: err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('the help', () => {
  const help = usageText(FAMILIES, GLOBAL_OPTIONS);

  it('lists every registered command, each with its usage line', () => {
    expect(COMMANDS.length).toBeGreaterThanOrEqual(28);
    for (const c of COMMANDS) {
      expect(help, c.name).toContain(`\n  ${synopsis(c)}`);
      for (const line of commandEntry(c)) expect(help, c.name).toContain(line);
    }
  });

  it('keeps the notes scripts and people rely on', () => {
    expect(help).toMatch(/^Usage: keyward \[global options\] <command> \[arguments\]/);
    expect(help).toContain('Credential types: api_key, password, token, secret');
    expect(help).toContain('refused (exit 8)');
    expect(help).toMatch(/Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication failed or locked out, 4 no such\ncredential/);
    for (const name of Object.keys(GLOBAL_OPTIONS)) expect(help).toContain(`--${name}`);
  });

  it("derives a command's usage line from its arguments and options when none is written", () => {
    expect(synopsis(command('get'))).toBe('get NAME [--version N]');
    expect(synopsis(command('restore-backup'))).toBe('restore-backup [FILE]');
    expect(synopsis(command('passwd'))).toBe('passwd [--new-password-file F] [--kdf-iterations N] [--allow-weak-password]');
    expect(commandUsage(command('get'))).toBe(
      [
        'Usage (after "keyward [global options]"):',
        '  get NAME [--version N]           print the value (current version by default)',
        '',
        'Run "keyward --help" for every command, the global options and the exit codes.',
      ].join('\n'),
    );
  });

  it('"[options]" in a usage line lists the options it does not name below it', () => {
    const entry = commandEntry(command('add')).join('\n');
    expect(entry).toMatch(/^ {2}add NAME --type T \[options\] +store a credential/);
    expect(entry).toContain('--tag X (repeatable)');
    expect(entry).toContain('--expires YYYY-MM-DD');
    expect(entry).not.toMatch(/\n.*--type/);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: its help names exactly the options it takes', (_name, c) => {
    const text = commandEntry(c).join('\n');
    const named = new Set([...text.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!));
    for (const option of Object.keys(c.options)) expect(named, `--${option}`).toContain(option);
    for (const option of named) expect(option in c.options || option in GLOBAL_OPTIONS, `--${option} is not declared`).toBe(true);
  });
});

describe('the command line', () => {
  it('an option the command does not declare is refused with exit 2, before any vault is touched', async () => {
    expect(parseCommandLine(['list', '--generate'])).toEqual({ kind: 'refused', message: 'list does not take --generate. Run "keyward help list".' });
    const r = await runMain(['--vault', '/nonexistent/v.keyward', 'show', 'x', '--force']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toBe('keyward: show does not take --force. Run "keyward help show".\n');
  });

  it('an option no command declares is refused by the parser (exit 2)', async () => {
    const r = await runMain(['list', '--bogus']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toMatch(/^keyward: Unknown option '--bogus'/);
  });

  it('a missing or extra argument is refused (exit 2), naming what the command takes', async () => {
    expect(parseCommandLine(['get'])).toEqual({ kind: 'refused', message: 'get takes 1 argument (NAME), not 0. Run "keyward help get".' });
    expect(parseCommandLine(['rotator', 'set'])).toMatchObject({ kind: 'refused', message: expect.stringMatching(/^rotator takes 2 arguments \(set\|show\|clear\|dry-run NAME\), not 1/) });
    expect(parseCommandLine(['health', 'x'])).toMatchObject({ kind: 'refused', message: expect.stringMatching(/^health takes 0 arguments, not 1/) });
    expect((await runMain(['rm'])).code).toBe(EXIT.usage);
  });

  it('an optional argument may be left out', () => {
    expect(parseCommandLine(['restore-backup'])).toMatchObject({ kind: 'run', command: { name: 'restore-backup' }, args: [] });
    expect(parseCommandLine(['restore-backup', 'f'])).toMatchObject({ kind: 'run', args: ['f'] });
  });

  it('global options go with every command; values are never taken for arguments', () => {
    const line = parseCommandLine(['--vault', 'v.keyward', 'get', '--json', 'stripe', '--version', '2']);
    expect(line).toMatchObject({ kind: 'run', command: { name: 'get' }, args: ['stripe'], flags: { vault: 'v.keyward', json: true, version: '2' } });
  });

  it("--help after a command, and help COMMAND, print that command's usage (exit 0)", async () => {
    expect(parseCommandLine(['rm', '--help'])).toMatchObject({ kind: 'help', command: { name: 'rm' }, asked: true });
    const viaFlag = await runMain(['get', '--help']);
    const viaCommand = await runMain(['help', 'get']);
    expect(viaFlag).toEqual({ code: EXIT.ok, stdout: `${commandUsage(command('get'))}\n`, stderr: '' });
    expect(viaCommand).toEqual(viaFlag);
    expect((await runMain(['help', 'frobnicate'])).code).toBe(EXIT.usage);
  });

  it('no command prints the whole help on stderr (exit 2); --help and help print it on stdout (exit 0)', async () => {
    const help = `${usageText(FAMILIES, GLOBAL_OPTIONS)}\n`;
    expect(await runMain([])).toEqual({ code: EXIT.usage, stdout: '', stderr: help });
    expect(await runMain(['--help'])).toEqual({ code: EXIT.ok, stdout: help, stderr: '' });
    expect(await runMain(['help'])).toEqual({ code: EXIT.ok, stdout: help, stderr: '' });
  });
});

describe('the registry', () => {
  it('names each command once; optional arguments come last', () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const c of COMMANDS) {
      const firstOptional = c.args.findIndex((a) => a.startsWith('['));
      if (firstOptional >= 0) expect(c.args.slice(firstOptional).every((a) => a.startsWith('[')), c.name).toBe(true);
    }
  });

  it('refuses two commands that would parse one option differently', () => {
    const stub = (name: string, options: CommandSpec['options']): CommandSpec => ({ name, args: [], options, summary: '', needs: 'nothing', run: () => undefined });
    expect(() => allOptions([stub('a', { days: { type: 'string' } }), stub('b', { days: { type: 'boolean' } })])).toThrow(/keyward b declares --days/);
    expect(() => allOptions([stub('a', { tag: { type: 'string', multiple: true } }), stub('b', { tag: { type: 'string' } })])).toThrow(/--tag/);
    expect(() => allOptions([stub('a', { json: { type: 'string' } })])).toThrow(/--json/);
    expect(Object.keys(allOptions())).toEqual(expect.arrayContaining(['vault', 'help', 'run-rotator', 'new-password-file', 'yes']));
  });
});
