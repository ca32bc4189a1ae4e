/** Every file that belongs to one vault lives beside it, named after it. */
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export interface VaultPaths {
  vault: string;
  lock: string;
  lockout: string;
  backupsDir: string;
}

export function vaultPaths(vaultPath: string): VaultPaths {
  const vault = resolve(vaultPath);
  return {
    vault,
    lock: `${vault}.lock`,
    lockout: `${vault}.lockout`,
    backupsDir: join(dirname(vault), `${basename(vault)}.backups`),
  };
}

/** The per-user app data folder (what Electron calls userData), without needing Electron. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Keyward');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Keyward');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Keyward');
}

export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.KEYWARD_VAULT || join(defaultDataDir(env), 'vault.keyward');
}
