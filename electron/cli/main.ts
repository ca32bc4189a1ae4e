/**
 * keyward — the command-line interface to a Keyward vault.
 * Secrets never come from argv: values from stdin, passwords from
 * KEYWARD_PASSWORD, --password-file or a no-echo prompt on the terminal.
 * The commands themselves are described in commands/registry.ts.
 */
import type { ErrorInfo } from '../../shared/errors.js';
import { toErrorInfo } from '../core/errors.js';
import { SAME_VALUE_RULE } from '../core/service/refusals.js';
import { commandUsage, usageText } from './commands/help.js';
import { parseCommandLine } from './commands/parse.js';
import { FAMILIES, GLOBAL_OPTIONS } from './commands/registry.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import type { Output } from './output.js';
import { runCommand } from './run-command.js';
import { safeText } from './terminal.js';

export async function main(argv: string[]): Promise<number> {
  const o: Output = { json: false, out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
  const line = parseCommandLine(argv);
  if (line.kind === 'refused') {
    o.err(`keyward: ${line.message}`);
    return EXIT.usage;
  }
  if (line.kind === 'help') {
    // Asked for: stdout, success. Run with no command at all: a usage error, on stderr.
    (line.asked ? o.out : o.err)(line.command ? commandUsage(line.command) : usageText(FAMILIES, GLOBAL_OPTIONS));
    return line.asked ? EXIT.ok : EXIT.usage;
  }
  o.json = Boolean(line.flags.json);
  try {
    const status = await runCommand(line.command, line.args, line.flags, o);
    return typeof status === 'number' ? status : EXIT.ok;
  } catch (err) {
    const info = toErrorInfo(err);
    // One line, no stack trace: messages are built from names and numbers only, never values.
    o.err(`keyward: ${safeText(cliMessage(info))}`);
    return exitCodeFor(info.code);
  }
}

/** The core's refusals say what is wrong; the CLI adds how to override them here, in its own terms. */
function cliMessage(info: ErrorInfo): string {
  // The core names the backup; how to restore it from a terminal is the CLI's to say (the app has its own button).
  if (info.code === 'CORRUPTED' && info.backups?.length) return `${info.message} Restore it with "keyward restore-backup".`;
  if (info.code !== 'POLICY' || !info.violations?.length) return info.message;
  const same = info.violations.length === 1 && info.violations[0]!.rule === SAME_VALUE_RULE;
  const what = same
    ? 'Refused: the new value is the same as the current value'
    : `Refused by policy: the value ${info.violations.map((v) => `${v.message} [${v.rule}]`).join('; ')}`;
  return `${what}. Use --force to store it anyway.`;
}
