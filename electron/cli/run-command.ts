/**
 * Runs a registered command with what it declared it needs: nothing, an
 * unlocked vault (locked again when the handler returns), or the master
 * password as well.
 */
import { realVaultDeps, serviceFor } from '../core/composition.js';
import { KeywardError } from '../core/errors.js';
import { defaultVaultPath } from '../core/vault/vault-paths.js';
import { probeVault, unlockVault, type VaultDeps, type VaultSession } from '../core/vault/vault-session.js';
import type { CommandSpec, Invocation } from './commands/spec.js';
import type { Flags, Output } from './output.js';
import { explicitPassword } from './password-sources.js';
import { promptHidden } from './terminal.js';

/** The unlocked session, and the master password when one was used (commands that re-authenticate reuse it). */
interface Unlocked {
  session: VaultSession;
  password: string | null;
}

async function unlock(path: string, flags: Flags, deps: VaultDeps, o: Output): Promise<Unlocked> {
  const given = explicitPassword(flags);
  if (given !== null) return { session: await unlockVault(path, { password: given }, deps), password: given };
  const probe = await probeVault(path, deps);
  if (probe.keychain && !flags['no-keychain']) {
    try {
      return { session: await unlockVault(path, { keychain: true }, deps), password: null };
    } catch (err) {
      if (!(err instanceof KeywardError) || (err.code !== 'KEYCHAIN_UNAVAILABLE' && err.code !== 'AUTH_FAILED')) throw err;
      o.err(`keyward: note: ${err.message}`);
    }
  }
  const password = await promptHidden('Master password: ');
  return { session: await unlockVault(path, { password }, deps), password };
}

export async function runCommand(command: CommandSpec, args: string[], flags: Flags, o: Output): Promise<void> {
  const vaultPath = (flags.vault as string | undefined) ?? defaultVaultPath();
  const deps = realVaultDeps({ useKeychain: !flags['no-keychain'] });
  const call: Invocation = { args, flags, o, vaultPath, deps };
  if (command.needs === 'nothing') return command.run(call);

  const { session, password } = await unlock(vaultPath, flags, deps, o);
  const unlocked = {
    ...call,
    svc: serviceFor(session, 'cli'),
    session,
    reopen: async () => serviceFor((await unlock(vaultPath, flags, deps, o)).session, 'cli'),
  };
  try {
    if (command.needs === 'vault') return await command.run(unlocked);
    await command.run({ ...unlocked, masterPassword: async () => password ?? (await promptHidden('Master password: ')) });
  } finally {
    session.lock();
  }
}
