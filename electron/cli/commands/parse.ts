/**
 * The command line, checked against the registry before anything touches a
 * vault: unknown options and commands, options the command does not declare,
 * and too few or too many arguments are refused (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Flags } from '../output.js';
import { safeText } from '../terminal.js';
import { allOptions, COMMANDS, findCommand, GLOBAL_OPTIONS } from './registry.js';
import type { CommandSpec } from './spec.js';

export type CommandLine =
  /** Print the help: one command's, or all of it (on stderr when no command was given). */
  | { kind: 'help'; command?: CommandSpec; asked: boolean }
  | { kind: 'run'; command: CommandSpec; args: string[]; flags: Flags }
  /** A usage error: the message, without the "keyward: " prefix. */
  | { kind: 'refused'; message: string };

/** What node:util parseArgs needs of each option (and nothing more: it refuses keys it does not know). */
const PARSE_OPTIONS: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
  Object.entries(allOptions(COMMANDS)).map(([name, { type, multiple, short }]) => [name, { type, ...(multiple ? { multiple } : {}), ...(short ? { short } : {}) }]),
);

/** A last argument ending in "…" takes any number (at least one unless in brackets). */
function argumentCount(command: CommandSpec): { min: number; max: number } {
  const variadic = command.args.at(-1)?.replace(/]$/, '').endsWith('…') ?? false;
  return { min: command.args.filter((a) => !a.startsWith('[')).length, max: variadic ? Infinity : command.args.length };
}

function wrongArgumentCount(command: CommandSpec, given: number): string {
  const { min, max } = argumentCount(command);
  const range = min === max ? String(min) : max === Infinity ? `${min} or more` : `${min}–${max}`;
  const names = command.args.length ? ` (${command.args.join(' ')})` : '';
  return `${command.name} takes ${range} argument${max === 1 ? '' : 's'}${names}, not ${given}. Run "keyward help ${command.name}".`;
}

export function parseCommandLine(argv: string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    return { kind: 'refused', message: `${safeText((err as Error).message.split('\n')[0] ?? 'invalid arguments')}\nRun "keyward --help" for usage.` };
  }
  const flags = parsed.values as Flags;
  const [name, ...args] = parsed.positionals;
  const command = name === undefined ? undefined : findCommand(name);
  if (flags.help || name === undefined) return { kind: 'help', command, asked: Boolean(flags.help) };
  if (!command) return { kind: 'refused', message: `unknown command "${safeText(name)}". Run "keyward --help".` };
  const stray = Object.keys(flags).find((k) => flags[k] !== undefined && !Object.hasOwn(GLOBAL_OPTIONS, k) && !Object.hasOwn(command.options, k));
  if (stray) return { kind: 'refused', message: `${command.name} does not take --${stray}. Run "keyward help ${command.name}".` };
  const { min, max } = argumentCount(command);
  if (args.length < min || args.length > max) return { kind: 'refused', message: wrongArgumentCount(command, args.length) };
  return { kind: 'run', command, args, flags };
}
