/**
 * Every `keyward` command, described once. The help text (help.ts), the
 * argument checks (parse.ts) and the dispatch (run-command.ts) are derived
 * from this list; a command nobody registered here does not exist.
 *
 * Adding a command: write its handler and its CommandSpec in the family it
 * belongs to (or a new family module listed in FAMILIES), declaring its
 * arguments, its options and what it needs (nothing, an unlocked vault, or the
 * master password too). Its usage line, help entry, option checks and dispatch
 * follow; registry.test.ts checks that its help mentions exactly its options.
 */
import { fail } from '../../core/errors.js';
import { safeText } from '../terminal.js';
import { auditCommands } from './audit.js';
import { credentialCommands } from './credentials.js';
import { envCommands } from './env.js';
import { generatorCommands } from './generator.js';
import { grantCommands } from './grants.js';
import { mcpCommands } from './mcp.js';
import { healthCommands } from './health.js';
import { incidentCommands } from './incidents.js';
import { reportCommands } from './report.js';
import { commandUsage, usageText } from './help.js';
import { rotationCommands } from './rotation.js';
import type { CommandFamily, CommandSpec, OptionSpec, OptionSpecs } from './spec.js';
import { vaultCommands } from './vault.js';

/** An option every command takes, with what it means in the help. */
export interface GlobalOption extends OptionSpec {
  help: string;
}

export const GLOBAL_OPTIONS: Record<string, GlobalOption> = {
  vault: { type: 'string', value: 'FILE', help: 'vault file (default: $KEYWARD_VAULT or the per-user data folder)' },
  'password-file': { type: 'string', value: 'F', help: 'read the master password from F (else $KEYWARD_PASSWORD, else a prompt)' },
  'no-keychain': { type: 'boolean', help: 'never touch the OS keychain' },
  'accept-older': { type: 'boolean', help: 'open the vault even if it is an older copy than one seen before (recorded)' },
  'no-app': { type: 'boolean', help: 'never ask the running app (CLI integration); open the vault file' },
  json: { type: 'boolean', help: 'machine-readable output' },
  help: { type: 'boolean', short: 'h', help: "this help; after a command, that command's" },
};

const helpCommands: CommandFamily = {
  title: 'Help',
  commands: [
    {
      name: 'help',
      args: ['[COMMAND]'],
      options: {},
      summary: "this help, or one command's",
      needs: 'nothing',
      run({ args: [name], o }) {
        if (name === undefined) return o.out(usageText(FAMILIES, GLOBAL_OPTIONS));
        const command = findCommand(name);
        if (!command) throw fail.badRequest(`unknown command "${safeText(name)}". Run "keyward --help".`);
        o.out(commandUsage(command));
      },
    },
  ],
};

/** In the order the help lists them. */
export const FAMILIES: readonly CommandFamily[] = [credentialCommands, vaultCommands, rotationCommands, healthCommands, auditCommands, incidentCommands, reportCommands, envCommands, grantCommands, mcpCommands, generatorCommands, helpCommands];

export const COMMANDS: readonly CommandSpec[] = FAMILIES.flatMap((family) => family.commands);

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

/**
 * Every option any command declares, with the global ones: what the command
 * line is parsed with, so that an option's value is never taken for an
 * argument. Which command may use which is checked after (parse.ts).
 * Two commands that declare one option must parse it alike.
 */
export function allOptions(commands: readonly CommandSpec[] = COMMANDS): OptionSpecs {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS };
  for (const command of commands) {
    for (const [name, option] of Object.entries(command.options)) {
      const seen = all[name];
      if (seen && (seen.type !== option.type || Boolean(seen.multiple) !== Boolean(option.multiple) || seen.short !== option.short))
        throw new Error(`keyward ${command.name} declares --${name} unlike another command or a global option.`);
      all[name] ??= option;
    }
  }
  return all;
}
