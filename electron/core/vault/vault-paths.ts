/** Every file that belongs to one vault lives beside it, named after it. */
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export interface VaultPaths {
  vault: string;
  lock: string;
  lockout: string;
  backupsDir: string;
  /** The audit trail (docs/audit-format.md): its records, its head, what was recorded while locked, its lock, and what was forwarded where (docs/siem.md). */
  audit: { log: string; head: string; pending: string; lock: string; forward: string; watch: string; incidents: string; segments: { dir: string; index: string } };
}

export function vaultPaths(vaultPath: string): VaultPaths {
  const vault = resolve(vaultPath);
  return {
    vault,
    lock: `${vault}.lock`,
    lockout: `${vault}.lockout`,
    backupsDir: join(dirname(vault), `${basename(vault)}.backups`),
    audit: { log: `${vault}.audit`, head: `${vault}.audit-head`, pending: `${vault}.audit-pending`, lock: `${vault}.audit.lock`, forward: `${vault}.audit-forward`, watch: `${vault}.audit-watch`, incidents: `${vault}.incidents`, segments: { dir: `${vault}.audit-segments`, index: join(`${vault}.audit-segments`, 'index') } },
  };
}

/** The per-user app data folder (what Electron calls userData), without needing Electron. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Keyward');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Keyward');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Keyward');
}

/**
 * Where Keyward keeps what it remembers about vaults (the highest generation
 * seen of each): per user, outside the vault's own folder, so that an older
 * copy put in the vault's place does not bring older memories with it.
 * KEYWARD_STATE_DIR overrides it.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KEYWARD_STATE_DIR) return env.KEYWARD_STATE_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Keyward State');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Keyward', 'State');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'Keyward');
}

export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.KEYWARD_VAULT || join(defaultDataDir(env), 'vault.keyward');
}
