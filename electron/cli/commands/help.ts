/** The help text, derived from the command descriptions: `keyward --help`, `keyward help CMD`, `keyward CMD --help`. */
import { CREDENTIAL_TYPE_IDS } from '../../../shared/credential-types/index.js';
import type { CommandFamily, CommandSpec, OptionSpec } from './spec.js';

const WIDTH = 100;
/** Where summaries start, beside a usage line that is short enough. */
const SUMMARY_COLUMN = 35;
const NOTE_INDENT = 8;

const GENERAL_NOTES = [
  `Credential types: ${CREDENTIAL_TYPE_IDS.join(', ')}`,
  'Names are trimmed; one that differs from an existing name only in case is refused (exit 8).',
  'A value of only whitespace is refused (exit 2). A URL field without a scheme is stored as https://….',
];

const EXIT_CODES =
  'Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication failed or locked out, 4 no such\n' +
  'credential, 5 vault corrupted/tampered/unreadable, 6 vault busy, 7 refused by policy, 8 already exists.';

/** `--name VALUE`, as usage lines show an option. */
export function optionUsage(name: string, option: OptionSpec): string {
  const long = `--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/** Lines of at most `width` characters, broken between words (or between the units given: an option and its value stay together). */
function wrap(text: string | string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of typeof text === 'string' ? text.split(' ') : text) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** A usage line with its summary beside it (or under it, when the line is long), wrapped. */
function entry(left: string, summary: string): string[] {
  const indent = ' '.repeat(SUMMARY_COLUMN);
  const text = wrap(summary, WIDTH - SUMMARY_COLUMN);
  const head = `  ${left}`;
  if (head.length < SUMMARY_COLUMN - 1) return [head.padEnd(SUMMARY_COLUMN) + text[0], ...text.slice(1).map((l) => indent + l)];
  return [head, ...text.map((l) => indent + l)];
}

/** The options a usage line names. */
function mentioned(text: string): Set<string> {
  return new Set([...text.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1]!));
}

/** The command's usage line: as written, or its name, arguments and every option. */
export function synopsis(command: CommandSpec): string {
  if (command.synopsis) return command.synopsis;
  const options = Object.entries(command.options).map(([name, option]) => `[${optionUsage(name, option)}]${option.multiple ? '...' : ''}`);
  return [command.name, ...command.args, ...options].join(' ');
}

/** The lines under the usage: as written, or, for "[options]", every option the usage line does not name. */
function notes(command: CommandSpec): string[] {
  if (command.notes) return command.notes;
  const usage = synopsis(command);
  if (!usage.includes('[options]')) return [];
  const named = mentioned(usage);
  const rest = Object.entries(command.options)
    .filter(([name]) => !named.has(name))
    .map(([name, option]) => `${optionUsage(name, option)}${option.multiple ? ' (repeatable)' : ''}`);
  return wrap(rest, WIDTH - NOTE_INDENT);
}

/** One command's entry in the help: each way to call it with its summary, then its notes. */
export function commandEntry(command: CommandSpec): string[] {
  return [
    ...entry(synopsis(command), command.summary),
    ...(command.alsoAs ?? []).flatMap((form) => entry(form.synopsis, form.summary)),
    ...notes(command).map((line) => ' '.repeat(NOTE_INDENT) + line),
  ];
}

/** `keyward --help`. */
export function usageText(families: readonly CommandFamily[], globals: Record<string, OptionSpec & { help: string }>): string {
  const globalLines = Object.entries(globals).map(([name, option]) => `  ${optionUsage(name, option).padEnd(19)}  ${option.help}`);
  return [
    'Usage: keyward [global options] <command> [arguments]',
    ...families.flatMap((family) => ['', `${family.title}:`, ...family.commands.flatMap(commandEntry)]),
    '',
    ...GENERAL_NOTES,
    '',
    'Global options:',
    ...globalLines,
    '',
    EXIT_CODES,
  ].join('\n');
}

/** `keyward help CMD` and `keyward CMD --help`. */
export function commandUsage(command: CommandSpec): string {
  return [
    'Usage (after "keyward [global options]"):',
    ...commandEntry(command),
    '',
    'Run "keyward --help" for every command, the global options and the exit codes.',
  ].join('\n');
}
