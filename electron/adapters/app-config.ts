/** Which vault the app opens: --vault, $KEYWARD_VAULT, the last one chosen, or the default. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tightenFileMode, writePrivateFileSync } from '../app/private-file.js';

export const CONFIG_FILE = 'config.json';

export function chooseVaultPath(argv: string[], env: NodeJS.ProcessEnv, userData: string): string {
  const flag = argv.findIndex((a) => a === '--vault');
  if (flag >= 0 && argv[flag + 1]) return argv[flag + 1]!;
  const inline = argv.find((a) => a.startsWith('--vault='));
  if (inline) return inline.slice('--vault='.length);
  if (env.KEYWARD_VAULT) return env.KEYWARD_VAULT;
  const file = join(userData, CONFIG_FILE);
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { vaultPath?: unknown };
    tightenFileMode(file);
    if (typeof saved.vaultPath === 'string' && saved.vaultPath) return saved.vaultPath;
  } catch {
    /* no saved choice */
  }
  return join(userData, 'vault.keyward');
}

/** Remembers the vault the user switched to (config.json, 0600; the folder 0700 if we create it). */
export function rememberVaultPath(userData: string, vaultPath: string): void {
  try {
    writePrivateFileSync(join(userData, CONFIG_FILE), JSON.stringify({ vaultPath }));
  } catch {
    /* the default applies next time */
  }
}
